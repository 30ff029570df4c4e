import AreaData

/// What a table holds and where: the columns that make a panel (SPEC §2 and the `[input]` keys of the config).
public struct PanelSpec: Sendable {
    public enum Layout: String, Sendable, CaseIterable {
        /// `area_id, period, population, <indicator columns>…`
        case wide
        /// `area_id, period, indicator, value`
        case long
    }

    public var layout: Layout
    public var areaIDColumn: String
    public var areaNameColumn: String?
    public var populationColumn: String?
    /// `nil`: the table is one period, `singlePeriod`.
    public var periodColumn: String?
    public var singlePeriod: Period
    /// Wide layout: the indicator columns (`nil` = every column not named otherwise).
    public var indicatorColumns: [String]?
    /// Long layout: the columns naming the indicator and holding its value.
    public var indicatorNameColumn: String
    public var valueColumn: String
    /// Used to repair ids that lost leading zeros (a prefix hierarchy implies the id length).
    public var hierarchy: AreaHierarchy?

    public init(layout: Layout = .wide, areaIDColumn: String, areaNameColumn: String? = nil,
                populationColumn: String? = nil, periodColumn: String? = nil, singlePeriod: Period = .year(0),
                indicatorColumns: [String]? = nil, indicatorNameColumn: String = "indicator",
                valueColumn: String = "value", hierarchy: AreaHierarchy? = nil) {
        self.layout = layout
        self.areaIDColumn = areaIDColumn
        self.areaNameColumn = areaNameColumn
        self.populationColumn = populationColumn
        self.periodColumn = periodColumn
        self.singlePeriod = singlePeriod
        self.indicatorColumns = indicatorColumns
        self.indicatorNameColumn = indicatorNameColumn
        self.valueColumn = valueColumn
        self.hierarchy = hierarchy
    }
}

/// A panel read from a table, with what the reader noticed and repaired.
public struct PanelReading: Sendable {
    public let panel: Panel
    /// Repairs and oddities, each with its place (e.g. an id that lost its leading zero).
    public let warnings: [String]
}

