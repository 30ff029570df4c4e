import AreaData
import Foundation
import LinearAlgebra
import Parquet
import Reporting
import SozmonIO
import Statistics
import Trends

/// `[trends]` and `[quarters]` in a part run, equal to the single run's tables.
///
/// A trend, a quarter comparison and the rank within a district (a top-level unit, never cut) are each a matter of
/// one area or one part; what needs all areas are the Benjamini–Hochberg q-values of each indicator and method, and
/// with them `deteriorating` and the quarters' `significant_deterioration`. So `split` cuts the tables of
/// `[trends]`/`[quarters]` into the same parts and records their order of areas; `apply` writes each part's rows in
/// full precision with, per trend row, whether the trend points to more need; `finish` puts the rows in the single
/// run's order and takes the q-values and the flags over all areas.
extension PartJob {
    static let trendAreasFile = "trend-areas.csv"
    static let moreNeed = "points_to_more_need"

    /// The file of the trend rows (`trends`) or quarter rows (`quarters`) of the `k`-th indicator of its section
    /// (from 1): one file per indicator, so that finish reads each indicator's rows alone.
    static func rowsFile(_ table: String, indicator k: Int) -> String {
        "\(table == "trends" ? "trend" : "quarter")-rows.\(k).csv"
    }

    /// The part's trend and quarter rows (`apply`), a file per table and indicator.
    func writeTrendRows(_ inputs: InputSet, to folder: AtomicFolder) throws {
        guard let report = try TrendStep(context: context).run(inputs) else { return }
        try folder.writeExchange(Self.trendAreasFile) { writer in
            try writer.row([.text("area_id")])
            for id in report.areaIDs { try writer.row([.text(id)]) }
        }
        for table in try report.tables() {
            let indicators = (table.name == "trends" ? config.trends?.indicators : config.quarters?.indicators) ?? []
            let column = table.column(named: "indicator") ?? []
            let extra = table.name == "trends" ? [Self.moreNeed: report.pointsToMoreNeed()] : [:]
            for (k, indicator) in indicators.enumerated() {
                try folder.writeExchange(Self.rowsFile(table.name, indicator: k + 1)) { writer in
                    try writer.write(table, extra: extra) { column[$0] == .text(indicator) }
                }
            }
        }
    }

    /// `trends.csv` and `quarters.csv` from the parts' rows (`apply` outputs, in part order) and the order of areas
    /// `split` recorded in `splitFolder`, written into `folder` one indicator at a time (the parts' rows of one
    /// indicator in memory, not all). Returns the tables' names.
    /// - Parameter hiding: areas of a small population, whose rows publish no number (as the single run's tables).
    func writeTrendTables(parts: [URL], splitFolder: URL, into folder: AtomicFolder, hiding small: Set<String> = []) throws -> [String] {
        guard config.trends != nil || config.quarters != nil else { return [] }
        // The table the trends' areas come from (that of [quarters] where there is one), and its order file.
        let table = config.quarters.map { $0.table ?? config.trends?.table } ?? config.trends?.table
        var order = splitFolder.appendingPathComponent(Self.orderFile)
        if let table, table != config.input.table {
            guard let tag = try SplitRecord.read(in: splitFolder).sections[table]?.tag else {
                throw InputError(file: splitFolder.appendingPathComponent(SplitRecord.file).path, message: "does not record how split cut \(table)")
            }
            order = splitFolder.appendingPathComponent("order.\(tag).csv")
        }
        // The areas in the single run's order, each with its part.
        let partAreas = try parts.map { try ExchangeTable($0.appendingPathComponent(Self.trendAreasFile), header: ["area_id"], textColumns: [0]).texts(0) }
        let sequence = try Interleaving(order, counts: partAreas.map(\.count), parts: parts).places.map {
            (id: partAreas[$0.part][$0.index], part: $0.part)
        }
        var names: [String] = []
        // Per indicator, the flags of its trend (Mann–Kendall, else OLS) by place in the sequence: false without a result.
        var flags: [String: (method: TrendMethod, worse: [Bool])] = [:]
        if let settings = config.trends {
            try writeTable(TrendReport.trendsTable(), indicators: settings.indicators, into: folder, hiding: small) { k, indicator in
                // The parts side by side on the cores (parsing is most of finish's work).
                let rows = try parallelMap(parts.count) { p in
                    try PartRows(parts[p].appendingPathComponent(Self.rowsFile("trends", indicator: k + 1)), schema: TrendColumn.self,
                                 extra: [(Self.moreNeed, .bool)], keys: [.indicator, .method], keeping: (.indicator, indicator))
                }
                return try trendRows(of: indicator, rows: rows, in: sequence, settings: settings, flags: &flags)
            }
            names.append("trends")
        }
        if let settings = config.quarters {
            try writeTable(TrendReport.quartersTable(), indicators: settings.indicators, into: folder, hiding: small) { k, indicator in
                let rows = try parallelMap(parts.count) { p in
                    try PartRows(parts[p].appendingPathComponent(Self.rowsFile("quarters", indicator: k + 1)), schema: QuarterColumn.self,
                                 keys: [.indicator], keeping: (.indicator, indicator))
                }
                let block = try PartRows.merged(rows, key: [indicator], in: sequence)
                var columnsOfBlock = block.columns
                if let worse = flags[indicator]?.worse {
                    columnsOfBlock[QuarterColumn.significantDeterioration.rawValue] = .bools(block.places.map { worse[$0] })
                }
                var table = TrendReport.quartersTable()
                table.append(Table.Block(count: block.count, columns: columnsOfBlock))
                return table
            }
            names.append("quarters")
        }
        return names
    }

