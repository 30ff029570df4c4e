/// How a report column is stored where columns are typed (GeoPackage, Parquet), from its cells: text where any cell
/// is text (other than the symbol of a suppressed cell), else real where any number is a fraction, integer where the
/// numbers are whole (a count column's whole numbers too, as the GeoJSON and the CSV write them), boolean; text for a
/// column of empty cells.
public enum StorageType: Sendable, Equatable {
    case text, real, integer, boolean

    /// - Parameter counts: whether the column counts (`NumberKind.count`): then whole numbers stored as doubles are
    ///   integers (up to 2⁵³).
    public init(of cells: [Table.Cell], counts: Bool, suppressedSymbol symbol: String) {
        var text = false, fraction = false, whole = false, bool = false
        for cell in cells {
            switch cell {
            case .text(let s): if s != symbol { text = true }
            case .number(let d):
                if counts && d.isFinite && d == d.rounded() && abs(d) <= 9_007_199_254_740_992 { whole = true } else { fraction = true }
            case .integer: whole = true
            case .bool: bool = true
            case .empty: break
            }
        }
        self = text || !(fraction || whole || bool) ? .text : fraction ? .real : whole ? .integer : .boolean
    }
}
