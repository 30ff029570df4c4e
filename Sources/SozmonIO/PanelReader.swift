import AreaData
import Foundation

/// What a table holds and where: the columns that make a panel (docs/report.md §1 and the `[input]` keys of the config).
public struct PanelSpec: Sendable {
    public enum Layout: String, Sendable, CaseIterable, Encodable {
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
    /// Ids of rows that hold totals, not areas (`Panel.totals`).
    public var totals: Set<String> = []

    public init(layout: Layout = .wide, areaIDColumn: String, areaNameColumn: String? = nil,
                populationColumn: String? = nil, periodColumn: String? = nil, singlePeriod: Period = .unknown,
                indicatorColumns: [String]? = nil, indicatorNameColumn: String = "indicator",
                valueColumn: String = "value", hierarchy: AreaHierarchy? = nil, totals: Set<String> = []) {
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
        self.totals = totals
    }
}

/// A panel read from a table, with what the reader noticed and repaired.
public struct PanelReading: Sendable {
    public let panel: Panel
    /// Repairs and oddities, each with its place (e.g. an id that lost its leading zero).
    public let warnings: [String]
    /// The dialect the table was read in.
    public var dialect: CSVDialect

    public init(panel: Panel, warnings: [String], dialect: CSVDialect = .plain) {
        self.panel = panel; self.warnings = warnings; self.dialect = dialect
    }
}

extension CSVReader {
    /// Streams the table into the panel `spec` describes: numbers are parsed straight from the field bytes and only
    /// the panel is kept, so memory is about twice the numeric payload whatever the file's size.
    ///
    /// - Throws: `InputError` at the first problem, with line and column: a column the spec names but the table
    ///   lacks, text in a numeric column, an unreadable period, an empty or unrepairable area id, a duplicate
    ///   (area, period), a ragged row.
    ///
    /// Wide tables are read on `workers` cores (see `readInPieces`); the panel is the same for any number.
    public func panel(_ spec: PanelSpec,
                      workers: Int = min(ProcessInfo.processInfo.activeProcessorCount, 8)) throws(InputError) -> PanelReading {
        let idColumn = try columnIndex(spec.areaIDColumn)
        let nameColumn = try spec.areaNameColumn.map { name throws(InputError) in try columnIndex(name) }
        let periodColumn = try spec.periodColumn.map { name throws(InputError) in try columnIndex(name) }
        let populationColumn = try spec.populationColumn.map { name throws(InputError) in try columnIndex(name) }
        var rows = RowReader(reader: self, parser: NumberParser(dialect: dialect), spec: spec, idColumn: idColumn,
                             nameColumn: nameColumn, periodColumn: periodColumn, populationColumn: populationColumn)
        var builder = spec.layout == .wide ? try wideBuilder(spec, rows: rows, workers: workers)
                                           : try longBuilder(spec, rows: &rows)
        let warnings = try repairingIDs(in: &builder, spec, rows: rows)
        do throws(AreaDataError) {
            return PanelReading(panel: try (consume builder).build(totals: spec.totals), warnings: warnings)
        } catch {
            if case .duplicateObservation(_, _, let line) = error {
                throw InputError(file: file, line: line, column: (periodColumn ?? idColumn) + 1, message: error.description)
            }
            throw InputError(file: file, message: error.description)
        }
    }

    /// A wide table (one row per area and period, a column per indicator) into a panel builder, read in pieces on
    /// `workers` cores.
    func wideBuilder(_ spec: PanelSpec, rows: RowReader, workers: Int) throws(InputError) -> Panel.Builder {
        let file = self.file, idColumn = rows.idColumn, periodColumn = rows.periodColumn, populationColumn = rows.populationColumn
        let indicators = wideIndicatorColumns(spec)
        var columns: [Int] = []
        for name in indicators { columns.append(try columnIndex(name)) }
        var panelBuilder = Panel.Builder(indicators: indicators, hasPopulation: populationColumn != nil)
        let registry = AreaRegistry()
        try readInPieces(workers: workers, { WidePiece(rows: rows, valueColumns: columns, registry: registry) }) {
            piece, firstLine throws(InputError) in
            let areas = piece.panelAreas(in: &panelBuilder)
            do throws(AreaDataError) {
                try panelBuilder.append(areas: areas, periods: piece.periods, population: piece.population,
                                        lines: piece.lines.map { firstLine + $0 - 1 }, values: piece.values,
                                        missing: piece.missing)
            } catch {
                var line = firstLine
                if case .mixedFrequencies(_, _, let row) = error { line = row }
                throw InputError(file: file, line: line, column: (periodColumn ?? idColumn) + 1,
                                 message: error.description)
            }
            piece.discardPiece()
        }
        return panelBuilder
    }

