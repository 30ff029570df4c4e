import AreaData

/// JSON text (RFC 8259) read from its bytes, as GeoJSON needs it: an array of positions `[[x, y], …]` is read
/// straight into points (no value per number), everything else into `JSONReader.Value`s. Strict: what
/// RFC 8259 does not allow is a `SyntaxError` with its byte offset; nesting deeper than `maximumDepth` too (a
/// hostile file must not exhaust the stack).
struct JSONReader {
    indirect enum Value {
        case object([(key: String, value: Value)])
        case array([Value])
        /// An array whose elements are all arrays of two or more numbers (a ring, a line): their first two numbers.
        case positions([Point])
        case string(String)
        case number(Double)
        case bool(Bool)
        case null

        /// The value of `key` (the last one where a key repeats, as most readers do), or nil.
        subscript(key: String) -> Value? {
            guard case .object(let members) = self else { return nil }
            return members.last { $0.key == key }?.value
        }

        var string: String? { if case .string(let s) = self { s } else { nil } }
    }

    struct SyntaxError: Error {
        let offset: Int
        let message: String
    }

    static let maximumDepth = 512

    private let bytes: [UInt8]
    private var i = 0
    private var depth = 0
    private let numbers = NumberParser(dialect: CSVDialect(), sentinels: [])
    /// The elements of the top-level member `streamedKey` (an array) go to `each` as they are read, not into the value.
    private let streamedKey: String?
    private let each: (Value) -> Bool
    /// Points of the positions being read (one buffer for all, so that each ring is allocated once at its size).
    private var scratch: [Point] = []

    private init(_ bytes: [UInt8], streaming key: String?, each: @escaping (Value) -> Bool) {
        self.bytes = bytes
        streamedKey = key
        self.each = each
    }

    /// The one value of `bytes` (after an optional UTF-8 byte order mark), with nothing but white space after it.
    static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> Value {
        try parse(bytes, streaming: nil) { _ in true }
    }

    /// The one value of `bytes`, where the elements of the top-level member `key` (an array, e.g. the features of a
    /// FeatureCollection) are handed to `each` one by one as they are read (that member holds an empty array in the
    /// result): a large collection is never held as values. `each` returns false to stop reading (`stopped`).
    static func parse(_ bytes: [UInt8], streaming key: String?, each: @escaping (Value) -> Bool) throws(SyntaxError) -> Value {
        var reader = JSONReader(bytes, streaming: key, each: each)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { reader.i = 3 }
        let value = try reader.value()
        reader.skipSpace()
        guard reader.i == bytes.count else { throw reader.error("unexpected text after the JSON value") }
        return value
    }

    /// The message of the error thrown when `each` stopped the reading.
    static let stopped = "stopped"

    private func error(_ message: String) -> SyntaxError { SyntaxError(offset: i, message: message) }

    private mutating func skipSpace() {
        while i < bytes.count {
            let b = bytes[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            i += 1
        }
    }

    private mutating func value() throws(SyntaxError) -> Value {
        skipSpace()
        guard i < bytes.count else { throw error("unexpected end of the text; expected a value") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try number())
        }
    }

    private mutating func literal(_ word: String) throws(SyntaxError) {
        let expected = Array(word.utf8)
        guard bytes[i...].starts(with: expected) else { throw error("unexpected character; expected a value") }
        i += expected.count
    }

