/// How a report column is stored where columns are typed (GeoPackage, Parquet), from its cells: text where any cell
/// is text (other than the symbol of a suppressed cell), else real where any number is a fraction, integer where the
/// numbers are whole (a count column's whole numbers too, as the GeoJSON and the CSV write them), boolean; text for a
/// column of empty cells.
public enum StorageType: Sendable, Equatable {
    case text, real, integer, boolean

    /// What a column's cells show about its type; the evidence of parts of a column merges into the whole column's
    /// (a part run decides each column's type over all parts so, as the single run does over all cells).
    public struct Evidence: Codable, Sendable, Equatable {
        public var text = false, fraction = false, whole = false, bool = false
        /// Whether a cell holds the symbol of a suppressed cell.
        public var suppressed = false

        /// The evidence of column `j` of `table`, block by block (without an array of the column's cells).
        /// - Parameter counts: whether the column counts (`NumberKind.count`): then whole numbers stored as doubles
        ///   are integers (up to 2⁵³).
        public init(_ table: Table, column j: Int, counts: Bool, suppressedSymbol symbol: String) {
            for block in table.blocks {
                for row in 0..<block.count { add(block[row, j], counts: counts, suppressedSymbol: symbol) }
            }
        }

        private mutating func add(_ cell: Table.Cell, counts: Bool, suppressedSymbol symbol: String) {
            switch cell {
            case .text(let s): if s == symbol { suppressed = true } else { text = true }
            case .number(let d):
                if counts && d.isFinite && d == d.rounded() && abs(d) <= 9_007_199_254_740_992 { whole = true } else { fraction = true }
            case .integer: whole = true
            case .bool: bool = true
            case .empty: break
            }
        }

        /// The evidence of both parts.
        public func merged(with other: Evidence) -> Evidence {
            var m = self
            m.text = text || other.text; m.fraction = fraction || other.fraction; m.whole = whole || other.whole
            m.bool = bool || other.bool; m.suppressed = suppressed || other.suppressed
            return m
        }
    }

    public init(_ evidence: Evidence) {
        let e = evidence
        self = e.text || !(e.fraction || e.whole || e.bool) ? .text : e.fraction ? .real : e.whole ? .integer : .boolean
    }
}
