import SozmonIO

/// The SQL type of a report column in a GeoPackage, from its cells: TEXT where any cell is text (other than the
/// symbol of a suppressed cell), else REAL where any is a fraction, INTEGER, BOOLEAN; TEXT for a column of empty cells.
struct ColumnType {
    let sql: String
    /// Whether some cell is suppressed (then NULL, with a `<column>_suppressed` flag beside it).
    let hasSuppressed: Bool

    init(of cells: [Table.Cell], suppressed symbol: String) {
        var text = false, number = false, integer = false, bool = false, suppressed = false
        for cell in cells {
            switch cell {
            case .text(let s): if s == symbol { suppressed = true } else { text = true }
            case .number: number = true
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
        case .number(let d): d.isFinite ? (sql == "TEXT" ? .text("\(d)") : .real(d)) : .null
        case .integer(let i): sql == "REAL" ? .real(Double(i)) : sql == "TEXT" ? .text("\(i)") : .integer(Int64(i))
        case .bool(let b): sql == "TEXT" ? .text(b ? "true" : "false") : .integer(b ? 1 : 0)
        case .empty: .null
        }
    }
}
