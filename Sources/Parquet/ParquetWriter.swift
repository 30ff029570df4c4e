import Foundation
import SozmonIO

/// Writes a table as an Apache Parquet file (format 2.x; docs/architecture.md, "Parquet"): `PAR1`, then row groups of
/// at most `rowsPerGroup` rows, each with a chunk per column (`ColumnChunk`: uncompressed, PLAIN or dictionary
/// encoded, with statistics), then the footer — the `FileMetaData` in Thrift's compact protocol, its length and `PAR1`.
/// Every column is OPTIONAL; text is UTF-8 (`STRING`), ids among it, so that leading zeros stay. pyarrow, DuckDB and
/// polars read the files (a test checks all three).
///
/// Written by hand because no Parquet library is among the allowed packages; compression is left out (the files
/// are for loading, and zstd would need a C library of its own).
public enum ParquetWriter {
    public static let rowsPerGroup = 1 << 20

    /// The file's bytes for `table`; a suppressed cell (`suppressedSymbol`) of a numeric column is null, with
    /// `<column>_suppressed` beside it.
    public static func encode(_ table: Table, suppressedSymbol: String, createdBy: String = "sozmon",
                              rowsPerGroup: Int = rowsPerGroup) -> [UInt8] {
        let columns = ParquetColumn.columns(of: table, suppressedSymbol: suppressedSymbol)
        var out = Array("PAR1".utf8)
        var groups: [(chunks: [(chunk: ColumnChunk, offset: Int)], rows: Int, bytes: Int)] = []
        for first in stride(from: 0, to: max(table.rowCount, 1), by: max(rowsPerGroup, 1)) {
            let rows = first..<min(first + rowsPerGroup, table.rowCount)
            let start = out.count
            var chunks: [(chunk: ColumnChunk, offset: Int)] = []
            for column in columns {
                let chunk = ColumnChunk(column, rows: rows)
                chunks.append((chunk, out.count))
                out += chunk.bytes
            }
            groups.append((chunks, rows.count, out.count - start))
        }
        let footer = metadata(columns: columns, groups: groups, rowCount: table.rowCount, createdBy: createdBy)
        out += footer
        ColumnChunk.append32(UInt32(footer.count), to: &out)
        out += Array("PAR1".utf8)
        return out
    }

    /// `FileMetaData`: version, schema (a root and a leaf per column), rows, row groups with their column chunks'
    /// metadata and statistics, and who wrote it.
    private static func metadata(columns: [ParquetColumn], groups: [(chunks: [(chunk: ColumnChunk, offset: Int)], rows: Int, bytes: Int)],
                                 rowCount: Int, createdBy: String) -> [UInt8] {
        var t = ThriftCompact()
        t.beginStruct()
        t.i32(1, 1)
        t.list(2, of: .structure, count: columns.count + 1) { s, k in
            guard k > 0 else { s.string(4, "schema"); s.i32(5, Int32(columns.count)); return }
            let column = columns[k - 1]
            s.i32(1, column.physical.rawValue)
            s.i32(3, 1)  // OPTIONAL
            s.string(4, column.name)
            if column.physical == .byteArray {
                s.i32(6, 0)  // converted type UTF8
                s.structure(10) { logical in logical.structure(1) { _ in } }  // logical type STRING
            }
        }
        t.i64(3, Int64(rowCount))
        t.list(4, of: .structure, count: groups.count) { g, k in
            let group = groups[k]
            g.list(1, of: .structure, count: group.chunks.count) { c, j in
                let (chunk, offset) = group.chunks[j]
                c.i64(2, Int64(offset + (chunk.dictionaryPage ?? chunk.dataPage)))
                c.structure(3) { m in
                    m.i32(1, chunk.physical.rawValue)
                    m.list(2, of: .i32, count: chunk.encodings.count) { e, k in e.element(i32: chunk.encodings[k]) }
                    m.list(3, of: .binary, count: 1) { p, _ in p.element(string: chunk.name) }
                    m.i32(4, 0)  // UNCOMPRESSED
                    m.i64(5, Int64(chunk.rowCount))
                    m.i64(6, Int64(chunk.bytes.count))
                    m.i64(7, Int64(chunk.bytes.count))
                    m.i64(9, Int64(offset + chunk.dataPage))
                    if let dictionary = chunk.dictionaryPage { m.i64(11, Int64(offset + dictionary)) }
                    m.structure(12) { s in
                        s.i64(3, Int64(chunk.nullCount))
                        if let high = chunk.maximum { s.binary(5, high) }
                        if let low = chunk.minimum { s.binary(6, low) }
                    }
                }
            }
            g.i64(2, Int64(group.bytes))
            g.i64(3, Int64(group.rows))
        }
        t.string(6, createdBy)
        // Each column ordered as its type defines (text by its UTF-8 bytes), so that readers trust min and max.
        t.list(7, of: .structure, count: columns.count) { o, _ in o.structure(1) { _ in } }
        t.endStruct()
        return t.bytes
    }
}