    /// A long table (one row per area, period and indicator) into a panel builder: read twice, once for the
    /// indicator names, once for the values.
    func longBuilder(_ spec: PanelSpec, rows: inout RowReader) throws(InputError) -> Panel.Builder {
        let file = self.file, reader = self, nameColumn = rows.nameColumn, populationColumn = rows.populationColumn
        let nameIndex = try columnIndex(spec.indicatorNameColumn)
        let valueIndex = try columnIndex(spec.valueColumn)
        var indicators: [String] = [], known: Set<String> = []
        try forEachRecord { record throws(InputError) in
            let name = try reader.text(record, nameIndex)
            if known.insert(name).inserted { indicators.append(name) }
        }
        var groups: [String: (line: Int, cells: [Cell], record: Int)] = [:]
        var order: [String] = []
        var observations: [(id: String, name: String, period: Period, population: Double)] = []
        try forEachRecord { record throws(InputError) in
            let id = try rows.areaID(record), when = try rows.period(record)
            let key = "\(id)\u{1F}\(when)"
            if groups[key] == nil {
                groups[key] = (record.line, [Cell](repeating: .missing(.absent), count: indicators.count), observations.count)
                order.append(key)
                observations.append((id, try nameColumn.map { c throws(InputError) in try reader.text(record, c) } ?? "",
                                     when, try populationColumn.map { c throws(InputError) in
                                         try rows.population(try rows.number(record, c), record, c) } ?? .nan))
            }
            let indicator = try reader.text(record, nameIndex)
            let j = indicators.firstIndex(of: indicator)!
            guard groups[key]!.cells[j] == .missing(.absent) else {
                throw InputError(file: file, line: record.line, column: nameIndex + 1,
                                 message: "indicator '\(indicator)' appears twice for this area and period")
            }
            groups[key]!.cells[j] = try rows.number(record, valueIndex)
        }
        var builder = Panel.Builder(indicators: indicators, hasPopulation: populationColumn != nil)
        for key in order {
            let group = groups[key]!, row = observations[group.record]
            do throws(AreaDataError) {
                try builder.add(area: row.id, name: row.name, period: row.period, population: row.population,
                                line: group.line, cells: group.cells)
            } catch {
                throw InputError(file: file, line: group.line, message: error.description)
            }
        }
        return builder
    }

    /// Leading zeros: the ids that lost them repaired (now that all ids are known), with a warning, or refused.
    func repairingIDs(in builder: inout Panel.Builder, _ spec: PanelSpec, rows: RowReader) throws(InputError) -> [String] {
        let file = self.file, idColumn = rows.idColumn
        var warnings: [String] = []
        if case .prefixes? = spec.hierarchy?.rule {
            let ids = builder.currentAreaIDs.filter { !spec.totals.contains($0) }  // a Bezirk's total row "01" is no short id
            let repair = IDRepair(ids: ids, shortest: spec.hierarchy?.shortestIdLength)
            var renamed: [(String, String)] = []
            for id in ids {
                switch repair.outcome(for: id) {
                case .ok: break
                case .repaired(let padded): renamed.append((id, padded))
                case .refused(let message):
                    throw InputError(file: file, line: firstLine(ofArea: id, rows), column: idColumn + 1, message: message)
                }
            }
            if !renamed.isEmpty {
                let map = Dictionary(uniqueKeysWithValues: renamed)
                builder.renameAreas { map[$0] ?? $0 }
                let listed = renamed.prefix(20).map { "\($0) → \($1)" }.joined(separator: ", ")
                warnings.append("\(file):\(spec.areaIDColumn): \(renamed.count) area ids lost their leading zeros and were "
                                + "padded to the \(repair.commonLength ?? 0) characters of the other ids: \(listed)"
                                + (renamed.count > 20 ? ", and \(renamed.count - 20) more" : ""))
            }
        }
        return warnings
    }
}

extension CSVReader {
    /// Every bad cell of the columns that `spec` reads (area id, period, population, values), in file order, up to
    /// `limit`, and how many more there are: for `validate`, which lists the problems instead of stopping at the
    /// first. A record with the wrong number of fields ends the list.
    public func cellProblems(_ spec: PanelSpec, limit: Int = 50) -> (problems: [InputError], more: Int) {
        var problems: [InputError] = [], more = 0
        func note(_ error: InputError) { if problems.count < limit { problems.append(error) } else { more += 1 } }
        guard let idColumn = try? columnIndex(spec.areaIDColumn) else { return ([], 0) }
        let columns = { (name: String?) in name.flatMap { try? self.columnIndex($0) } }
        let values: [Int] = switch spec.layout {
        case .wide: wideIndicatorColumns(spec).compactMap(columns)
        case .long: [columns(spec.valueColumn)].compactMap { $0 }
        }
        var rows = RowReader(reader: self, parser: NumberParser(dialect: dialect), spec: spec, idColumn: idColumn,
                             nameColumn: columns(spec.areaNameColumn), periodColumn: columns(spec.periodColumn),
                             populationColumn: columns(spec.populationColumn))
        do {
            try forEachRecord { record throws(InputError) in
                do throws(InputError) { _ = try rows.areaID(record) } catch { note(error) }
                do throws(InputError) { _ = try rows.period(record) } catch { note(error) }
                if let p = rows.populationColumn {
                    do throws(InputError) { _ = try rows.population(try rows.number(record, p), record, p) } catch { note(error) }
                }
                for column in values {
                    do throws(InputError) { _ = try rows.number(record, column) } catch { note(error) }
                }
            }
        } catch {
            note(error)
        }
        return (problems, more)
    }

