import AreaData

/// Reads numeric cells as statistics offices write them, straight from the bytes of a field.
///
/// Accepted, after trimming padding: `12`, `-3.5`, `1e-3`; with a decimal comma `12,5`; with thousands separators
/// `1 675` or `1.675` (when the dialect says so); negative numbers with padding after the sign, `-  23`; a value in
/// parentheses `(12)` (limited validity) and the suffixes `p`, `r`, `s` (provisional, revised, estimated), which
/// keep the value. Official symbols and sentinels become missing values with their reason.
///
/// Numbers with at most 15 significant digits and a decimal exponent within ±22 are converted exactly by one
/// multiplication or division of two exactly representable doubles (Clinger 1990's fast path, correctly rounded);
/// anything else goes through the standard library's correctly rounded parser.
public struct NumberParser: Sendable {
    public let dialect: CSVDialect
    /// Values that stand for "missing" (default: −9999, Berlin's geoportal sentinel).
    public let sentinels: [Double]

    /// The smallest and largest sentinel: most values lie outside, and are then not compared one by one.
    private let sentinelBounds: ClosedRange<Double>?

    /// The decimal mark's byte.
    private let decimalByte: UInt8

    public init(dialect: CSVDialect, sentinels: [Double] = [-9999]) {
        self.dialect = dialect
        self.decimalByte = dialect.decimalMark == .comma ? UInt8(ascii: ",") : UInt8(ascii: ".")
        self.sentinels = sentinels
        self.sentinelBounds = sentinels.min().map { $0...sentinels.max()! }
    }

    /// The cell's value or missing reason; `nil` when the text is neither a number nor a known symbol.
    public func parse(_ text: String) -> Cell? {
        // A String is UTF-8 whatever the file's encoding was: parse its bytes as such.
        var utf8Dialect = dialect
        utf8Dialect.encoding = .utf8
        return NumberParser(dialect: utf8Dialect, sentinels: sentinels).parse(bytes: Array(text.utf8)[...])
    }

    /// The error for a cell that `parse` refused, naming its place and what was expected.
    public func error(file: String, line: Int, column: Int, text: String, columnName: String) -> InputError {
        let spaces = text.unicodeScalars.filter { ["\u{00A0}", "\u{202F}", "\u{2007}", "\u{2009}"].contains($0) }
        let named = spaces.first.map { scalar in
            "; it holds U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)) (a \(Self.spaceNames[scalar] ?? "space")) "
                + (scalar == "\u{00A0}" || scalar == "\u{202F}" ? "between digits: set thousands = \" \" to read it as a thousands separator"
                   : "between digits, which sozmon does not read as a thousands separator")
        } ?? ""
        return InputError(file: file, line: line, column: column,
                          message: "'\(text)' in column '\(columnName)' is not a number; expected a number with decimal "
                              + "\(dialect.decimalMark == .comma ? "comma" : "point") or a missing-value symbol "
                              + "(empty, -, ., x, ..., /)" + named)
    }

    private static let spaceNames: [Unicode.Scalar: String] = [
        "\u{00A0}": "no-break space", "\u{202F}": "narrow no-break space", "\u{2007}": "figure space", "\u{2009}": "thin space",
    ]

