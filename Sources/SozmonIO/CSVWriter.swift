import Foundation

/// Writes CSV in sozmon's plain dialect (`,`, `.`, UTF-8) or German Excel's (`;`, decimal comma), quoting fields
/// that need it (RFC 4180). Buffers in memory and appends to a file handle in large chunks, so tables of any size
/// stream out.
public struct CSVWriter: ~Copyable {
    public enum Style: String, Sendable, CaseIterable, Encodable {
        case plain
        /// `;`, decimal comma, a UTF-8 byte order mark (without it Excel reads "Lindenstraße" as Windows-1252) and
        /// booleans as `WAHR`/`FALSCH`, for German Excel opened by a double click (`--csv-dialect excel-de`).
        case excelGerman = "excel-de"
    }

    public let style: Style
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private let formatter: CSVFormatter

    /// Writes to `handle` (which the caller opened and closes).
    public init(handle: FileHandle, style: Style = .plain) {
        self.handle = handle
        self.style = style
        formatter = CSVFormatter(style: style)
        buffer.reserveCapacity(1 << 20)
        if style == .excelGerman { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
    }

    /// A boolean as CSV text: `true`/`false`, or `WAHR`/`FALSCH` for German Excel.
    public func format(_ value: Bool) -> String { text { formatter.appendBool(value, to: &$0) } }

    /// Appends one record of already formatted fields.
    public mutating func writeRow(_ fields: [String]) throws {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(formatter.separator) }
            formatter.appendText(field, to: &buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// A number as CSV text: the shortest text that reads back as the same double, decimal comma in `excel-de`;
    /// NaN (missing) as an empty cell.
    public func format(_ value: Double) -> String { text { formatter.appendNumber(value, to: &$0) } }

    private func text(_ append: (inout [UInt8]) -> Void) -> String {
        var bytes: [UInt8] = []
        append(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A number rounded to `decimals` places, as statistics offices publish shares (`12.34`).
    public func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "" }
        let scale = pow(10, Double(decimals))
        let scaled = (abs(value) * scale).rounded()
        let negative = value < 0 && scaled > 0
        let whole = Int64(scaled / scale), fraction = Int64(scaled) - whole * Int64(scale)
        var text = (negative ? "-" : "") + String(whole)
        if decimals > 0 {
            let digits = String(fraction)
            text += (style == .plain ? "." : ",") + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return text
    }

    public mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
