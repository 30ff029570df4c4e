/// A strict reader of TOML 1.0 documents (https://toml.io/en/v1.0.0), written for sozmon's configs: tables,
/// arrays of tables, dotted and quoted keys, basic and literal strings (also multi-line), integers (decimal,
/// hexadecimal, octal, binary), floats (also `inf` and `nan`), booleans, arrays and inline tables. Dates and times
/// are refused with a message (no key takes one). Every problem is a `TOMLSyntaxError` with its line and column;
/// no input makes it trap, and its work is linear in the length of the text.
struct TOMLParser {
    private let text: [Unicode.Scalar]
    private var i = 0
    private var line = 1, lineStart = 0
    private var root = TOMLTable()
    /// The path of the table that key/value lines go into, and whether each table path was defined explicitly.
    private var current: [PathStep] = []
    private var defined: Set<[String]> = []
    /// Inline tables and arrays may not nest deeper than this (a guard against stack exhaustion).
    private static let maximumDepth = 100

    /// One step of a path into the document: a key, and for an array of tables its last element.
    private struct PathStep { let key: String; let lastOfArray: Bool }

    static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
        var parser = TOMLParser(text: Array(text.unicodeScalars))
        try parser.document()
        return parser.root
    }

    private init(text: [Unicode.Scalar]) { self.text = text }

    // MARK: Positions and characters

    private var position: TOMLPosition { TOMLPosition(line: line, column: i - lineStart + 1) }
    private func fail(_ message: String) -> TOMLSyntaxError { TOMLSyntaxError(position: position, message: message) }
    private func peek(_ offset: Int = 0) -> Unicode.Scalar? { i + offset < text.count ? text[i + offset] : nil }

    private mutating func advance() {
        if text[i] == "\n" { line += 1; lineStart = i + 1 }
        i += 1
    }

    private func describe(_ c: Unicode.Scalar?) -> String {
        guard let c else { return "the end of the file" }
        if c == "\n" { return "the end of the line" }
        if c.value < 0x20 || c.value == 0x7F || c == "\u{FFFD}" || c.properties.generalCategory == .format {
            return "U+" + String(c.value, radix: 16, uppercase: true)
        }
        return "'\(c)'"
    }

    private mutating func skipSpaces() { while peek() == " " || peek() == "\t" { i += 1 } }

    /// Spaces, a comment, then the end of the line (or file).
    private mutating func endOfLine() throws(TOMLSyntaxError) {
        skipSpaces()
        if peek() == "#" { try comment() }
        if peek() == "\r" && peek(1) == "\n" { i += 1 }
        guard peek() == nil || peek() == "\n" else { throw fail("expected the end of the line, found \(describe(peek()))") }
        if peek() != nil { advance() }
    }

    private mutating func comment() throws(TOMLSyntaxError) {
        while let c = peek(), c != "\n" {
            if (c.value < 0x20 && c != "\t" && !(c == "\r" && peek(1) == "\n")) || c.value == 0x7F {
                throw fail("control character \(describe(c)) in a comment")
            }
            i += 1
        }
    }

    /// Blank lines, comments and line breaks inside arrays.
    private mutating func skipWhitespaceAndComments() throws(TOMLSyntaxError) {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\n" { advance() }
            else if c == "\r" && peek(1) == "\n" { i += 1 }
            else if c == "#" { try comment() }
            else { return }
        }
    }

    // MARK: Document

    private mutating func document() throws(TOMLSyntaxError) {
        while true {
            try skipWhitespaceAndComments()
            guard let c = peek() else { return }
            if c == "[" { try header() } else { try keyValue(into: current) }
        }
    }

    private mutating func header() throws(TOMLSyntaxError) {
        let start = position
        let isArray = peek(1) == "["
        i += isArray ? 2 : 1
        skipSpaces()
        let path = try key()
        skipSpaces()
        for _ in 0..<(isArray ? 2 : 1) {
            guard peek() == "]" else { throw fail("expected \(isArray ? "]]" : "]") to close the table header, found \(describe(peek()))") }
            i += 1
        }
        try endOfLine()
        let steps = path.dropLast().map { PathStep(key: $0, lastOfArray: true) }
        let name = path.last!
        if isArray {
            try modify(steps, at: start) { table throws(TOMLSyntaxError) in
                switch table[name] {
                case nil: table.set(name, .array([.table(TOMLTable(header: start))]), at: start)
                case .array(var elements) where elements.allSatisfy({ $0.table != nil }):
                    elements.append(.table(TOMLTable(header: start)))
                    table.set(name, .array(elements), at: start)
                default: throw TOMLSyntaxError(position: start, message: "'\(path.joined(separator: "."))' is already defined and is no array of tables")
                }
            }
            // A new element: the subtables of the previous one may be defined again for it.
            defined = defined.filter { !($0.count > path.count && Array($0.prefix(path.count)) == path) }
        } else {
            guard defined.insert(path).inserted else {
                throw TOMLSyntaxError(position: start, message: "table [\(path.joined(separator: "."))] is defined twice")
            }
            try modify(steps, at: start) { table throws(TOMLSyntaxError) in
                switch table[name] {
                case nil: table.set(name, .table(TOMLTable(header: start)), at: start)
                case .table(var defined):  // made implicitly before (by [a.b] or a dotted key): now it has its header
                    defined.header = start
                    table.set(name, .table(defined), at: start)
                default: throw TOMLSyntaxError(position: start, message: "'\(path.joined(separator: "."))' is already defined and is no table")
                }
            }
        }
        current = steps + [PathStep(key: name, lastOfArray: true)]
    }

    /// `key = value` into the table at `path`; a dotted key makes the tables between.
    private mutating func keyValue(into path: [PathStep]) throws(TOMLSyntaxError) {
        let (keys, value, start) = try keyAndValue(depth: 0)
        try endOfLine()
        try assign(value, to: keys, in: path, at: start)
    }

    /// `key = value` at the reading position, and where the key began.
    private mutating func keyAndValue(depth: Int) throws(TOMLSyntaxError) -> ([String], TOMLValue, TOMLPosition) {
        let start = position
        let keys = try key()
        skipSpaces()
        guard peek() == "=" else { throw fail("expected '=' after the key '\(keys.joined(separator: "."))', found \(describe(peek()))") }
        i += 1
        skipSpaces()
        return (keys, try value(depth: depth), start)
    }

    private mutating func assign(_ value: TOMLValue, to keys: [String], in path: [PathStep],
                                 at start: TOMLPosition) throws(TOMLSyntaxError) {
        // A dotted key makes or enters tables; it never reaches into an array of tables (TOML 1.0).
        let full = path + keys.dropLast().map { PathStep(key: $0, lastOfArray: false) }
        try modify(full, at: start) { table throws(TOMLSyntaxError) in
            guard table[keys.last!] == nil else {
                throw TOMLSyntaxError(position: start, message: "key '\(keys.joined(separator: "."))' is defined twice")
            }
            table.set(keys.last!, value, at: start)
        }
    }

    /// Runs `change` on the table at `path` in the document, creating missing tables on the way.
    private mutating func modify(_ path: [PathStep], at start: TOMLPosition,
                                 _ change: (inout TOMLTable) throws(TOMLSyntaxError) -> Void) throws(TOMLSyntaxError) {
        try Self.modify(&root, path[...], at: start, change)
    }

    private static func modify(_ table: inout TOMLTable, _ path: ArraySlice<PathStep>, at start: TOMLPosition,
                               _ change: (inout TOMLTable) throws(TOMLSyntaxError) -> Void) throws(TOMLSyntaxError) {
        guard let step = path.first else { return try change(&table) }
        switch table[step.key] {
        case nil:
            var inner = TOMLTable()
            try modify(&inner, path.dropFirst(), at: start, change)
            table.set(step.key, .table(inner), at: start)
        case .table(var inner):
            try modify(&inner, path.dropFirst(), at: start, change)
            table.set(step.key, .table(inner), at: start)
        case .array(var elements) where step.lastOfArray && elements.last?.table != nil:
            var inner = elements.removeLast().table!
            try modify(&inner, path.dropFirst(), at: start, change)
            elements.append(.table(inner))
            table.set(step.key, .array(elements), at: start)
        default:
            throw TOMLSyntaxError(position: start, message: "'\(step.key)' is already a value, not a table")
        }
    }

    // MARK: Keys

    /// A key: bare or quoted parts joined by dots.
    private mutating func key() throws(TOMLSyntaxError) -> [String] {
        var parts: [String] = []
        while true {
            guard let c = peek() else { throw fail("expected a key, found the end of the file") }
            if c == "\"" || c == "'" {
                guard peek(1) != c || peek(2) != c else { throw fail("a key cannot be a multi-line string") }
                parts.append(try singleLineString())
            } else if Self.isBare(c) {
                var bare = ""
                while let b = peek(), Self.isBare(b) { bare.unicodeScalars.append(b); i += 1 }
                parts.append(bare)
            } else {
                throw fail("expected a key (ASCII letters, digits, _ and -, or quoted), found \(describe(c))")
            }
            skipSpaces()
            guard peek() == "." else { return parts }
            i += 1
            skipSpaces()
        }
    }

    private static func isBare(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
    }

    // MARK: Values

    private mutating func value(depth: Int) throws(TOMLSyntaxError) -> TOMLValue {
        guard depth < Self.maximumDepth else { throw fail("arrays and inline tables nest deeper than \(Self.maximumDepth)") }
        guard let c = peek() else { throw fail("expected a value, found the end of the file") }
        switch c {
        case "\"", "'":
            if peek(1) == c && peek(2) == c { return .string(try multiLineString()) }
            return .string(try singleLineString())
        case "[": return try array(depth: depth)
        case "{": return try inlineTable(depth: depth)
        case "t", "f":
            for (word, flag) in [("true", true), ("false", false)] where matches(word) {
                i += word.unicodeScalars.count
                return .boolean(flag)
            }
            throw fail("expected a value, found \(describe(c))")
        default:
            return try number()
        }
    }

    private func matches(_ word: String) -> Bool {
        word.unicodeScalars.enumerated().allSatisfy { peek($0.offset) == $0.element }
    }

    private mutating func array(depth: Int) throws(TOMLSyntaxError) -> TOMLValue {
        i += 1
        var elements: [TOMLValue] = []
        while true {
            try skipWhitespaceAndComments()
            if peek() == "]" { i += 1; return .array(elements) }
            elements.append(try value(depth: depth + 1))
            try skipWhitespaceAndComments()
            switch peek() {
            case ",": i += 1
            case "]": i += 1; return .array(elements)
            default: throw fail("expected ',' or ']' in the array, found \(describe(peek()))")
            }
        }
    }

    private mutating func inlineTable(depth: Int) throws(TOMLSyntaxError) -> TOMLValue {
        i += 1
        var table = TOMLTable()
        skipSpaces()
        if peek() == "}" { i += 1; return .table(table) }
        while true {
            skipSpaces()
            let (keys, value, start) = try keyAndValue(depth: depth + 1)
            try Self.modify(&table, keys.dropLast().map { PathStep(key: $0, lastOfArray: false) }[...], at: start) {
                inner throws(TOMLSyntaxError) in
                guard inner[keys.last!] == nil else {
                    throw TOMLSyntaxError(position: start, message: "key '\(keys.joined(separator: "."))' is defined twice")
                }
                inner.set(keys.last!, value, at: start)
            }
            skipSpaces()
            switch peek() {
            case ",": i += 1
            case "}": i += 1; return .table(table)
            default: throw fail("expected ',' or '}' in the inline table (on one line), found \(describe(peek()))")
            }
        }
    }

    // MARK: Strings

    private mutating func singleLineString() throws(TOMLSyntaxError) -> String {
        let quote = peek()!
        i += 1
        var result = String.UnicodeScalarView()
        while true {
            guard let c = peek(), c != "\n" else { throw fail("unfinished string: expected \(describe(quote)) before the end of the line") }
            if c == quote { i += 1; return String(result) }
            if quote == "\"" && c == "\\" { result.append(try escape()); continue }
            try requireStringCharacter(c)
            result.append(c)
            i += 1
        }
    }

    private mutating func multiLineString() throws(TOMLSyntaxError) -> String {
        let quote = peek()!
        i += 3
        if peek() == "\n" { advance() } else if peek() == "\r" && peek(1) == "\n" { i += 1; advance() }
        var result = String.UnicodeScalarView()
        while true {
            guard let c = peek() else { throw fail("unfinished multi-line string") }
            if c == quote && peek(1) == quote && peek(2) == quote {
                // Up to two more quotes belong to the string ("""a"""" is a" + ").
                var extra = 0
                while extra < 2 && peek(3 + extra) == quote { extra += 1 }
                for _ in 0..<extra { result.append(quote) }
                i += 3 + extra
                return String(result)
            }
            if quote == "\"" && c == "\\" {
                // A backslash at the end of a line trims the line break and the leading whitespace after it.
                var k = 1
                while peek(k) == " " || peek(k) == "\t" { k += 1 }
                if peek(k) == "\n" || (peek(k) == "\r" && peek(k + 1) == "\n") {
                    i += k
                    while let w = peek(), w == " " || w == "\t" || w == "\n" || (w == "\r" && peek(1) == "\n") { advance() }
                    continue
                }
                result.append(try escape())
                continue
            }
            if c == "\n" { result.append(c); advance(); continue }
            if c == "\r" && peek(1) == "\n" { i += 1; continue }
            try requireStringCharacter(c)
            result.append(c)
            i += 1
        }
    }

    private func requireStringCharacter(_ c: Unicode.Scalar) throws(TOMLSyntaxError) {
        if (c.value < 0x20 && c != "\t") || c.value == 0x7F { throw fail("control character \(describe(c)) in a string") }
    }

    /// An escape sequence in a basic string, at the backslash.
    private mutating func escape() throws(TOMLSyntaxError) -> Unicode.Scalar {
        i += 1
        guard let c = peek() else { throw fail("unfinished escape sequence") }
        i += 1
        switch c {
        case "b": return "\u{8}"
        case "t": return "\t"
        case "n": return "\n"
        case "f": return "\u{C}"
        case "r": return "\r"
        case "\"": return "\""
        case "\\": return "\\"
        case "u", "U":
            let length = c == "u" ? 4 : 8
            var code: UInt32 = 0
            for _ in 0..<length {
                guard let h = peek(), let digit = Self.hexValue(h) else { throw fail("expected \(length) hexadecimal digits after \\\(c)") }
                code = code * 16 + digit
                i += 1
            }
            guard let scalar = Unicode.Scalar(code) else { throw fail("\\\(c) names no Unicode character") }
            return scalar
        default:
            i -= 2  // at the backslash
            throw fail("unknown escape sequence \\\(c); use \\\\ for a backslash")
        }
    }

    private static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": c.value - 0x30
        case "a"..."f": c.value - 0x61 + 10
        case "A"..."F": c.value - 0x41 + 10
        default: nil
        }
    }

    // MARK: Numbers

    private mutating func number() throws(TOMLSyntaxError) -> TOMLValue {
        let start = i, startPosition = position
        while let c = peek(), c.isASCII, Self.isBare(c) || c == "+" || c == "." || c == ":" { i += 1 }
        let token = String(String.UnicodeScalarView(text[start..<i]))
        func bad(_ why: String) -> TOMLSyntaxError { TOMLSyntaxError(position: startPosition, message: why) }
        guard !token.isEmpty else { throw fail("expected a value, found \(describe(peek()))") }
        if token.contains(":") || (token.count >= 10 && token.dropFirst(4).first == "-" && token.first!.isNumber) {
            throw bad("'\(token)': dates and times are not used in sozmon configs; write a period as a string, e.g. \"2024Q4\"")
        }
        var body = Substring(token), sign = ""
        if body.first == "+" || body.first == "-" { sign = String(body.first!); body = body.dropFirst() }
        if ["inf", "nan"].contains(body) { return .float(body == "nan" ? .nan : (sign == "-" ? -.infinity : .infinity)) }
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where body.hasPrefix(prefix) {
            guard sign.isEmpty, let digits = Self.digits(body.dropFirst(2), hex: radix == 16),
                  let value = Int(digits, radix: radix) else { throw bad("'\(token)' is not an integer") }
            return .integer(value)
        }
        let isFloat = body.contains(".") || body.contains("e") || body.contains("E")
        let integerPart = body.prefix { $0 != "." && $0 != "e" && $0 != "E" }
        guard let firstDigit = integerPart.first, firstDigit.isASCII, firstDigit.isNumber,
              integerPart == "0" || firstDigit != "0",  // no leading zeros
              let clean = Self.digits(body, hex: false, allowingFloat: isFloat) else {
            throw bad("'\(token)' is not a number (TOML writes 1000, 1_000, 2.5, 1e9)")
        }
        if isFloat {
            guard let value = Double(sign + clean), Self.validFloat(body) else { throw bad("'\(token)' is not a number") }
            return .float(value)
        }
        guard let value = Int(sign + clean) else { throw bad("'\(token)' is outside the integers (at most 9223372036854775807)") }
        return .integer(value)
    }

    /// The digits without the `_` separators, each `_` standing between two digits; `nil` if malformed.
    private static func digits(_ text: Substring, hex: Bool, allowingFloat: Bool = false) -> String? {
        var out = "", previous: Character? = nil
        for c in text {
            if c == "_" {
                guard let p = previous, p.isHexDigit else { return nil }
            } else if c.isNumber || (hex && c.isHexDigit) {
                guard c.isASCII else { return nil }
                out.append(c)
            } else if allowingFloat && (c == "." || c == "e" || c == "E" || c == "+" || c == "-") {
                guard c == "." ? previous?.isNumber == true : true else { return nil }
                out.append(c)
            } else {
                return nil
            }
            previous = c
        }
        guard !out.isEmpty, previous != "_" else { return nil }
        return out
    }

    /// A float as TOML writes it: digits, then a fraction with digits, and/or an exponent with digits.
    private static func validFloat(_ body: Substring) -> Bool {
        let text = body.replacingOccurrences(of: "_", with: "")
        let mantissaAndExponent = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "e" || $0 == "E" })
        guard mantissaAndExponent.count <= 2, let mantissa = mantissaAndExponent.first else { return false }
        let pieces = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let digits = { (part: Substring) in !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }
        guard pieces.count <= 2, pieces.allSatisfy(digits) else { return false }
        if mantissaAndExponent.count == 2 {
            var exponent = mantissaAndExponent[1]
            if exponent.first == "+" || exponent.first == "-" { exponent = exponent.dropFirst() }
            guard digits(exponent) else { return false }
        }
        return true
    }
}
