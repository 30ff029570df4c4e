/// The one rule for names that become parts of file, column and sheet names (index names, level names): they can
/// never leave the report folder or clash with another name.
///
/// A safe name has 1 to 64 characters: letters (any script), digits, `_`, `-` and single spaces inside; it begins
/// with a letter or digit. So `/`, `\`, `..`, NUL, control characters and leading dots are impossible.
enum SafeName {
    static let maximumLength = 64

    /// Why `name` is not safe, or `nil` when it is.
    static func problem(_ name: String) -> String? {
        guard !name.isEmpty else { return "it is empty" }
        guard name.count <= maximumLength else { return "\"\(name.prefix(20))…\" has \(name.count) characters, at most \(maximumLength)" }
        guard let first = name.first, first.isLetter || first.isNumber else {
            return "\"\(printable(name))\" must begin with a letter or digit"
        }
        if let bad = name.first(where: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == " ") }) {
            return "\"\(printable(name))\" has '\(printable(String(bad)))'; use letters, digits, _, - and spaces"
        }
        if name.hasSuffix(" ") || name.contains("  ") { return "\"\(name)\" has a trailing or double space" }
        return nil
    }

    /// `text` with control characters shown as `\u{…}`.
    private static func printable(_ text: String) -> String {
        text.unicodeScalars.map { $0.properties.generalCategory == .control ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
    }
}
