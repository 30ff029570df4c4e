/// How a CSV file is written: separator, decimal mark, thousands separator and text encoding.
///
/// German statistics offices write `;` with decimal commas, often Windows-1252 from Excel, sometimes with space
/// thousands separators (`1 675`); portals write plain `,` and `.` in UTF-8. `detect(in:)` guesses from the bytes;
/// every field can be overridden.
public struct CSVDialect: Sendable, Equatable, CustomStringConvertible {
    public enum Separator: String, Sendable, CaseIterable, Codable {
        case comma = ",", semicolon = ";", tab = "\t"
        var byte: UInt8 { UInt8(ascii: rawValue.unicodeScalars.first!) }
    }
    public enum DecimalMark: String, Sendable, CaseIterable, Codable { case point = ".", comma = "," }
    public enum ThousandsSeparator: String, Sendable, CaseIterable, Codable { case none = "", space = " ", point = "." }
    public enum Encoding: String, Sendable, CaseIterable, Codable { case utf8 = "utf-8", windows1252 = "windows-1252" }

    public var separator: Separator
    public var decimalMark: DecimalMark
    public var thousandsSeparator: ThousandsSeparator
    public var encoding: Encoding

    public init(separator: Separator = .comma, decimalMark: DecimalMark = .point,
                thousandsSeparator: ThousandsSeparator = .none, encoding: Encoding = .utf8) {
        self.separator = separator
        self.decimalMark = decimalMark
        self.thousandsSeparator = thousandsSeparator
        self.encoding = encoding
    }

    /// The plain dialect sozmon writes: `,`, `.`, UTF-8.
    public static let plain = CSVDialect()
    /// German Excel: `;` and decimal comma.
    public static let excelGerman = CSVDialect(separator: .semicolon, decimalMark: .comma)

    public var description: String {
        "separator '\(separator == .tab ? "\\t" : separator.rawValue)', decimal '\(decimalMark.rawValue)', "
            + "thousands '\(thousandsSeparator.rawValue)', \(encoding.rawValue)"
    }

    /// Guesses the dialect from the first lines of `bytes`.
    ///
    /// - Separator: the candidate that appears most often outside quotes in the header line and equally often
    ///   in the following lines.
    /// - Encoding: UTF-8 if the sample decodes as UTF-8, else Windows-1252.
    /// - Decimal mark: comma when the separator is not a comma and unquoted fields look like `12,5`.
    /// - Thousands: space when fields look like `1 675`, point when like `1.675.000` or `1.675,5` with decimal comma.
    /// - Parameter separator: the separator, when the file says it (Excel's `sep=` line).
    public static func detect(in bytes: [UInt8], separator known: Separator? = nil) -> CSVDialect {
        let sample = Array(bytes.prefix(64 * 1024))
        let lines = CSVTokenizer.logicalLines(of: sample, limit: 30)
        var best = known ?? Separator.comma, bestScore = known == nil ? -1 : Int.max
        for candidate in Separator.allCases where known == nil {
            let counts = lines.map { CSVTokenizer.count(candidate.byte, outsideQuotesIn: $0) }
            guard let first = counts.first, first > 0 else { continue }
            let consistent = counts.dropFirst().filter { $0 == first }.count
            let score = first + 1000 * consistent
            if score > bestScore { best = candidate; bestScore = score }
        }
        var dialect = CSVDialect(separator: best)
        dialect.encoding = String(validating: sample, as: UTF8.self) != nil || isTruncatedUTF8(sample)
            ? .utf8 : .windows1252
        // Look at the unquoted fields after the header.
        var decimalComma = 0, decimalPoint = 0, spaceThousands = 0, pointThousands = 0
        for line in lines.dropFirst() {
            for field in CSVTokenizer.fields(of: line, separator: best.byte) {
                var text = withPlainSpaces(field, encoding: dialect.encoding).trimmingSpaces
                if text.count > 1 && text.last == UInt8(ascii: "%") { text = Array(text.dropLast()).trimmingSpaces }
                guard text.contains(where: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                      text.allSatisfy({ numericByte($0) }) else { continue }
                if best != .comma && matches(text, decimalPattern: UInt8(ascii: ",")) { decimalComma += 1 }
                if matches(text, decimalPattern: UInt8(ascii: ".")) { decimalPoint += 1 }
                if hasGroupedDigits(text, separator: UInt8(ascii: " ")) { spaceThousands += 1 }
                if hasGroupedDigits(text, separator: UInt8(ascii: ".")) && text.filter({ $0 == UInt8(ascii: ".") }).count > 1 {
                    pointThousands += 1
                }
            }
        }
        if decimalComma > 0 && decimalComma >= decimalPoint { dialect.decimalMark = .comma }
        if spaceThousands > 0 { dialect.thousandsSeparator = .space }
        else if pointThousands > 0 && dialect.decimalMark == .comma { dialect.thousandsSeparator = .point }
        return dialect
    }

    /// `field` with its no-break spaces (U+00A0, U+202F: spreadsheets' thousands separators) as plain spaces.
    private static func withPlainSpaces(_ field: [UInt8], encoding: Encoding) -> [UInt8] {
        guard field.contains(where: { $0 >= 0x80 }) else { return field }
        var out: [UInt8] = [], i = 0
        while i < field.count {
            if encoding == .windows1252 && field[i] == 0xA0 { out.append(0x20); i += 1 }
            else if encoding == .utf8 && field[i...].starts(with: [0xC2, 0xA0]) { out.append(0x20); i += 2 }
            else if encoding == .utf8 && field[i...].starts(with: [0xE2, 0x80, 0xAF]) { out.append(0x20); i += 3 }
            else { out.append(field[i]); i += 1 }
        }
        return out
    }

    private static func numericByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ",") || b == UInt8(ascii: ".")
            || b == UInt8(ascii: "-") || b == UInt8(ascii: " ") || b == UInt8(ascii: "+")
    }

    /// `digits mark digits`, one mark only.
    private static func matches(_ text: [UInt8], decimalPattern mark: UInt8) -> Bool {
        guard let at = text.firstIndex(of: mark), text.lastIndex(of: mark) == at else { return false }
        let isDigit = { (b: UInt8) in b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        return at > 0 && at < text.count - 1 && isDigit(text[at - 1]) && isDigit(text[at + 1])
    }

    /// Digits, then the separator followed by exactly three digits.
    private static func hasGroupedDigits(_ text: [UInt8], separator: UInt8) -> Bool {
        let isDigit = { (b: UInt8) in b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        for (i, b) in text.enumerated() where b == separator && i > 0 && isDigit(text[i - 1]) {
            let rest = text[(i + 1)...].prefix { isDigit($0) }
            if rest.count == 3 { return true }
        }
        return false
    }

    /// A sample cut inside a multi-byte character still counts as UTF-8.
    private static func isTruncatedUTF8(_ sample: [UInt8]) -> Bool {
        for cut in 1...3 where sample.count > cut {
            if String(validating: sample.dropLast(cut), as: UTF8.self) != nil { return true }
        }
        return false
    }
}

extension Array where Element == UInt8 {
    /// Without leading and trailing spaces and tabs (padded cells).
    var trimmingSpaces: [UInt8] {
        let isSpace = { (b: UInt8) in b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return []
        }
        return Array(self[start...end])
    }
}
