/// The language of what a person reads (docs/report.md, "Words and codes"): German, the language every phrase is
/// written in in the code, or English, from `EnglishWords`. `[report] language` binds it while a report is written, as
/// a task-local value (like a locale): whatever puts words on a page reads it through `tr`. CSV, GeoPackage columns
/// and run.json keep their codes in every language.
public enum ReportLanguage: String, Sendable, CaseIterable, Encodable {
    case de, en

    /// The language of the report being written (German unless bound).
    @TaskLocal public static var current: ReportLanguage = .de

    /// The decimal mark of numbers on a page: `,` in German, `.` in English (thousands are grouped by a narrow space
    /// in both, as ISO 80000 and DIN 1333 have it, so that no reader mistakes a separator for a decimal mark).
    public var decimalMark: String { self == .de ? "," : "." }
}

/// `german` in the current report language: itself in German, its English from `EnglishWords` in English (itself
/// where the catalogue has none, noted in `EnglishWords.missing`: a test renders the demo in English and requires
/// none). `{0}`, `{1}`, … in the phrase are replaced by `arguments`, in either language.
public func tr(_ german: String, _ arguments: Any...) -> String {
    var text = german
    if ReportLanguage.current == .en {
        if let english = EnglishWords.phrases[german] { text = english } else { EnglishWords.missing.withLock { _ = $0.insert(german) } }
    }
    guard !arguments.isEmpty else { return text }
    // One pass over the phrase (a report asks for millions of phrases: Foundation's replacing took seconds).
    var out = "", rest = text[...]
    while let open = rest.utf8.firstIndex(of: UInt8(ascii: "{")) {
        let after = rest.utf8.index(after: open)
        guard let close = rest.utf8[after...].firstIndex(of: UInt8(ascii: "}")),
              let k = Int(rest[after..<close]), arguments.indices.contains(k) else {
            out += rest[..<after]
            rest = rest[after...]
            continue
        }
        out += rest[..<open]
        out += "\(arguments[k])"
        rest = rest[rest.utf8.index(after: close)...]
    }
    return out + rest
}
