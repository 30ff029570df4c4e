/// The pages of one column in one row group, encoded (uncompressed): definition levels by the RLE/bit-packing hybrid
/// (bit width 1, as version-1 data pages have them, with a 4-byte length), values PLAIN — or, for text that repeats
/// (at most half as many distinct values as rows), a PLAIN dictionary page and RLE_DICTIONARY indices — and the
/// chunk's statistics (null count, min, max).
struct ColumnChunk {
    private(set) var bytes: [UInt8]
    /// The number of bytes (also of a copy without them).
    let size: Int
    let physical: ParquetColumn.Physical
    let name: String
    let rowCount: Int
    let nullCount: Int
    /// Offsets of the dictionary page (if any) and the first data page, relative to the chunk's start.
    let dictionaryPage: Int?
    let dataPage: Int
    let encodings: [Int32]
    let minimum: [UInt8]?, maximum: [UInt8]?

    /// Parquet's encodings (`Encoding` in parquet.thrift).
    enum Encoding: Int32 { case plain = 0, rle = 3, rleDictionary = 8 }

    init(_ column: ParquetColumn, rows: Range<Int>) {
        name = column.name
        physical = column.physical
        rowCount = rows.count
        var out: [UInt8] = []
        var present: [Bool], plain: [UInt8] = [], dictionary: (values: [UInt8], count: Int, indices: [Int])?
        var low: [UInt8]?, high: [UInt8]?
        switch column.values {
        case .booleans(let v):
            let slice = v[rows]
            present = slice.map { $0 != nil }
            let bits = slice.compactMap { $0 }
            plain = Self.bitPacked(bits.map { $0 ? 1 : 0 }, width: 1)
            if let f = bits.min(by: { !$0 && $1 }), let t = bits.max(by: { !$0 && $1 }) { low = [f ? 1 : 0]; high = [t ? 1 : 0] }
        case .integers(let v):
            let slice = v[rows]
            present = slice.map { $0 != nil }
            let numbers = slice.compactMap { $0 }
            for x in numbers { Self.append(UInt64(bitPattern: x), to: &plain) }
            if let a = numbers.min(), let b = numbers.max() { low = Self.littleEndian(UInt64(bitPattern: a)); high = Self.littleEndian(UInt64(bitPattern: b)) }
        case .doubles(let v):
            let slice = v[rows]
            present = slice.map { $0 != nil }
            let numbers = slice.compactMap { $0 }
            for x in numbers { Self.append(x.bitPattern, to: &plain) }
            if let a = numbers.min(), let b = numbers.max() { low = Self.littleEndian(a.bitPattern); high = Self.littleEndian(b.bitPattern) }
        case .strings(let v):
            let slice = v[rows]
            present = slice.map { $0 != nil }
            let texts = slice.compactMap { $0 }
            var index: [String: Int] = [:], distinct: [String] = []
            let indices = texts.map { s in
                if let k = index[s] { return k }
                index[s] = distinct.count; distinct.append(s); return distinct.count - 1
            }
            if !texts.isEmpty && distinct.count * 2 <= max(texts.count, 2) {
                var values: [UInt8] = []
                for s in distinct { Self.appendPlain(s, to: &values) }
                dictionary = (values, distinct.count, indices)
            } else {
                for s in texts { Self.appendPlain(s, to: &plain) }
            }
            let utf8 = texts.map { Array($0.utf8) }
            low = utf8.min { $0.lexicographicallyPrecedes($1) }
            high = utf8.max { $0.lexicographicallyPrecedes($1) }
        }
        nullCount = present.filter { !$0 }.count
        minimum = low; maximum = high
        if let dictionary {
            dictionaryPage = 0
            out += Self.page(type: 2, body: dictionary.values, header: { t in
                t.structure(7) { d in d.i32(1, Int32(dictionary.count)); d.i32(2, Encoding.plain.rawValue) }
            })
            let width = max(1, Int.bitWidth - (dictionary.count - 1).leadingZeroBitCount)
            let indices = [UInt8(width)] + Self.hybrid(bitPacked: dictionary.indices, width: width)
            dataPage = out.count
            out += Self.dataPage(present: present, values: indices, encoding: .rleDictionary)
            encodings = [Encoding.plain.rawValue, Encoding.rle.rawValue, Encoding.rleDictionary.rawValue]
        } else {
            dictionaryPage = nil
            dataPage = 0
            out = Self.dataPage(present: present, values: plain, encoding: .plain)
            encodings = [Encoding.plain.rawValue, Encoding.rle.rawValue]
        }
        bytes = out
        size = out.count
    }

