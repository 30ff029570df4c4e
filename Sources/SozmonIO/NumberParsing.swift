import AreaData

/// Reads numeric cells as statistics offices write them.
///
/// Accepted, after trimming padding: `12`, `-3.5`, `1e-3`; with a decimal comma `12,5`; with thousands separators
/// `1 675` or `1.675` (when the dialect says so); negative numbers with padding after the sign, `-  23`; a value in
/// parentheses `(12)` (limited validity) and the suffixes `p`, `r`, `s` (provisional, revised, estimated), which
/// keep the value. Official symbols and sentinels become missing values with their reason.
public struct NumberParser: Sendable {
    public let dialect: CSVDialect
    /// Values that stand for "missing" (default: −9999, Berlin's geoportal sentinel).
    public let sentinels: Set<Double>

    public init(dialect: CSVDialect, sentinels: Set<Double> = [-9999]) {
        self.dialect = dialect
        self.sentinels = sentinels
    }

    /// The cell's value or missing reason; `nil` when the text is neither a number nor a known symbol.
    public func parse(_ raw: String) -> Cell? {
        let text = raw.trimmingCharacters(in: " \t\u{00A0}")
        if let reason = MissingReason.symbol(text) { return .missing(reason) }
        var body = Substring(text)
        if body.hasPrefix("("), body.hasSuffix(")") { body = body.dropFirst().dropLast() }
        if let last = body.last, "prs".contains(last), body.count > 1,
           let before = body.dropLast().last, before.isNumber || before == " " {
            body = body.dropLast()
        }
        var ascii = ""
        ascii.reserveCapacity(body.utf8.count)
        var sawDigit = false
        for (offset, character) in body.enumerated() {
            switch character {
            case "0"..."9": ascii.append(character); sawDigit = true
            case "-", "+", "e", "E": ascii.append(character)
            case "−": ascii.append("-")  // U+2212 minus sign
            case " ", "\u{00A0}", "\u{202F}":
                // Padding after a sign (`-  23`) or a thousands separator (`1 675`).
                if dialect.thousandsSeparator == .space && sawDigit { continue }
                if !sawDigit && offset > 0 { continue }
                return nil
            case ".":
                if dialect.decimalMark == .point { ascii.append(".") }
                else if dialect.thousandsSeparator == .point { continue }
                else { return nil }
            case ",":
                if dialect.decimalMark == .comma { ascii.append(".") } else { return nil }
            default:
                return nil
            }
        }
        guard sawDigit, let value = Double(ascii), value.isFinite else { return nil }
        return sentinels.contains(value) ? .missing(.sentinel) : .value(value)
    }
}