    /// One indicator's rows of `trends.csv` in the single run's order, every method, with the q-values and
    /// `deteriorating` over the areas of all parts; records the indicator's flags (Mann–Kendall's, else OLS's) in `flags`.
    private func trendRows(of indicator: String, rows: [PartRows], in sequence: [(id: String, part: Int)], settings: RunConfig.Trends,
                           flags: inout [String: (method: TrendMethod, worse: [Bool])]) throws -> Table {
        var table = TrendReport.trendsTable()
        for method in TrendMethod.allCases {
            let block = try PartRows.merged(rows, key: [indicator, method.rawValue], in: sequence)
            // Every part's trends span the same periods (a part lacking the table's first or last period would not).
            for column in [TrendColumn.from, .to] where Set(block.texts(column)).count > 1 {
                throw config.error(at: "trends.indicators", "[trends] \(indicator): the parts' trends span different periods "
                                 + "(\(Set(block.texts(column)).sorted().joined(separator: ", "))): every part's table needs the same periods")
            }
            var columnsOfBlock = block.columns
            var worse = block.bools(TrendColumn.deteriorating).map { $0 == true }
            if method != .theilSen && !block.isEmpty {
                // q over the areas of all parts; a deterioration where q < α and the trend points to more need.
                let q = try benjaminiHochberg(block.numbers(TrendColumn.pValue))
                let moreNeed = block.bools(at: TrendColumn.allCases.count)
                worse = q.indices.map { q[$0] < settings.alpha && moreNeed[$0] == true }
                columnsOfBlock[TrendColumn.qValue.rawValue] = .numbers(q)
                columnsOfBlock[TrendColumn.deteriorating.rawValue] = .bools(worse)
            }
            // As sozmon run: Mann–Kendall's flags, else OLS's (a method asked for without any result: all false).
            if settings.methods.contains(method) && (method == .mannKendall || (method == .ols && flags[indicator] == nil)) {
                var flagged = [Bool](repeating: false, count: sequence.count)
                for (k, place) in block.places.enumerated() { flagged[place] = worse[k] }
                flags[indicator] = (method, flagged)
            }
            if !block.isEmpty {
                table.append(Table.Block(count: block.count, columns: Array(columnsOfBlock.prefix(TrendColumn.allCases.count))))
            }
        }
        return table
    }

    /// `tables/<name>.csv` (and, with `"parquet"` among the formats, `parquet/<name>.parquet`, a row group per
    /// indicator) from each indicator's rows, `rows(k, indicator)`, one indicator in memory at a time; rows of small
    /// areas publish no number. Parquet types a column by all its cells, as the single run does, so each indicator's
    /// rows are made once more beforehand for the evidence of the whole table.
    private func writeTable(_ empty: Table, indicators: [String], into folder: AtomicFolder, hiding small: Set<String>,
                            rows: (Int, String) throws -> Table) throws {
        let handle = try folder.create("tables/\(empty.name).csv")
        defer { try? handle.close() }
        try empty.writeCSV(to: handle, style: config.report.csvDialect)
        let symbol = DisclosureControl.symbol
        var stream: ParquetWriter.Stream?, parquet: FileHandle?
        defer { try? parquet?.close() }
        if config.report.formats.contains(.parquet) {
            var evidence = ParquetWriter.evidence(of: empty, suppressedSymbol: symbol)
            for (k, indicator) in indicators.enumerated() {
                let table = DisclosureControl.suppressingRows(of: small, in: try rows(k, indicator))
                evidence = zip(evidence, ParquetWriter.evidence(of: table, suppressedSymbol: symbol)).map { $0.merged(with: $1) }
            }
            parquet = try folder.create("parquet/\(empty.name).parquet")
            stream = try ParquetWriter.Stream(parquet!, evidence: evidence, suppressedSymbol: symbol)
        }
        for (k, indicator) in indicators.enumerated() {
            let table = DisclosureControl.suppressingRows(of: small, in: try rows(k, indicator))
            try table.writeCSV(to: handle, style: config.report.csvDialect, header: false)
            try stream?.append(table)
        }
        try stream?.finish(createdBy: "sozmon \(Sozmon.version)")
    }
}

/// The rows one part wrote of a table (`trend-rows.<k>.csv`, `quarter-rows.<k>.csv`), typed by column, grouped by key.
struct PartRows {
    let file: String
    let columns: [Table.Column]
    let areaIDs: [String]
    /// Row numbers of each key (e.g. indicator and method), in the part's order.
    let rowsOfKey: [[String]: [Int]]

