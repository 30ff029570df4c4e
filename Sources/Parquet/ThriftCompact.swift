/// The Thrift compact protocol, as far as Parquet's metadata needs it (Apache Thrift, "Thrift Compact protocol
/// encoding"): structs of fields with a delta-encoded header, zigzag varint integers, little-endian doubles, binary
/// with a varint length, lists with a size-and-type header. Writing only: sozmon makes Parquet files, it does not read
/// them.
struct ThriftCompact {
    private(set) var bytes: [UInt8] = []
    /// The last field id of each open struct (the headers encode the difference).
    private var lastField: [Int16] = [0]

    enum FieldType: UInt8 {
        case boolTrue = 1, boolFalse = 2, i32 = 5, i64 = 6, double = 7, binary = 8, list = 9, structure = 12
    }

    mutating func varint(_ value: UInt64) { Self.varint(value, to: &bytes) }

    /// An unsigned LEB128 varint, seven bits a byte, low bits first (also the run headers of Parquet's hybrid
    /// encoding).
    static func varint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    mutating func zigzag(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    mutating func fieldHeader(_ id: Int16, _ type: FieldType) {
        let delta = id - lastField[lastField.count - 1]
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            zigzag(Int64(id))
        }
        lastField[lastField.count - 1] = id
    }

    mutating func i32(_ id: Int16, _ value: Int32) { fieldHeader(id, .i32); zigzag(Int64(value)) }
    mutating func i64(_ id: Int16, _ value: Int64) { fieldHeader(id, .i64); zigzag(value) }
    mutating func bool(_ id: Int16, _ value: Bool) { fieldHeader(id, value ? .boolTrue : .boolFalse) }

    mutating func binary(_ id: Int16, _ value: [UInt8]) {
        fieldHeader(id, .binary)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ id: Int16, _ value: String) { binary(id, Array(value.utf8)) }

    /// A struct field: `body` writes its fields.
    mutating func structure(_ id: Int16, _ body: (inout ThriftCompact) -> Void) {
        fieldHeader(id, .structure)
        beginStruct()
        body(&self)
        endStruct()
    }

    /// A list field of `count` elements of `type`; `element` writes each (a struct's fields, or a value).
    mutating func list(_ id: Int16, of type: FieldType, count: Int, _ element: (inout ThriftCompact, Int) -> Void) {
        fieldHeader(id, .list)
        if count < 15 { bytes.append(UInt8(count) << 4 | type.rawValue) } else {
            bytes.append(0xF0 | type.rawValue)
            varint(UInt64(count))
        }
        for k in 0..<count {
            if type == .structure { beginStruct() }
            element(&self, k)
            if type == .structure { endStruct() }
        }
    }

    /// A list element (no field header).
    mutating func element(i32 value: Int32) { zigzag(Int64(value)) }
    mutating func element(string value: String) { varint(UInt64(value.utf8.count)); bytes.append(contentsOf: value.utf8) }

    mutating func beginStruct() { lastField.append(0) }

    /// The end of a struct: the stop byte.
    mutating func endStruct() {
        bytes.append(0)
        lastField.removeLast()
    }
}