    /// The indicator columns of a wide table: those `spec` names, else every named column that is not the id,
    /// name, population or period.
    func wideIndicatorColumns(_ spec: PanelSpec) -> [String] {
        let keys = Set([spec.areaIDColumn, spec.areaNameColumn, spec.populationColumn, spec.periodColumn].compactMap { $0 })
        return spec.indicatorColumns ?? header.filter { !keys.contains($0) && !$0.isEmpty }
    }

    /// The line on which area `id` first appears (for an error found after reading), or 0.
    func firstLine(ofArea id: String, _ rows: RowReader) -> Int {
        do {
            try forEachRecord { record throws(InputError) in
                if (try? rows.areaID(record)) == id { throw InputError(file: "", line: record.line, message: "found") }
            }
        } catch { return error.line }
        return 0
    }
}

/// The per-row work of `panel(_:)`, kept in one value so that the hot loop touches no captured variables.
struct RowReader {
    let reader: CSVReader
    let parser: NumberParser
    let spec: PanelSpec
    let idColumn: Int
    let nameColumn: Int?
    let periodColumn: Int?
    let populationColumn: Int?
    // Periods repeat row after row: the last text and its period.
    private var lastPeriodBytes: [UInt8] = []
    private var lastPeriod: Period?

    init(reader: CSVReader, parser: NumberParser, spec: PanelSpec, idColumn: Int, nameColumn: Int?,
         periodColumn: Int?, populationColumn: Int?) {
        self.reader = reader
        self.parser = parser
        self.spec = spec
        self.idColumn = idColumn
        self.nameColumn = nameColumn
        self.periodColumn = periodColumn
        self.populationColumn = populationColumn
    }

    func number(_ record: CSVRecord, _ column: Int) throws(InputError) -> Cell {
        guard let cell = parser.parse(record.bytes.span, record.range(column)) else {
            throw parser.error(file: reader.file, line: record.line, column: column + 1,
                               text: (try? reader.text(record, column)) ?? "?", columnName: reader.header[column])
        }
        return cell
    }

    /// A population count: a whole number that is not negative (or missing, with its reason).
    func population(_ cell: Cell, _ record: CSVRecord, _ column: Int) throws(InputError) -> Double {
        let value = cell.number
        guard !(value < 0) else {
            throw InputError(file: reader.file, line: record.line, column: column + 1,
                             message: "population \(value.plainText) in column '\(reader.header[column])' is negative; "
                                 + "expected a count of inhabitants (0 or more)")
        }
        guard value.isNaN || value == value.rounded() else {
            let text = (try? reader.text(record, column)) ?? value.plainText
            throw InputError(file: reader.file, line: record.line, column: column + 1,
                             message: "population '\(text.trimmingCharacters(in: .whitespaces))' in column "
                                 + "'\(reader.header[column])' is not a whole number; expected a count of inhabitants"
                                 + NumberParser.thousandsHint(text, dialect: reader.dialect))
        }
        return value
    }

