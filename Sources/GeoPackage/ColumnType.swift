import SozmonIO

/// The SQL type of a report column in a GeoPackage: its `StorageType` as TEXT, REAL, INTEGER or BOOLEAN.
struct ColumnType {
    let sql: String
    /// Whether some cell is suppressed (then NULL, with a `<column>_suppressed` flag beside it).
    let hasSuppressed: Bool

    init(_ table: Table, column j: Int, suppressed symbol: String) {
        let cells = table.column(j)
        let storage = StorageType(of: cells, counts: NumberKind(table, column: j) == .count, suppressedSymbol: symbol)
        sql = switch storage {
        case .text: "TEXT"
        case .real: "REAL"
        case .integer: "INTEGER"
        case .boolean: "BOOLEAN"
        }
        hasSuppressed = storage != .text && cells.contains(.text(symbol))
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
