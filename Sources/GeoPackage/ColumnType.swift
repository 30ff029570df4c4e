import SozmonIO

/// The SQL type of a report column in a GeoPackage: its `StorageType` as TEXT, REAL, INTEGER or BOOLEAN.
struct ColumnType {
    let storage: StorageType
    /// Whether some cell is suppressed (then NULL, with a `<column>_suppressed` flag beside it).
    let hasSuppressed: Bool

    init(_ table: Table, column j: Int, suppressed symbol: String) {
        let evidence = StorageType.Evidence(table, column: j, counts: NumberKind(table, column: j) == .count, suppressedSymbol: symbol)
        storage = StorageType(evidence)
        hasSuppressed = storage != .text && evidence.suppressed
    }

    var sql: String {
        switch storage {
        case .text: "TEXT"
        case .real: "REAL"
        case .integer: "INTEGER"
        case .boolean: "BOOLEAN"
        }
    }

    /// The value stored for `cell`: text only in a TEXT column (a suppressed cell elsewhere is NULL), numbers as the
    /// column's type, NULL for empty cells and NaN.
    func value(_ cell: Table.Cell) -> SQLiteValue {
        switch (cell, storage) {
        case (.text(let s), .text): .text(s)
        case (.text, _), (.empty, _): .null
        case (.number(let d), _) where !d.isFinite: .null
        case (.number(let d), .text): .text("\(d)")
        case (.number(let d), .integer): .integer(Int64(d))
        case (.number(let d), _): .real(d)
        case (.integer(let i), .real): .real(Double(i))
        case (.integer(let i), .text): .text("\(i)")
        case (.integer(let i), _): .integer(Int64(i))
        case (.bool(let b), .text): .text(b ? "true" : "false")
        case (.bool(let b), _): .integer(b ? 1 : 0)
        }
    }
}