    mutating func period(_ record: CSVRecord) throws(InputError) -> Period {
        guard let column = periodColumn else { return spec.singlePeriod }
        let range = record.range(column)
        if let lastPeriod, sameBytes(record.bytes.span, range, lastPeriodBytes) { return lastPeriod }
        let text = try reader.text(record, column)
        guard let p = Period(parsing: text) else {
            throw InputError(file: reader.file, line: record.line, column: column + 1,
                             message: "'\(text)' is not a period; expected a year (2024), half-year (2024H1), "
                                 + "quarter (2024Q1), month (2024-03) or date (2024-12-31, 31.12.2024)")
        }
        lastPeriodBytes = Array(record.bytes[range])
        lastPeriod = p
        return p
    }

    /// Whether `bytes[range]` equals `other` (through a span: no reference to `bytes` is taken).
    private func sameBytes(_ bytes: borrowing Span<UInt8>, _ range: Range<Int>, _ other: [UInt8]) -> Bool {
        guard range.count == other.count else { return false }
        for (k, i) in range.enumerated() where bytes[i] != other[k] { return false }
        return true
    }

    func areaID(_ record: CSVRecord) throws(InputError) -> String {
        let raw = try reader.text(record, idColumn)
        let id = raw.first == " " || raw.last == " " || raw.first == "\t" || raw.last == "\t"
            ? raw.trimmingCharacters(in: " \t") : raw
        guard !id.isEmpty else {
            throw InputError(file: reader.file, line: record.line, column: idColumn + 1,
                             message: "empty area id; expected an id in every row")
        }
        return id
    }
}

/// The areas of the panel so far, by the bytes of their ids: what the workers of a wide table look rows up in. The
/// merge adds to it between the parallel phases; a worker reads a copy taken at the start of its piece.
final class AreaRegistry: @unchecked Sendable {
    /// The id bytes of each panel area (nil for ids over 16 bytes), in panel order.
    var keys: [PackedID?] = []
    var short: [PackedID: Int] = [:]
    var long: [String: Int] = [:]
}

/// One worker's share of a wide table (see `CSVReader.readInPieces`): the rows of its current piece, parsed, each
/// with its panel area, or with an area new in this piece (registered at the merge). A row is first checked against
/// the area after the previous row's (tables list the areas in the same order period after period), so most rows
/// cost no hash.
struct WidePiece: PieceReader {
    var rows: RowReader
    let valueColumns: [Int]
    let registry: AreaRegistry
    /// The registry as it was when this piece began (empty between pieces).
    private var knownKeys: [PackedID?] = [], knownShort: [PackedID: Int] = [:], knownLong: [String: Int] = [:]
    private var started = false
    private var previousArea = -1
    // Areas first seen in this piece (not yet in the registry): id, name, key.
    private(set) var newIDs: [String] = [], newNames: [String] = [], newKeys: [PackedID?] = []
    private var newShort: [PackedID: Int] = [:], newLong: [String: Int] = [:]
    // The rows of the current piece: the panel area, or −1 − k for new area k; `values` row by row, with the
    // reasons of the missing ones.
    private(set) var areas: [Int] = [], periods: [Period] = [], population: [Double] = [], lines: [Int] = []
    private(set) var values: [Double] = [], missing: [(index: Int, reason: MissingReason)] = []

    // Copied out of `rows` for the per-cell loop (`rows.number` is called only to name a cell that is not a number).
    private let parser: NumberParser
    private let populationColumn: Int?

    init(rows: RowReader, valueColumns: [Int], registry: AreaRegistry) {
        self.rows = rows
        self.valueColumns = valueColumns
        self.registry = registry
        self.parser = rows.parser
        self.populationColumn = rows.populationColumn
    }

    mutating func read(_ record: CSVRecord) throws(InputError) {
        let area = try areaIndex(record)
        let span = record.bytes.span
        if let column = populationColumn {
            population.append(try rows.population(try cell(record, span, column), record, column))
        } else {
            population.append(.nan)
        }
        periods.append(try rows.period(record))
        for column in valueColumns {
            switch try cell(record, span, column) {
            case .value(let v): values.append(v)
            case .missing(let reason): missing.append((values.count, reason)); values.append(.nan)
            }
        }
        areas.append(area)
        lines.append(record.line)
    }

    private func cell(_ record: CSVRecord, _ span: Span<UInt8>, _ column: Int) throws(InputError) -> Cell {
        if let cell = parser.parse(span, record.range(column)) { return cell }
        return try rows.number(record, column)  // the error, naming the cell
    }

    /// Lets go of the registry's copy, so that the merge can add to the registry without copying it.
    mutating func finishPiece() {
        (knownKeys, knownShort, knownLong) = ([], [:], [:])
        started = false
        previousArea = -1
    }

