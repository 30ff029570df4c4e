import Foundation
@testable import Parquet
import SozmonIO
import Testing

/// The pieces of the Parquet writer against the format's own examples and hand-derived bytes; that pyarrow, DuckDB
/// and polars read whole reports is checked by `scripts/parquet-test`.
@Suite struct ParquetTests {
    /// parquet-format's Encodings.md: the values 0…7 bit-packed with width 3 are `10001000 11000110 11111010`.
    @Test func bitPackingAsTheSpecShowsIt() {
        #expect(ColumnChunk.bitPacked(Array(0...7), width: 3) == [0b1000_1000, 0b1100_0110, 0b1111_1010])
        // The hybrid: one group of 8 → header (1 << 1) | 1 = 3, then the packed bytes.
        #expect(ColumnChunk.hybrid(bitPacked: Array(0...7), width: 3) == [3, 0b1000_1000, 0b1100_0110, 0b1111_1010])
        // Three values pad to a group of eight.
        #expect(ColumnChunk.hybrid(bitPacked: [1, 1, 1], width: 1) == [3, 0b0000_0111])
    }

    /// Definition levels as RLE runs: 130 present, 2 absent, 1 present → varint(260) 1, varint(4) 0, varint(2) 1.
    @Test func definitionLevelRuns() {
        let levels = Array(repeating: true, count: 130) + [false, false, true]
        #expect(ColumnChunk.hybrid(runsOf: levels) == [0x84, 0x02, 1, 4, 0, 2, 1])
    }

    /// Thrift's compact protocol: a field header holds the id's delta and the type; integers are zigzag varints; a
    /// long jump in ids spells the id out; a list of 15 or more has its size after the header.
    @Test func thriftCompact() {
        var t = ThriftCompact()
        t.beginStruct()
        t.i32(1, 1)          // 0x15 (delta 1, i32), zigzag(1) = 2
        t.i64(3, -1)         // 0x26 (delta 2, i64), zigzag(-1) = 1
        t.string(4, "ab")    // 0x18, length 2, "ab"
        t.i32(20, 0)         // 0x05 (no delta), zigzag(20) = 40, then zigzag(0) = 0
        t.list(21, of: .i32, count: 15) { e, k in e.element(i32: Int32(k)) }
        t.endStruct()
        #expect(Array(t.bytes.prefix(13)) == [0x15, 0x02, 0x26, 0x01, 0x18, 0x02, 0x61, 0x62, 0x05, 0x28, 0x00, 0x19, 0xF5])
        #expect(t.bytes[13] == 15 && t.bytes.count == 14 + 15 + 1 && t.bytes.last == 0)
    }

    /// A whole file: magic at both ends, the footer's length before the closing magic; text that repeats goes into a
    /// dictionary (PLAIN dictionary page, RLE_DICTIONARY indices), numbers PLAIN with min and max as statistics, a
    /// suppressed count null with its flag column.
    @Test func aSmallFile() {
        var table = Table(name: "t", columns: ["area_id", "population", "share"], roles: ["area_id": .areaID])
        table.append([.text("01"), .number(2), .number(0.5)])
        table.append([.text("01"), .text("."), .number(-1.25)])
        table.append([.text("02"), .number(7), .empty])
        table.append([.text("02"), .number(3), .number(1)])
        let bytes = ParquetWriter.encode(table, suppressedSymbol: ".")
        #expect(Array(bytes.prefix(4)) == Array("PAR1".utf8) && Array(bytes.suffix(4)) == Array("PAR1".utf8))
        let footer = bytes.dropLast(4).suffix(4).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(footer > 0 && footer < bytes.count - 12)
        let columns = ParquetColumn.columns(of: table, suppressedSymbol: ".")
        #expect(columns.map(\.name) == ["area_id", "population", "population_suppressed", "share"])
        #expect(columns.map(\.physical) == [.byteArray, .int64, .boolean, .double])
        let ids = ColumnChunk(columns[0], rows: 0..<4)
        #expect(ids.dictionaryPage == 0 && ids.encodings.contains(ColumnChunk.Encoding.rleDictionary.rawValue))
        #expect(ids.minimum == Array("01".utf8) && ids.maximum == Array("02".utf8) && ids.nullCount == 0)
        let population = ColumnChunk(columns[1], rows: 0..<4)
        #expect(population.nullCount == 1 && population.minimum == [2, 0, 0, 0, 0, 0, 0, 0] && population.maximum == [7, 0, 0, 0, 0, 0, 0, 0])
        let share = ColumnChunk(columns[3], rows: 0..<4)
        #expect(share.nullCount == 1 && share.minimum == ColumnChunk.littleEndian((-1.25).bitPattern))
        // Two distinct values of four: dictionary; four of four: PLAIN.
        #expect(ColumnChunk(columns[0], rows: 1..<3).dictionaryPage == nil)
        // Empty tables give a valid file too (one empty row group).
        #expect(Array(ParquetWriter.encode(Table(name: "e", columns: ["a"]), suppressedSymbol: ".").suffix(4)) == Array("PAR1".utf8))
    }

    /// A file written a row group at a time (a part run: a group per part), each part typed by the evidence of all
    /// parts, is the file of the whole table cut into the same groups, byte for byte — also where a part alone would
    /// type a column otherwise (all its cells empty, a suppressed cell only in the other part, whole numbers only).
    @Test func rowGroupsOfPartsAreTheWholeTablesGroups() throws {
        let columns = ["area_id", "name", "population", "share", "eligible"]
        let rows: [[Table.Cell]] = [
            [.text("01"), .empty, .number(2), .number(1), .bool(true)],
            [.text("01"), .empty, .number(5), .number(3), .bool(false)],
            [.text("02"), .text("Mitte"), .text("."), .number(0.25), .empty],
            [.text("02"), .text("Nord"), .number(3), .empty, .bool(true)],
        ]
        func table(_ rows: ArraySlice<[Table.Cell]>) -> Table {
            var t = Table(name: "areas", columns: columns, roles: ["area_id": .areaID])
            for row in rows { t.append(row) }
            return t
        }
        let whole = table(rows[...]), first = table(rows[0..<2]), second = table(rows[2..<4])
        // Alone, the first part has no population_suppressed and no name; the merged evidence types it as the whole.
        let evidence = zip(ParquetWriter.evidence(of: first, suppressedSymbol: "."), ParquetWriter.evidence(of: second, suppressedSymbol: "."))
            .map { $0.merged(with: $1) }
        #expect(evidence == ParquetWriter.evidence(of: whole, suppressedSymbol: "."))
        #expect(ParquetColumn.columns(of: first, suppressedSymbol: ".").count == 5)  // alone: no population_suppressed
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-parquet-stream-\(UUID().uuidString).parquet")
        defer { try? FileManager.default.removeItem(at: url) }
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        var stream = try ParquetWriter.Stream(handle, evidence: evidence, suppressedSymbol: ".")
        try stream.append(first)
        try stream.append(second)
        try stream.finish(createdBy: "test")
        try handle.close()
        let streamed = try [UInt8](Data(contentsOf: url))
        #expect(streamed == ParquetWriter.encode(whole, suppressedSymbol: ".", createdBy: "test", rowsPerGroup: 2))
        #expect(streamed != ParquetWriter.encode(whole, suppressedSymbol: ".", createdBy: "test"))  // one group is another file
    }
}
