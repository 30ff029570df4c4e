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
        var layout = FileLayout()
        var out = Array("PAR1".utf8)
        for first in stride(from: 0, to: max(table.rowCount, 1), by: max(rowsPerGroup, 1)) {
            out += layout.rowGroup(columns, rows: first..<min(first + rowsPerGroup, table.rowCount))
        }
        return out + layout.footer(createdBy: createdBy)
    }

    /// What the cells of each column of `table` show about its type: the evidence of the parts of a table, merged
    /// column by column, types the parts' row groups of one file (`Stream`) as the whole table would be typed.
    public static func evidence(of table: Table, suppressedSymbol: String) -> [StorageType.Evidence] {
        table.columns.indices.map { j in
            StorageType.Evidence(table, column: j, counts: NumberKind(table, column: j) == .count, suppressedSymbol: suppressedSymbol)
        }
    }

    /// A file written one row group at a time (a part run: a group per part), each typed by the evidence of the whole
    /// table, so that the groups agree; one group's columns in memory at a time.
    public struct Stream {
        private let handle: FileHandle
        private let evidence: [StorageType.Evidence]
        private let symbol: String
        private var layout = FileLayout()

        /// Starts the file at `handle`; `evidence` is that of every column of the whole table.
        public init(_ handle: FileHandle, evidence: [StorageType.Evidence], suppressedSymbol: String) throws {
            (self.handle, self.evidence, symbol) = (handle, evidence, suppressedSymbol)
            try handle.write(contentsOf: Array("PAR1".utf8))
        }

        /// Appends `table` (the table's next rows, its columns those of the evidence) as a row group.
        public mutating func append(_ table: Table) throws {
            precondition(table.columns.count == evidence.count, "a row group has the table's columns")
            try handle.write(contentsOf: layout.rowGroup(ParquetColumn.columns(of: table, evidence: evidence, suppressedSymbol: symbol),
                                                         rows: 0..<table.rowCount))
        }

        /// Writes the footer.
        public mutating func finish(createdBy: String = "sozmon") throws {
            try handle.write(contentsOf: layout.footer(createdBy: createdBy))
        }
    }
}

/// Where a file's row groups are, for its footer: each group's column chunks (their metadata) at their offsets.
struct FileLayout {
    private var schema: [(name: String, physical: ParquetColumn.Physical)] = []
    private var groups: [(chunks: [(chunk: ColumnChunk, offset: Int)], rows: Int, bytes: Int)] = []
    /// The next group's offset: after `PAR1` and the groups so far.
    private var offset = 4
    private var rowCount = 0

    /// The bytes of a row group of `columns`' `rows`, noted for the footer.
    mutating func rowGroup(_ columns: [ParquetColumn], rows: Range<Int>) -> [UInt8] {
        let names = columns.map { (name: $0.name, physical: $0.physical) }
        if groups.isEmpty { schema = names }
        precondition(names.elementsEqual(schema) { $0.name == $1.name && $0.physical == $1.physical }, "row groups of one schema")
        var out: [UInt8] = [], chunks: [(chunk: ColumnChunk, offset: Int)] = []
        for column in columns {
            let chunk = ColumnChunk(column, rows: rows)
            chunks.append((chunk.withoutBytes(), offset + out.count))  // the footer needs where, not what
            out += chunk.bytes
        }
        groups.append((chunks, rows.count, out.count))
        offset += out.count
        rowCount += rows.count
        return out
    }

    /// The footer: `FileMetaData` — version, schema (a root and a leaf per column), rows, row groups with their column
    /// chunks' metadata and statistics, who wrote it — in Thrift's compact protocol, its length and `PAR1`.
    func footer(createdBy: String) -> [UInt8] {
        var t = ThriftCompact()
        t.beginStruct()
        t.i32(1, 1)
        t.list(2, of: .structure, count: schema.count + 1) { s, k in
            guard k > 0 else { s.string(4, "schema"); s.i32(5, Int32(schema.count)); return }
            let column = schema[k - 1]
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
                    m.i64(6, Int64(chunk.size))
                    m.i64(7, Int64(chunk.size))
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
        t.list(7, of: .structure, count: schema.count) { o, _ in o.structure(1) { _ in } }
        t.endStruct()
        var out = t.bytes
        ColumnChunk.append32(UInt32(out.count), to: &out)
        return out + Array("PAR1".utf8)
    }
}