    private mutating func nest() throws(SyntaxError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw error("nested deeper than \(Self.maximumDepth) levels") }
    }

    private mutating func object() throws(SyntaxError) -> Value {
        try nest()
        defer { depth -= 1 }
        i += 1
        var members: [(key: String, value: Value)] = []
        skipSpace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipSpace()
            guard i < bytes.count && bytes[i] == UInt8(ascii: "\"") else { throw error("expected a member name in quotes") }
            let key = try string()
            skipSpace()
            guard i < bytes.count && bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after a member name") }
            i += 1
            if depth == 1 && key == streamedKey {
                members.append((key, try streamElements()))
            } else {
                members.append((key, try value()))
            }
            skipSpace()
            guard i < bytes.count else { throw error("unexpected end of the text inside an object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            throw error("expected ',' or '}' after a member")
        }
    }

    /// The array at `i`, each element handed to `each` as soon as it is read (an empty array in its place); any
    /// other value as it is.
    private mutating func streamElements() throws(SyntaxError) -> Value {
        skipSpace()
        guard i < bytes.count && bytes[i] == UInt8(ascii: "[") else { return try value() }
        try nest()
        defer { depth -= 1 }
        i += 1
        skipSpace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "]") { i += 1; return .array([]) }
        while true {
            let element = try value()
            guard each(element) else { throw error(Self.stopped) }
            skipSpace()
            guard i < bytes.count else { throw error("unexpected end of the text inside an array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array([]) }
            throw error("expected ',' or ']' after an element")
        }
    }

    private mutating func array() throws(SyntaxError) -> Value {
        try nest()
        defer { depth -= 1 }
        let start = i
        if let points = positions() { return .positions(points) }
        i = start + 1
        var elements: [Value] = []
        skipSpace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "]") { i += 1; return .array(elements) }
        while true {
            elements.append(try value())
            skipSpace()
            guard i < bytes.count else { throw error("unexpected end of the text inside an array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(elements) }
            throw error("expected ',' or ']' after an element")
        }
    }

    /// The array at `i` read as positions, when every element is an array of two or more numbers (the reader stays
    /// where it ended); nil otherwise (the caller reads it again as values).
    private mutating func positions() -> [Point]? {
        i += 1
        skipSpace()
        guard i < bytes.count && bytes[i] == UInt8(ascii: "[") else { return nil }
        scratch.removeAll(keepingCapacity: true)
        while true {
            skipSpace()
            guard i < bytes.count && bytes[i] == UInt8(ascii: "[") else { return nil }
            i += 1
            guard let x = numberElement(), separator(), let y = numberElement() else { return nil }
            while true {
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: "]") { i += 1; break }
                guard bytes[i] == UInt8(ascii: ","), separator(), numberElement() != nil else { return nil }
            }
            scratch.append(Point(x: x, y: y))
            skipSpace()
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return Array(scratch) }
            return nil
        }
    }

    private mutating func separator() -> Bool {
        skipSpace()
        guard i < bytes.count && bytes[i] == UInt8(ascii: ",") else { return false }
        i += 1
        return true
    }

    private mutating func numberElement() -> Double? {
        skipSpace()
        return try? number()
    }

    /// A number as RFC 8259 writes it: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` (beyond ±1.8e308: infinite).
    private mutating func number() throws(SyntaxError) -> Double {
        let start = i
        func digits() -> Int {
            let from = i
            while i < bytes.count && bytes[i] &- 0x30 < 10 { i += 1 }
            return i - from
        }
        if i < bytes.count && bytes[i] == UInt8(ascii: "-") { i += 1 }
        let whole = i
        guard digits() > 0 else { i = start; throw error("unexpected character; expected a value") }
        if bytes[whole] == UInt8(ascii: "0") && i - whole > 1 { throw error("a number with a leading zero") }
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw error("a number without digits after its decimal point") }
        }
        if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard digits() > 0 else { throw error("a number without digits in its exponent") }
        }
        if case .value(let v) = numbers.parse(bytes.span, start..<i) { return v }
        // Beyond the finite doubles (the number parser refuses them): infinite, to be refused where it is used.
        return bytes[start] == UInt8(ascii: "-") ? -.infinity : .infinity
    }

    /// A string: its escapes resolved, its UTF-8 checked; control characters must be escaped.
    private mutating func string() throws(SyntaxError) -> String {
        i += 1
        let start = i
        // Most strings have no escapes: their bytes are the text (checked as UTF-8 unless all ASCII).
        var ascii = true
        while i < bytes.count {
            let b = bytes[i]
            guard b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") && b >= 0x20 else { break }
            if b >= 0x80 { ascii = false }
            i += 1
        }
        if i < bytes.count && bytes[i] == UInt8(ascii: "\"") {
            defer { i += 1 }
            if ascii { return String(decoding: bytes[start..<i], as: UTF8.self) }
            guard let text = String(validating: bytes[start..<i], as: UTF8.self) else { throw error("a string that is not UTF-8") }
            return text
        }
        var text = Array(bytes[start..<i])
        while true {
            guard i < bytes.count else { throw error("unexpected end of the text inside a string") }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; break }
            guard b >= 0x20 else { throw error("a control character inside a string (it must be escaped)") }
            guard b == UInt8(ascii: "\\") else { text.append(b); i += 1; continue }
            i += 1
            guard i < bytes.count else { throw error("unexpected end of the text inside a string") }
            let escaped = bytes[i]
            i += 1
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escaped)
            case UInt8(ascii: "b"): text.append(0x08)
            case UInt8(ascii: "f"): text.append(0x0C)
            case UInt8(ascii: "n"): text.append(0x0A)
            case UInt8(ascii: "r"): text.append(0x0D)
            case UInt8(ascii: "t"): text.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw error("a lone surrogate \\u escape")
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("a lone surrogate \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw error("a lone surrogate \\u escape") }
                text.append(contentsOf: Array(String(Character(unicode)).utf8))
            default: throw error("an unknown escape in a string")
            }
        }
        guard let result = String(validating: text, as: UTF8.self) else { throw error("a string that is not UTF-8") }
        return result
    }

    private mutating func hex4() throws(SyntaxError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw error("a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let digit: UInt8 = switch b {
            case 0x30...0x39: b - 0x30
            case 0x41...0x46: b - 0x41 + 10
            case 0x61...0x66: b - 0x61 + 10
            default: throw error("a \\u escape needs four hex digits")
            }
            value = value << 4 | UInt32(digit)
            i += 1
        }
        return value
    }
}
