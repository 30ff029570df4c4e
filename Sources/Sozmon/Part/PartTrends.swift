import AreaData
import Foundation
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
    static let trendRowsFile = "trend-rows.csv"
    static let quarterRowsFile = "quarter-rows.csv"
    static let moreNeed = "points_to_more_need"

    /// The part's trend and quarter rows (`apply`).
    func writeTrendRows(_ inputs: InputSet, to folder: AtomicFolder) throws {
        guard let report = try TrendStep(context: context).run(inputs) else { return }
        let tables = try report.tables()
        var handle = try folder.create(Self.trendAreasFile)
        var writer = ExchangeWriter(handle: handle)
        try writer.row([.text("area_id")])
        for id in report.areaIDs { try writer.row([.text(id)]) }
        try writer.flush()
        try handle.close()
        for table in tables {
            handle = try folder.create(table.name == "trends" ? Self.trendRowsFile : Self.quarterRowsFile)
            defer { try? handle.close() }
            writer = ExchangeWriter(handle: handle)
            try writer.write(table, extra: table.name == "trends" ? [Self.moreNeed: report.pointsToMoreNeed()] : [:])
            try writer.flush()
        }
    }

    /// `trends.csv` and `quarters.csv` from the parts' rows (`apply` outputs, in part order) and the order of areas
    /// `split` recorded in `splitFolder`.
    func trendTables(parts: [URL], splitFolder: URL) throws -> [Table] {
        guard config.trends != nil || config.quarters != nil else { return [] }
        // The table the trends' areas come from (that of [quarters] where there is one), and its order file.
        let table = config.quarters.map { $0.table ?? config.trends?.table } ?? config.trends?.table
        var order = splitFolder.appendingPathComponent(Self.orderFile)
        if let table, table != config.input.table {
            let sections = splitFolder.appendingPathComponent("sections.json")
            guard let data = try? Data(contentsOf: sections),
                  let recorded = try? JSONSerialization.jsonObject(with: data) as? [String: [String: String]],
                  let tag = recorded[table]?["tag"] else {
                throw InputError(file: sections.path, message: "does not record how split cut \(table)")
            }
            order = splitFolder.appendingPathComponent("order.\(tag).csv")
        }
        // The areas in the single run's order, each with its part.
        let partAreas = try parts.map { try ExchangeTable($0.appendingPathComponent(Self.trendAreasFile), header: ["area_id"], textColumns: [0]).texts(0) }
        let sequence = try Interleaving(order, counts: partAreas.map(\.count), parts: parts).places.map {
            (id: partAreas[$0.part][$0.index], part: $0.part)
        }
        var result: [Table] = []
        var flags: [String: (method: String, worse: [String: Bool])] = [:]
        if let settings = config.trends {
            let columns = TrendReport.trendColumns
            let rows = try parts.map { try PartRows($0.appendingPathComponent(Self.trendRowsFile), columns: columns + [Self.moreNeed],
                                                   keys: [1, 2], texts: [0, 1, 2, 3, 4, 18], integers: [5], bools: [19, 20]) }
            var table = TrendReport.trendsTable()
            for indicator in settings.indicators {
                for method in TrendMethod.allCases.map(\.rawValue) {
                    let block = try PartRows.merged(rows, key: [indicator, method], in: sequence)
                    // A method asked for that no area has a result of still sets the indicator's flags (all false).
                    if block.isEmpty {
                        if [.mannKendall, .ols].contains(TrendMethod(rawValue: method)!) && settings.methods.contains(TrendMethod(rawValue: method)!)
                            && (method == TrendMethod.mannKendall.rawValue || flags[indicator] == nil) {
                            flags[indicator] = (method, [:])
                        }
                        continue
                    }
                    // Every part's trends span the same periods (a part lacking the table's first or last period would not).
                    for j in [3, 4] where Set(block.texts(j)).count > 1 {
                        throw InputError(file: configURL.path, message: "[trends] \(indicator): the parts' trends span different periods "
                                         + "(\(Set(block.texts(j)).sorted().joined(separator: ", "))): every part's table needs the same periods")
                    }
                    var columnsOfBlock = block.columns
                    if method != TrendMethod.theilSen.rawValue {
                        // q over the areas of all parts; a deterioration where q < α and the trend points to more need.
                        let q = try benjaminiHochberg(block.numbers(9))
                        let moreNeed = block.bools(20)
                        columnsOfBlock[10] = .numbers(q)
                        columnsOfBlock[19] = .bools(q.indices.map { q[$0] < settings.alpha && moreNeed[$0] == true })
                    }
                    let worse = columnsOfBlock[19]
                    if method == TrendMethod.mannKendall.rawValue || (method == TrendMethod.ols.rawValue && flags[indicator] == nil),
                       case .bools(let values) = worse {
                        flags[indicator] = (method, Dictionary(uniqueKeysWithValues: zip(block.texts(0), values.map { $0 == true })))
                    }
                    table.append(Table.Block(count: block.count, columns: Array(columnsOfBlock.prefix(columns.count))))
                }
            }
            result.append(table)
        }
        if let settings = config.quarters {
            let columns = TrendReport.quartersTable().columns
            let rows = try parts.map { try PartRows($0.appendingPathComponent(Self.quarterRowsFile), columns: columns, keys: [2],
                                                   texts: [0, 1, 2, 3, 5, 8], integers: [12], bools: [11, 13]) }
            var table = TrendReport.quartersTable()
            for indicator in settings.indicators {
                let block = try PartRows.merged(rows, key: [indicator], in: sequence)
                var columnsOfBlock = block.columns
                // The flag of the indicator's trend (Mann–Kendall, else OLS) over all areas: false without a result.
                if let worse = flags[indicator]?.worse {
                    columnsOfBlock[13] = .bools(block.texts(0).map { worse[$0] ?? false })
                }
                table.append(Table.Block(count: block.count, columns: columnsOfBlock))
            }
            result.append(table)
        }
        return result
    }
}