    mutating func discardPiece() {
        finishPiece()
        areas.removeAll(keepingCapacity: true); periods.removeAll(keepingCapacity: true)
        population.removeAll(keepingCapacity: true); lines.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true); missing.removeAll(keepingCapacity: true)
        newIDs.removeAll(); newNames.removeAll(); newKeys.removeAll(); newShort.removeAll(); newLong.removeAll()
    }

    /// The panel index of every row's area, registering this piece's new areas (with their names) in `builder`
    /// and the registry; on the merging thread, in file order.
    mutating func panelAreas(in builder: inout Panel.Builder) -> [Int] {
        let added = newIDs.indices.map { k in
            let index = builder.index(ofArea: newIDs[k], name: newNames[k])
            if index == registry.keys.count { registry.keys.append(newKeys[k]) }
            if let key = newKeys[k] { registry.short[key] = index } else { registry.long[newIDs[k]] = index }
            return index
        }
        return areas.map { $0 >= 0 ? $0 : added[-1 - $0] }
    }

    /// The row's panel area, or −1 − k for the k-th area new in this piece.
    private mutating func areaIndex(_ record: CSVRecord) throws(InputError) -> Int {
        if !started { (knownKeys, knownShort, knownLong, started) = (registry.keys, registry.short, registry.long, true) }
        let key = PackedID(record.bytes.span, record.range(rows.idColumn))
        if let key {
            let next = previousArea + 1
            if previousArea >= 0, next < knownKeys.count, knownKeys[next] == key { previousArea = next; return next }
            if let area = knownShort[key] ?? newShort[key].map({ -1 - $0 }) {
                previousArea = area
                return area
            }
        }
        let id = try rows.areaID(record)
        if key == nil, let area = knownLong[id] ?? newLong[id].map({ -1 - $0 }) { previousArea = area; return area }
        let k = newIDs.count
        newIDs.append(id)
        newNames.append(try rows.nameColumn.map { column throws(InputError) in try rows.reader.text(record, column) } ?? "")
        newKeys.append(key)
        if let key { newShort[key] = k } else { newLong[id] = k }
        previousArea = -1 - k
        return -1 - k
    }
}

/// The bytes of a short id (at most 16) packed into two integers, with its length: a cheap dictionary key.
struct PackedID: Hashable {
    let low: UInt64, high: UInt64, count: Int

    init?(_ bytes: borrowing Span<UInt8>, _ range: Range<Int>) {
        guard range.count <= 16 else { return nil }
        var low: UInt64 = 0, high: UInt64 = 0
        for (k, i) in range.enumerated() {
            if k < 8 { low |= UInt64(bytes[i]) << (8 * UInt64(k)) } else { high |= UInt64(bytes[i]) << (8 * UInt64(k - 8)) }
        }
        self.low = low
        self.high = high
        self.count = range.count
    }
}

/// Area ids that lost their leading zeros in a spreadsheet (`01100101` → `1100101`, `05315000` → `5315000`) are
/// padded back to the common length of the table's ids (the longest that at least half of them have), unless the
/// padded id is also present as
/// written. An id of that common length is never touched; a longer one, or a shorter one with other characters than
/// digits, is refused. Every id must be longer than the hierarchy's deepest prefix.
struct IDRepair {
    enum Outcome { case ok, repaired(String), refused(String) }
    /// The longest length that at least half of the ids have, if any.
    let commonLength: Int?
    let shortest: Int?
    let present: Set<String>

    init(ids: [String], shortest: Int?) {
        var counts: [Int: Int] = [:]
        for id in ids { counts[id.count, default: 0] += 1 }
        commonLength = counts.filter { 2 * $0.value >= ids.count }.keys.max()
        self.shortest = shortest
        present = Set(ids)
    }

    func outcome(for id: String) -> Outcome {
        if let length = commonLength, id.count != length {
            guard id.count < length, id.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return .refused("area id '\(id)' has \(id.count) characters; the other ids have \(length)")
            }
            let padded = String(repeating: "0", count: length - id.count) + id
            guard !present.contains(padded) else {
                return .refused("area id '\(id)' lost leading zeros, but '\(padded)' is also in the file: ambiguous")
            }
            return .repaired(padded)
        }
        if let shortest, id.count < shortest {
            return .refused("area id '\(id)' has \(id.count) characters; the hierarchy's prefixes need ids of at least \(shortest)")
        }
        return .ok
    }
}