    /// Where `text`, a count read as a fraction, looks like digits in groups of three (`6.547`): which dialect keys
    /// read it as one number. Empty otherwise.
    public static func thousandsHint(_ text: String, dialect: CSVDialect) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let mark = trimmed.first(where: { $0 == "." || $0 == "," }),
              trimmed.wholeMatch(of: /[0-9]{1,3}([.,][0-9]{3})+/) != nil else { return "" }
        let said = "; '\(trimmed)' looks like \(trimmed.filter(\.isNumber)) with '\(mark)' between thousands: "
        switch (mark, dialect.decimalMark) {
        case (".", .comma): return said + "set thousands = \".\" for this table in the config"
        case (".", .point): return said + "if the table's shares have a decimal comma, set decimal = \",\" and thousands = "
            + "\".\" for this table in the config; otherwise remove the thousands separators from its counts"
        default: return said + "sozmon reads ',' as the decimal mark here; remove the thousands separators from the counts"
        }
    }

    /// Parses the bytes of one field (in the dialect's encoding).
    public func parse(bytes: ArraySlice<UInt8>) -> Cell? {
        let array = Array(bytes)
        return parse(array.span, 0..<array.count)
    }

    /// Parses `bytes[range]`, the bytes of one field: the allocation-free path the panel reader takes.
    public func parse(_ bytes: Span<UInt8>, _ range: Range<Int>) -> Cell? {
        var start = range.lowerBound, end = range.upperBound
        // Most cells are plain numbers without padding: read them straight away.
        if start < end, bytes[end - 1] &- 0x30 < 10, let value = plainNumber(bytes, start, end) { return cell(value) }
        // Trim spaces, tabs and no-break spaces (0xA0 in Windows-1252, C2 A0 in UTF-8).
        while start < end {
            let b = bytes[start]
            if b == 0x20 || b == 0x09 || (b == 0xA0 && dialect.encoding == .windows1252) { start += 1 }
            else if b == 0xC2 && dialect.encoding == .utf8 && start + 1 < end && bytes[start + 1] == 0xA0 { start += 2 }
            else { break }
        }
        while end > start {
            let b = bytes[end - 1]
            if b == 0x20 || b == 0x09 || (b == 0xA0 && dialect.encoding == .windows1252) { end -= 1 }
            else if b == 0xA0 && dialect.encoding == .utf8 && end - 2 >= start && bytes[end - 2] == 0xC2 { end -= 2 }
            else { break }
        }
        if let reason = missingSymbol(bytes, start, end) { return .missing(reason) }
        // A percent sign after the number (`3,74 %`): the value is the number.
        if end - start > 1 && bytes[end - 1] == UInt8(ascii: "%") {
            end -= 1
            while end > start, bytes[end - 1] == 0x20 || noBreakSpace(bytes, before: end) > 0 {
                end -= bytes[end - 1] == 0x20 ? 1 : noBreakSpace(bytes, before: end)
            }
        }
        if end - start >= 2 && bytes[start] == UInt8(ascii: "(") && bytes[end - 1] == UInt8(ascii: ")") {
            start += 1; end -= 1
        }
        if end - start > 1 {
            let last = bytes[end - 1], before = bytes[end - 2]
            if (last == UInt8(ascii: "p") || last == UInt8(ascii: "r") || last == UInt8(ascii: "s"))
                && (isDigit(before) || before == UInt8(ascii: " ")) { end -= 1 }
        }
        guard let value = number(bytes, start, end), value.isFinite else { return nil }
        return cell(value)
    }

    /// The value, or missing when it is a sentinel.
    private func cell(_ value: Double) -> Cell {
        if let bounds = sentinelBounds, bounds.contains(value), sentinels.contains(value) { return .missing(.sentinel) }
        return .value(value)
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private func missingSymbol(_ f: Span<UInt8>, _ start: Int, _ end: Int) -> MissingReason? {
        func equals(_ a: UInt8, _ b: UInt8, _ c: UInt8? = nil) -> Bool {
            end - start == (c == nil ? 2 : 3) && f[start] == a && f[start + 1] == b && (c == nil || f[start + 2] == c!)
        }
        switch end - start {
        case 0: return .empty
        case 1:
            switch f[start] {
            case UInt8(ascii: "-"): return .nothing
            case UInt8(ascii: "."): return .secret
            case UInt8(ascii: "x"), UInt8(ascii: "X"): return .notMeaningful
            case UInt8(ascii: "/"): return .unreliable
            case 0x96 where dialect.encoding == .windows1252: return .nothing        // –
            case 0xB7 where dialect.encoding == .windows1252: return .secret         // ·
            case 0x85 where dialect.encoding == .windows1252: return .later          // …
            default: return nil
            }
        case 2, 3:
            if equals(0x2E, 0x2E, 0x2E) { return .later }
            if dialect.encoding == .utf8 {
                if equals(0xE2, 0x80, 0x93) { return .nothing }          // –
                if equals(0xC2, 0xB7) { return .secret }                 // ·
                if equals(0xE2, 0x80, 0xA6) { return .later }            // …
            }
            return nil
        default:
            return nil
        }
    }

    /// 10⁰ … 10²², all exact in binary64 (inline storage: no reference count shared between threads).
    private static let powersOfTen: InlineArray<23, Double> = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ]

    /// The common case in one tight loop: an optional minus, digits, optionally the decimal mark and digits, at most
    /// 15 significant digits. Nil for anything else (which `number` then reads in full).
    private func plainNumber(_ body: Span<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        let negative = i < end && body[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var mantissa: UInt64 = 0, digits = 0, fraction = -1
        while i < end {
            let digit = body[i] &- 0x30
            if digit < 10 {
                mantissa = mantissa &* 10 &+ UInt64(digit); digits += 1
                if fraction >= 0 { fraction += 1 }
            } else if body[i] == decimalByte && fraction < 0 {
                fraction = 0
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0 && digits <= 15 else { return nil }
        let value = fraction > 0 ? Double(mantissa) / Self.powersOfTen[fraction] : Double(mantissa)
        return negative ? -value : value
    }

    /// The number in `body[start..<end]`, or nil.
    private func number(_ body: Span<UInt8>, _ start: Int, _ end: Int) -> Double? {
        let minus = UInt8(ascii: "-"), plus = UInt8(ascii: "+"), space = UInt8(ascii: " ")
        let decimal: UInt8 = dialect.decimalMark == .comma ? UInt8(ascii: ",") : UInt8(ascii: ".")
        let thousands: UInt8? = switch dialect.thousandsSeparator {
        case .none: nil
        case .space: space
        case .point: UInt8(ascii: ".")
        }
        var i = start
        var negative = false
        if i < end, body[i] == minus || body[i] == plus {
            negative = body[i] == minus; i += 1
        } else if end - i >= 3, body[i] == 0xE2, body[i + 1] == 0x88, body[i + 2] == 0x92 {  // U+2212 minus
            negative = true; i += 3
        }
        if i > start { while i < end && body[i] == space { i += 1 } }  // `-  23`
        let digitsStart = i
        var mantissa: UInt64 = 0, digits = 0, exponent = 0, sawDigit = false, sawDecimal = false
        var exact = true
        while i < end {
            let b = body[i]
            if isDigit(b) {
                sawDigit = true
                if mantissa == 0 && b == 0x30 {
                    if sawDecimal { exponent -= 1 }
                } else if digits < 19 {
                    mantissa = mantissa * 10 + UInt64(b - 0x30); digits += 1
                    if sawDecimal { exponent -= 1 }
                } else {
                    exact = false
                    if !sawDecimal { exponent += 1 }
                }
            } else if b == decimal && !sawDecimal {
                sawDecimal = true
            } else if let t = thousands, b == t, sawDigit, !sawDecimal, groupOfThree(body, after: i + 1, end: end, decimal: decimal) {
                // A thousands separator, followed by exactly three digits.
            } else if thousands == space, sawDigit, !sawDecimal, case let width = noBreakSpace(body, at: i), width > 0,
                      groupOfThree(body, after: i + width, end: end, decimal: decimal) {
                i += width - 1  // a no-break space (U+00A0, U+202F) between thousands, as spreadsheets write them
            } else if b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                guard sawDigit, let e = exponentValue(body, i + 1, end) else { return nil }
                exponent += e
                i = end
                break
            } else {
                return nil
            }
            i += 1
        }
        guard sawDigit else { return nil }
        if exact && mantissa < (1 << 53) && abs(exponent) <= 22 {
            let m = Double(mantissa)
            let value = exponent >= 0 ? m * Self.powersOfTen[exponent] : m / Self.powersOfTen[-exponent]
            return negative ? -value : value
        }
        // Slow path: rebuild a plain ASCII number and let the standard library round it correctly.
        var ascii = negative ? "-" : ""
        var j = digitsStart
        while j < end {
            let b = body[j]
            if isDigit(b) { ascii.unicodeScalars.append(Unicode.Scalar(b)) }
            else if b == decimal { ascii += "." }
            else if b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                ascii += "e"
                for k in (j + 1)..<end { ascii.unicodeScalars.append(Unicode.Scalar(body[k])) }
                break
            }
            j += 1
        }
        return Double(ascii)
    }

    /// Whether exactly three digits begin at `start`, followed by the end, the decimal mark or another separator.
    private func groupOfThree(_ body: Span<UInt8>, after start: Int, end: Int, decimal: UInt8) -> Bool {
        var count = 0, j = start
        while j < end, isDigit(body[j]) { count += 1; j += 1 }
        guard count == 3 else { return false }
        if j == end || body[j] == decimal || noBreakSpace(body, at: j) > 0 { return true }
        return start > 0 && body[j] == body[start - 1]
    }

    /// The width in bytes of a no-break space (U+00A0) or narrow no-break space (U+202F) at `i`, in the dialect's
    /// encoding, or 0.
    private func noBreakSpace(_ body: Span<UInt8>, at i: Int) -> Int {
        guard i < body.count else { return 0 }
        if dialect.encoding == .windows1252 { return body[i] == 0xA0 ? 1 : 0 }
        if i + 1 < body.count && body[i] == 0xC2 && body[i + 1] == 0xA0 { return 2 }
        if i + 2 < body.count && body[i] == 0xE2 && body[i + 1] == 0x80 && body[i + 2] == 0xAF { return 3 }
        return 0
    }

    /// The width of a no-break space that ends just before `end`, or 0.
    private func noBreakSpace(_ body: Span<UInt8>, before end: Int) -> Int {
        for width in [1, 2, 3] where end - width >= 0 && noBreakSpace(body, at: end - width) == width { return width }
        return 0
    }

    private func exponentValue(_ bytes: Span<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var i = start, negative = false
        if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-"); i += 1
        }
        guard i < end, end - i <= 5 else { return nil }
        var value = 0
        while i < end {
            guard isDigit(bytes[i]) else { return nil }
            value = value * 10 + Int(bytes[i] - 0x30); i += 1
        }
        return negative ? -value : value
    }
}

extension String {
    /// The text with leading zeros up to `width` characters.
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

extension Double {
    /// The number as a person writes it in a message: a whole number without a decimal point (`-5`, `3`), any
    /// other in Swift's shortest exact form.
    public var plainText: String {
        self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self)
    }
}
