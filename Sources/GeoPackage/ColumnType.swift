import SozmonIO

/// The SQL type of a report column in a GeoPackage, from its cells: TEXT where any cell is text (other than the
/// symbol of a suppressed cell), else REAL where any is a fraction, INTEGER, BOOLEAN; TEXT for a column of empty cells.
/// A column of counts (`NumberKind.count`: population, numbers of areas) whose numbers are all whole is INTEGER, as
/// the GeoJSON and the CSV write it.
struct ColumnType {
    let sql: String
    /// Whether some cell is suppressed (then NULL, with a `<column>_suppressed` flag beside it).
    let hasSuppressed: Bool

    init(of cells: [Table.Cell], counts: Bool, suppressed symbol: String) {
        var text = false, number = false, integer = false, bool = false, suppressed = false
        for cell in cells {
            switch cell {
            case .text(let s): if s == symbol { suppressed = true } else { text = true }
            case .number(let d):
                if counts && d.isFinite && d == d.rounded() && abs(d) <= 9_007_199_254_740_992 { integer = true } else { number = true }
            case .integer: integer = true
            case .bool: bool = true
            case .empty: break
            }
        }
        sql = text || !(number || integer || bool) ? "TEXT" : number ? "REAL" : integer && !bool ? "INTEGER" : bool && !integer ? "BOOLEAN" : "INTEGER"
        hasSuppressed = suppressed && sql != "TEXT"
    }

    func value(_ cell: Table.Cell) -> SQLiteValue {
        switch cell {
        case .text(let s): sql == "TEXT" ? .text(s) : .null
        case .number(let d): !d.isFinite ? .null : sql == "TEXT" ? .text("\(d)") : sql == "INTEGER" ? .integer(Int64(d)) : .real(d)
        case .integer(let i): sql == "REAL" ? .real(Double(i)) : sql == "TEXT" ? .text("\(i)") : .integer(Int64(i))
        case .bool(let b): sql == "TEXT" ? .text(b ? "true" : "false") : .integer(b ? 1 : 0)
        case .empty: .null
        }
    }
}