extension CSVTable {
    /// Reads the panel `spec` describes.
    ///
    /// - Throws: `InputError` at the first problem, with line and column: a column the spec names but the table
    ///   lacks, text in a numeric column, an unreadable period, an empty or unrepairable area id, a duplicate
    ///   (area, period).
    public func panel(_ spec: PanelSpec) throws(InputError) -> PanelReading {
        let idColumn = try columnIndex(spec.areaIDColumn)
        let nameColumn = try spec.areaNameColumn.map { name throws(InputError) in try columnIndex(name) }
        let periodColumn = try spec.periodColumn.map { name throws(InputError) in try columnIndex(name) }
        let parser = NumberParser(dialect: dialect)
        let population = try spec.populationColumn.map { name throws(InputError) in try numericColumn(name, parser: parser) }
        var repair = IDRepair(expectedLength: spec.hierarchy?.expectedIdLength,
                              ids: rows.map { $0[idColumn].trimmingCharacters(in: " \t") })
        var warnings: [String] = []

        func period(_ row: Int) throws(InputError) -> Period {
            guard let column = periodColumn else { return spec.singlePeriod }
            guard let p = Period(parsing: rows[row][column]) else {
                throw InputError(file: file, line: lines[row], column: column + 1,
                                 message: "'\(rows[row][column])' is not a period; expected a year (2024), half-year "
                                     + "(2024H1), quarter (2024Q1), month (2024-03) or date (2024-12-31, 31.12.2024)")
            }
            return p
        }
        func areaID(_ row: Int) throws(InputError) -> String {
            switch repair.id(at: row) {
            case .ok(let id): return id
            case .repaired(let original, let id):
                warnings.append("\(file):\(lines[row]):\(idColumn + 1): area id '\(original)' lost its leading "
                                + "zero(s); read as '\(id)'")
                return id
            case .refused(let message):
                throw InputError(file: file, line: lines[row], column: idColumn + 1, message: message)
            }
        }
        func add(_ builder: inout Panel.Builder, row: Int, cells: [Cell]) throws(InputError) {
            let id = try areaID(row)
            let people = population?[row].number ?? .nan
            let when = try period(row)
            do throws(AreaDataError) {
                try builder.add(area: id, name: nameColumn.map { rows[row][$0] } ?? "", period: when,
                                population: people, cells: cells)
            } catch {
                throw InputError(file: file, line: lines[row], column: idColumn + 1, message: error.description)
            }
        }

        switch spec.layout {
        case .wide:
            let named = Set([spec.areaIDColumn, spec.areaNameColumn, spec.populationColumn, spec.periodColumn]
                .compactMap { $0 })
            let indicators = spec.indicatorColumns ?? header.filter { !named.contains($0) }
            var columns: [[Cell]] = []
            for name in indicators { columns.append(try numericColumn(name, parser: parser)) }
            var builder = Panel.Builder(indicators: indicators, hasPopulation: population != nil)
            for row in rows.indices { try add(&builder, row: row, cells: columns.map { $0[row] }) }
            return PanelReading(panel: builder.build(), warnings: warnings)
        case .long:
            let nameIndex = try columnIndex(spec.indicatorNameColumn)
            let values = try numericColumn(spec.valueColumn, parser: parser)
            var indicators: [String] = []
            var indicatorIndex: [String: Int] = [:]
            for row in rows where indicatorIndex[row[nameIndex]] == nil {
                indicatorIndex[row[nameIndex]] = indicators.count
                indicators.append(row[nameIndex])
            }
            // Group the rows of one (area, period) into one observation.
            var groups: [String: (row: Int, cells: [Cell])] = [:]
            var order: [String] = []
            for row in rows.indices {
                let key = "\(try areaID(row))\u{1F}\(try period(row))"
                if groups[key] == nil {
                    groups[key] = (row, [Cell](repeating: .missing(.absent), count: indicators.count))
                    order.append(key)
                }
                let j = indicatorIndex[rows[row][nameIndex]]!
                guard groups[key]!.cells[j] == .missing(.absent) else {
                    throw InputError(file: file, line: lines[row], column: nameIndex + 1,
                                     message: "indicator '\(rows[row][nameIndex])' appears twice for this area and period")
                }
                groups[key]!.cells[j] = values[row]
            }
            var builder = Panel.Builder(indicators: indicators, hasPopulation: population != nil)
            for key in order { try add(&builder, row: groups[key]!.row, cells: groups[key]!.cells) }
            return PanelReading(panel: builder.build(), warnings: warnings)
        }
    }
}

/// Area ids that lost their leading zeros in a spreadsheet (`01100101` → `1100101`) are padded back when the
/// hierarchy implies the length and the padded id is not also present as written; anything else is refused.
struct IDRepair {
    enum Outcome { case ok(String), repaired(String, String), refused(String) }
    let expectedLength: Int?
    let ids: [String]
    let present: Set<String>

    init(expectedLength: Int?, ids: [String]) {
        self.expectedLength = expectedLength
        self.ids = ids
        self.present = Set(ids)
    }

    func id(at row: Int) -> Outcome {
        let id = ids[row]
        guard !id.isEmpty else { return .refused("empty area id; expected an id in every row") }
        guard let length = expectedLength, id.count != length else { return .ok(id) }
        let digits = id.allSatisfy { $0.isASCII && $0.isNumber }
        guard digits, id.count < length else {
            return .refused("area id '\(id)' has \(id.count) characters; expected \(length) as the hierarchy implies")
        }
        let padded = String(repeating: "0", count: length - id.count) + id
        guard !present.contains(padded) else {
            return .refused("area id '\(id)' lost leading zeros, but '\(padded)' is also in the file: ambiguous")
        }
        return .repaired(id, padded)
    }
}