    /// The rows of `url` with the columns of `schema` and then `extra`, grouped by `keys`, keeping the rows whose
    /// column `keeping.column` holds `keeping.value`.
    init<Schema: TableSchema>(_ url: URL, schema: Schema.Type, extra: [(name: String, kind: CellKind)] = [], keys: [Schema],
                              keeping: (column: Schema, value: String)) throws {
        let kinds = Schema.allCases.map { (name: $0.name, kind: $0.kind) } + extra
        let names = kinds.map(\.name)
        let textual = Set(kinds.indices.filter { kinds[$0].kind == .text || kinds[$0].kind == .bool })
        let table = try ExchangeTable(url, header: names, textColumns: textual, keeping: (keeping.column.rawValue, keeping.value))
        file = url.path
        columns = try kinds.indices.map { j -> Table.Column in
            switch kinds[j].kind {
            case .integer: return .integers(table.numbers(j).map { $0.isNaN ? nil : Int($0) })
            case .text: return .texts(table.texts(j))
            case .number: return .numbers(table.numbers(j))
            case .bool:
                return .bools(try table.texts(j).enumerated().map { r, text in
                    switch text {
                    case "true": true
                    case "false": false
                    case "": nil
                    default: throw InputError(file: url.path, line: r + 2, column: j + 1, message: "'\(text)' is not true or false")
                    }
                })
            }
        }
        areaIDs = table.texts(0)
        // The rows come in runs of one key (apply writes them so): a key is looked up where a run begins.
        var rowsOfKey: [[String]: [Int]] = [:], run: (key: [String], rows: [Int]) = ([], [])
        let keyColumns = keys.map { table.texts($0.rawValue) }
        for r in areaIDs.indices {
            if run.rows.isEmpty || !keyColumns.indices.allSatisfy({ keyColumns[$0][r] == run.key[$0] }) {
                if !run.rows.isEmpty { rowsOfKey[run.key, default: []] += run.rows }
                run = (keyColumns.map { $0[r] }, [])
            }
            run.rows.append(r)
        }
        if !run.rows.isEmpty { rowsOfKey[run.key, default: []] += run.rows }
        self.rowsOfKey = rowsOfKey
    }

    /// One block put together: the rows of `key` of every part, in the order of `sequence` (each area takes the next
    /// row of its part where that is its row: areas without a result have none).
    static func merged(_ parts: [PartRows], key: [String], in sequence: [(id: String, part: Int)]) throws -> MergedBlock {
        var picks: [(part: Int, row: Int)] = [], places: [Int] = [], next = [Int](repeating: 0, count: parts.count)
        let rowsOfPart = parts.map { $0.rowsOfKey[key] ?? [] }, ids = parts.map(\.areaIDs)
        for (place, (id, p)) in sequence.enumerated() {
            let rows = rowsOfPart[p]
            guard next[p] < rows.count, ids[p][rows[next[p]]] == id else { continue }
            picks.append((p, rows[next[p]]))
            places.append(place)
            next[p] += 1
        }
        if let p = parts.indices.first(where: { next[$0] != rowsOfPart[$0].count }) {
            throw InputError(file: parts[p].file, message: "rows of \(key.joined(separator: ", ")) out of the order of the part's areas")
        }
        return MergedBlock(count: picks.count, places: places, columns: parts.first.map { $0.columns.indices.map { j in
            column(parts.map { $0.columns[j] }, picks)
        } } ?? [])
    }

    private static func column(_ columns: [Table.Column], _ picks: [(part: Int, row: Int)]) -> Table.Column {
        switch columns[0] {
        case .texts: .texts(picks.map { if case .texts(let v) = columns[$0.part] { v[$0.row] } else { "" } })
        case .integers: .integers(picks.map { if case .integers(let v) = columns[$0.part] { v[$0.row] } else { nil } })
        case .bools: .bools(picks.map { if case .bools(let v) = columns[$0.part] { v[$0.row] } else { nil } })
        default: .numbers(picks.map { if case .numbers(let v) = columns[$0.part] { v[$0.row] } else { .nan } })
        }
    }
}

/// The rows of one block of a table, from all parts.
struct MergedBlock {
    let count: Int
    /// Each row's place in the sequence of all areas.
    let places: [Int]
    let columns: [Table.Column]
    var isEmpty: Bool { count == 0 }
    func texts(_ column: some TableSchema) -> [String] { if case .texts(let v) = columns[column.rawValue] { v } else { [] } }
    func numbers(_ column: some TableSchema) -> [Double] { if case .numbers(let v) = columns[column.rawValue] { v } else { [] } }
    func bools(_ column: some TableSchema) -> [Bool?] { bools(at: column.rawValue) }
    /// The column at `j` (a column after the schema's).
    func bools(at j: Int) -> [Bool?] { if case .bools(let v) = columns[j] { v } else { [] } }
}