    /// The chunk's metadata, its bytes dropped.
    func withoutBytes() -> ColumnChunk {
        var copy = self
        copy.bytes = []
        return copy
    }

    /// A version-1 data page: header, definition levels (length-prefixed), values.
    private static func dataPage(present: [Bool], values: [UInt8], encoding: Encoding) -> [UInt8] {
        let levels = hybrid(runsOf: present)
        var body: [UInt8] = []
        append32(UInt32(levels.count), to: &body)
        body += levels + values
        return page(type: 0, body: body) { t in
            t.structure(5) { d in
                d.i32(1, Int32(present.count))
                d.i32(2, encoding.rawValue)
                d.i32(3, Encoding.rle.rawValue)
                d.i32(4, Encoding.rle.rawValue)
            }
        }
    }

    /// `PageHeader` (type, uncompressed and compressed size, the type's own header) followed by the body.
    private static func page(type: Int32, body: [UInt8], header: (inout ThriftCompact) -> Void) -> [UInt8] {
        var t = ThriftCompact()
        t.beginStruct()
        t.i32(1, type)
        t.i32(2, Int32(body.count))
        t.i32(3, Int32(body.count))
        header(&t)
        t.endStruct()
        return t.bytes + body
    }

    /// Definition levels (0 absent, 1 present) as RLE runs of the hybrid encoding, bit width 1.
    static func hybrid(runsOf levels: [Bool]) -> [UInt8] {
        var out: [UInt8] = [], k = 0
        while k < levels.count {
            var end = k + 1
            while end < levels.count && levels[end] == levels[k] { end += 1 }
            ThriftCompact.varint(UInt64(end - k) << 1, to: &out)
            out.append(levels[k] ? 1 : 0)
            k = end
        }
        return out
    }

    /// Values of `width` bits as bit-packed runs of the hybrid encoding: a header (groups of 8 << 1 | 1), then the
    /// groups, least significant bit first, the last group padded with zeros.
    static func hybrid(bitPacked values: [Int], width: Int) -> [UInt8] {
        guard !values.isEmpty else { return [] }
        let groups = (values.count + 7) / 8
        var out: [UInt8] = []
        ThriftCompact.varint(UInt64(groups) << 1 | 1, to: &out)
        return out + bitPacked(values + Array(repeating: 0, count: groups * 8 - values.count), width: width)
    }

    /// Values of `width` bits packed least significant bit first.
    static func bitPacked(_ values: [Int], width: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (values.count * width + 7) / 8)
        var bit = 0
        for value in values {
            for b in 0..<width where value >> b & 1 == 1 { out[(bit + b) >> 3] |= 1 << UInt8((bit + b) & 7) }
            bit += width
        }
        return out
    }

    static func appendPlain(_ s: String, to out: inout [UInt8]) {
        append32(UInt32(s.utf8.count), to: &out)
        out.append(contentsOf: s.utf8)
    }

    static func append32(_ v: UInt32, to out: inout [UInt8]) { for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) } }
    static func append(_ v: UInt64, to out: inout [UInt8]) { for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) } }
    static func littleEndian(_ v: UInt64) -> [UInt8] { var out: [UInt8] = []; append(v, to: &out); return out }
}
