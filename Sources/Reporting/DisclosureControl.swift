import SozmonIO

/// Disclosure control for published tables (METHODS.md §6): population counts below a threshold (default 3; Berlin
/// never publishes counts of 1 or 2) are replaced by the official symbol `.`, and where a group of cells adds up to
/// a published total (the class populations of one index in a level summary), a second cell is suppressed too
/// (the smallest other non-zero one), so that the suppressed value cannot be recovered by subtraction.
public struct DisclosureControl: Sendable {
    public let threshold: Double
    public static let symbol = "."

    public init(threshold: Double = 3) { self.threshold = threshold }

    /// The footnote reports print under suppressed tables.
    public var footnote: String {
        "'\(Self.symbol)': suppressed to protect small counts (population below \(thresholdText), and a second cell "
            + "of the same group where the total would reveal it)"
    }

    /// The threshold as written in the footnote: a whole count without a decimal point.
    private var thresholdText: String {
        threshold == threshold.rounded() && abs(threshold) < 1e15 ? String(Int64(threshold)) : String(threshold)
    }

    /// The tables with small population counts suppressed, and how many cells were suppressed.
    public func apply(to tables: [Table]) -> (tables: [Table], suppressed: Int) {
        guard threshold > 0 else { return (tables, 0) }
        var count = 0
        let result = tables.map { table -> Table in
            var columns = table.columns.indices.filter { ["population", "target_population"].contains(table.columns[$0]) }
            var groups: [[Int]] = []
            if table.name.hasPrefix("summary_") {
                // Class populations per index: <index>_<class>_population, grouped by index.
                var byIndex: [String: [Int]] = [:]
                for (j, name) in table.columns.enumerated() where name.hasSuffix("_population") && name != "population" {
                    byIndex[String(name.split(separator: "_").first!), default: []].append(j)
                }
                groups = byIndex.keys.sorted().map { byIndex[$0]! }
                columns = [] // unit populations of levels are large; only class cells are checked
            }
            guard !columns.isEmpty || !groups.isEmpty else { return table }
            var out = Table(name: table.name, columns: table.columns)
            for row in table.rows {
                var cells = row
                func small(_ j: Int) -> Bool {
                    if case .number(let v) = cells[j] { return v > 0 && v < threshold }
                    return false
                }
                for j in columns where small(j) { cells[j] = .text(Self.symbol); count += 1 }
                for group in groups {
                    let primary = group.filter(small)
                    for j in primary { cells[j] = .text(Self.symbol); count += 1 }
                    if primary.count == 1 {
                        let others = group.filter { j in
                            if case .number(let v) = cells[j] { return v > 0 } else { return false }
                        }
                        if let secondary = others.min(by: { value(cells[$0]) < value(cells[$1]) }) {
                            cells[secondary] = .text(Self.symbol); count += 1
                        }
                    }
                }
                out.append(cells)
            }
            return out
        }
        return (result, count)
    }

    private func value(_ cell: Table.Cell) -> Double {
        if case .number(let v) = cell { return v }
        return .infinity
    }
}
