import SozmonIO

/// Disclosure control for everything a person can read (METHODS.md §6): counts of people below a threshold
/// (default 3; Berlin never publishes counts of 1 or 2) are replaced by the official symbol `.`, and where a group
/// of cells adds up to a published total, a second cell is suppressed too, so that no suppressed count can be
/// recovered by subtraction.
///
/// The groups whose totals are published:
/// - the areas of one lowest-level unit (e.g. the Planungsräume of a Bezirksregion) in one period: their
///   populations add up to the unit's population in `summary_<level>.csv` and the profiles;
/// - the class populations of one index in one row of a level summary or on one profile page.
/// In the row of a small population, its other numbers (shares, rates, z-values) are suppressed too; with any
/// suppressed count go the shares computed from it and its rates per 1 000. Level totals are suppressed where they
/// are small. The choice of the second cell depends only on the values and the area ids, so every table suppresses
/// the same cells.
public struct DisclosureControl: Sendable {
    public let threshold: Double
    /// The group of each area id (its lowest-level parent); areas without one form one group, the city.
    public let groupOfArea: [String: String]
    /// Further columns that count people (e.g. the numerators and denominators of `input.counts`), each with the
    /// columns computed from it (its share and the share's z-value), which go with a suppressed count.
    public let counts: [String: [String]]
    public static let symbol = "."

    public init(threshold: Double = 3, groupOfArea: [String: String] = [:], counts: [String: [String]] = [:]) {
        self.threshold = threshold
        self.groupOfArea = groupOfArea
        self.counts = counts
    }

    /// The footnote reports print under suppressed tables.
    public var footnote: String {
        "'\(Self.symbol)': suppressed to protect small counts (population below \(threshold.plainText), and a second cell "
            + "of the same group where the total would reveal it)"
    }

    /// Whether `count` is a small count to suppress: positive and below the threshold (0 is published: "nothing").
    public func isSmall(_ count: Double) -> Bool { threshold > 0 && count > 0 && count < threshold }

    /// Which cells of a group whose total is published are suppressed: every small count (primary) and, where
    /// exactly one is, the smallest other positive count (secondary; ties go to the first in `order`).
    /// - Parameter order: a key per cell that fixes the choice among equal counts (e.g. the area id).
    public func suppressedCells(_ counts: [Double], order: [String]? = nil) -> [Bool] {
        var suppressed = counts.map(isSmall)
        guard suppressed.filter({ $0 }).count == 1 else { return suppressed }
        let key = order ?? counts.indices.map { String($0) }
        let candidates = counts.indices.filter { !suppressed[$0] && counts[$0] > 0 }
        if let secondary = candidates.min(by: { (counts[$0], key[$0]) < (counts[$1], key[$1]) }) {
            suppressed[secondary] = true
        }
        return suppressed
    }

    /// A cell to suppress.
    private struct Mark: Hashable { var row: Int, column: Int }

    /// The tables with small counts suppressed, and how many cells were suppressed.
    public func apply(to tables: [Table]) -> (tables: [Table], suppressed: Int) {
        let results = tables.map(apply)
        return (results.map(\.table), results.reduce(0) { $0 + $1.suppressed })
    }

    /// The table with small counts suppressed, and how many cells were suppressed.
    public func apply(to table: Table) -> (table: Table, suppressed: Int) {
        guard threshold > 0 else { return (table, 0) }
        var marks: Set<Mark> = []
        markAreaGroups(table, &marks)
        markLevelRows(table, &marks)
        var out = table
        for mark in marks { out.replace(row: mark.row, column: mark.column, with: .text(Self.symbol)) }
        return (out, marks.count)
    }

    /// Tables with a row per area (a column of role `.areaID`): each count column, grouped by the area's unit and the
    /// row's period.
    private func markAreaGroups(_ table: Table, _ marks: inout Set<Mark>) {
        let roles = table.roles
        let countColumns = roles.indices.filter { isCount(table, $0) }
        guard let idColumn = roles.firstIndex(of: .areaID), !countColumns.isEmpty else { return }
        let ids = table.column(idColumn).map(Self.text)
        let periods = roles.firstIndex(of: .period).map { table.column($0).map(Self.text) }
        var groups: [[String]: [Int]] = [:]
        for i in ids.indices { groups[[groupOfArea[ids[i]] ?? "", periods?[i] ?? ""], default: []].append(i) }
        for j in countColumns {
            let isPopulation = roles[j] == .population
            let shares = Set(counts[table.columns[j]] ?? [])
            // What would give the count back: a rate per 1 000 of it beside a published numerator; the shares
            // computed from it and their z-values; and, in the row of a small population, every number of the row
            // (a population-weighted level mean of them and the other areas' values would solve for it).
            let goesWith = roles.indices.filter { k in
                switch roles[k] {
                case .rate: true
                case .zValue(let indicator): shares.contains(indicator)
                default: shares.contains(table.columns[k])
                }
            }
            let values = table.column(j).map(Self.value)
            for rows in groups.values {
                let flags = suppressedCells(rows.map { values[$0] }, order: rows.map { ids[$0] })
                for (i, flag) in zip(rows, flags) where flag {
                    marks.insert(Mark(row: i, column: j))
                    for k in goesWith { marks.insert(Mark(row: i, column: k)) }
                    guard isPopulation && isSmall(values[i]) else { continue }
                    for k in roles.indices where Self.isNumber(table[i, k]) && !Self.isKey(roles[k]) {
                        marks.insert(Mark(row: i, column: k))
                    }
                }
            }
        }
    }

    /// Whether column `j` counts people: a population, or a count column of the config (`counts`).
    private func isCount(_ table: Table, _ j: Int) -> Bool { table.roles[j] == .population || counts[table.columns[j]] != nil }

    private static func isNumber(_ cell: Table.Cell) -> Bool {
        switch cell {
        case .number(let v): !v.isNaN
        case .integer: true
        default: false
        }
    }

    /// Identifying columns, never suppressed.
    private static func isKey(_ role: ColumnRole) -> Bool { role == .areaID || role == .period || role == .key }

    /// Tables with a row per unit of a level (no area ids): small unit totals, and the parts of each unit's
    /// population (the class populations of each index) as one group per row.
    private func markLevelRows(_ table: Table, _ marks: inout Set<Mark>) {
        guard !table.roles.contains(.areaID) else { return }
        var parts: [String: [Int]] = [:]
        for (j, role) in table.roles.enumerated() {
            if case .part(let group) = role { parts[group, default: []].append(j) }
        }
        let totals = table.roles.indices.filter { isCount(table, $0) }
        // Most tables have neither (trends, clusters, …): their rows are not looked at.
        guard !totals.isEmpty || !parts.isEmpty else { return }
        let columns = Dictionary(uniqueKeysWithValues: (totals + parts.values.joined()).map { ($0, table.column($0).map(Self.value)) })
        for i in 0..<table.rowCount {
            for j in totals where isSmall(columns[j]![i]) { marks.insert(Mark(row: i, column: j)) }
            for group in parts.values {
                for (j, flag) in zip(group, suppressedCells(group.map { columns[$0]![i] })) where flag {
                    marks.insert(Mark(row: i, column: j))
                }
            }
        }
    }

    private static func value(_ cell: Table.Cell) -> Double {
        switch cell {
        case .number(let v): v
        case .integer(let v): Double(v)
        default: 0
        }
    }

    private static func text(_ cell: Table.Cell) -> String {
        if case .text(let s) = cell { return s }
        return ""
    }
}
