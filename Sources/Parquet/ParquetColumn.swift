import SozmonIO

/// One column of a table as Parquet stores it (Apache Parquet format 2.x): an OPTIONAL leaf whose physical type is the
/// column's `StorageType` — BYTE_ARRAY (UTF-8 text, the ids among them), DOUBLE, INT64, BOOLEAN — with its values, nil
/// where a cell is empty or suppressed.
struct ParquetColumn {
    enum Values {
        case booleans([Bool?]), integers([Int64?]), doubles([Double?]), strings([String?])
    }

    /// Parquet's physical types (`Type` in parquet.thrift).
    enum Physical: Int32 { case boolean = 0, int64 = 2, double = 5, byteArray = 6 }

    let name: String
    let values: Values

    var physical: Physical {
        switch values {
        case .booleans: .boolean
        case .integers: .int64
        case .doubles: .double
        case .strings: .byteArray
        }
    }

    /// The columns of `table` in its order; a numeric column with suppressed cells (`symbol`) is followed by a
    /// BOOLEAN `<name>_suppressed`, as in the GeoPackage.
    static func columns(of table: Table, suppressedSymbol symbol: String) -> [ParquetColumn] {
        columns(of: table, evidence: ParquetWriter.evidence(of: table, suppressedSymbol: symbol), suppressedSymbol: symbol)
    }

    /// The columns of `table` typed by `evidence` (one per column: a part's table typed as the whole column is).
    static func columns(of table: Table, evidence: [StorageType.Evidence], suppressedSymbol symbol: String) -> [ParquetColumn] {
        table.columns.indices.flatMap { j -> [ParquetColumn] in
            let cells = table.column(j)
            let column = ParquetColumn(name: table.columns[j], cells: cells, storage: StorageType(evidence[j]))
            guard case .strings = column.values else {
                return evidence[j].suppressed
                    ? [column, ParquetColumn(name: table.columns[j] + "_suppressed", values: .booleans(cells.map { $0 == .text(symbol) }))]
                    : [column]
            }
            return [column]
        }
    }

    init(name: String, values: Values) { self.name = name; self.values = values }

    init(name: String, cells: [Table.Cell], storage: StorageType) {
        self.name = name
        switch storage {
        case .text:
            values = .strings(cells.map { cell in
                switch cell {
                case .text(let s): s
                case .number(let d): d.isFinite ? "\(d)" : nil
                case .integer(let i): "\(i)"
                case .bool(let b): b ? "true" : "false"
                case .empty: nil
                }
            })
        case .real:
            values = .doubles(cells.map { cell in
                switch cell {
                case .number(let d): d.isFinite ? d : nil
                case .integer(let i): Double(i)
                case .bool(let b): b ? 1 : 0
                case .text, .empty: nil
                }
            })
        case .integer:
            values = .integers(cells.map { cell in
                switch cell {
                case .number(let d): d.isFinite ? Int64(d) : nil
                case .integer(let i): Int64(i)
                case .bool(let b): b ? 1 : 0
                case .text, .empty: nil
                }
            })
        case .boolean:
            values = .booleans(cells.map { if case .bool(let b) = $0 { b } else { nil } })
        }
    }
}