/// The rows one part wrote of a table (`trend-rows.csv`, `quarter-rows.csv`), typed by column, grouped by key.
struct PartRows {
    let file: String
    let columns: [Table.Column]
    let areaIDs: [String]
    /// Row numbers of each key (e.g. indicator and method), in the part's order.
    let rowsOfKey: [[String]: [Int]]

    init(_ url: URL, columns names: [String], keys: [Int], texts: Set<Int>, integers: Set<Int>, bools: Set<Int>) throws {
        let table = try ExchangeTable(url, header: names, textColumns: texts.union(bools))
        file = url.path
        columns = try names.indices.map { j -> Table.Column in
            if integers.contains(j) { return .integers(table.numbers(j).map { $0.isNaN ? nil : Int($0) }) }
            if bools.contains(j) {
                return .bools(try table.texts(j).enumerated().map { r, text in
                    switch text {
                    case "true": true
                    case "false": false
                    case "": nil
                    default: throw InputError(file: url.path, line: r + 2, column: j + 1, message: "'\(text)' is not true or false")
                    }
                })
            }
            return texts.contains(j) ? .texts(table.texts(j)) : .numbers(table.numbers(j))
        }
        areaIDs = table.texts(0)
        var rowsOfKey: [[String]: [Int]] = [:]
        let keyColumns = keys.map { table.texts($0) }
        for r in areaIDs.indices { rowsOfKey[keyColumns.map { $0[r] }, default: []].append(r) }
        self.rowsOfKey = rowsOfKey
    }

    /// One block put together: the rows of `key` of every part, in the order of `sequence` (each area takes the next
    /// row of its part where that is its row: areas without a result have none).
    static func merged(_ parts: [PartRows], key: [String], in sequence: [(id: String, part: Int)]) throws -> MergedBlock {
        var picks: [(part: Int, row: Int)] = [], next = [Int](repeating: 0, count: parts.count)
        let rowsOfPart = parts.map { $0.rowsOfKey[key] ?? [] }, ids = parts.map(\.areaIDs)
        for (id, p) in sequence {
            let rows = rowsOfPart[p]
            guard next[p] < rows.count, ids[p][rows[next[p]]] == id else { continue }
            picks.append((p, rows[next[p]]))
            next[p] += 1
        }
        if let p = parts.indices.first(where: { next[$0] != rowsOfPart[$0].count }) {
            throw InputError(file: parts[p].file, message: "rows of \(key.joined(separator: ", ")) out of the order of the part's areas")
        }
        return MergedBlock(count: picks.count, columns: parts.first.map { $0.columns.indices.map { j in
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
    let columns: [Table.Column]
    var isEmpty: Bool { count == 0 }
    func texts(_ j: Int) -> [String] { if case .texts(let v) = columns[j] { v } else { [] } }
    func numbers(_ j: Int) -> [Double] { if case .numbers(let v) = columns[j] { v } else { [] } }
    func bools(_ j: Int) -> [Bool?] { if case .bools(let v) = columns[j] { v } else { [] } }
}
