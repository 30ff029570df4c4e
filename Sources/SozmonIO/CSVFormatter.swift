import Foundation

/// Formats values as CSV bytes in sozmon's plain dialect or German Excel's, straight into a byte buffer (no `String`
/// per cell, except the shortest round-trip text of a non-integral double, which Swift's runtime makes).
public struct CSVFormatter: Sendable {
    public let style: CSVWriter.Style
    public let separator: UInt8
    let decimalMark: UInt8
    /// The columns (by position) that hold ids, written in `excel-de` so that a spreadsheet keeps them text (none in
    /// the plain dialect, where an id is text like any other).
    let idColumns: Set<Int>

    public init(style: CSVWriter.Style, idColumns: Set<Int> = []) {
        self.style = style
        self.idColumns = style == .excelGerman ? idColumns : []
        separator = style == .plain ? UInt8(ascii: ",") : UInt8(ascii: ";")
        decimalMark = style == .plain ? UInt8(ascii: ".") : UInt8(ascii: ",")
    }

    /// A number: an integral value below 10¹⁵ as an integer, otherwise the shortest text that reads back as the same
    /// double; in `excel-de` with a decimal comma and at most the 15 significant digits a spreadsheet keeps
    /// (`-0,469999999999999`, not `-0,46999999999999886`). NaN and ±∞ (missing) as nothing.
    public func appendNumber(_ value: Double, to buffer: inout [UInt8]) {
        guard value.isFinite else { return }
        if value == value.rounded() && abs(value) < 1e15 { return appendInteger(Int64(value), to: &buffer) }
        if style == .plain { return buffer.append(contentsOf: value.description.utf8) }
        let text = Double(String(format: "%.15g", value)).map(\.description) ?? value.description
        for byte in text.utf8 { buffer.append(byte == UInt8(ascii: ".") ? decimalMark : byte) }
    }

    public func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude, digits = 1, rest = magnitude
        while rest >= 10 { rest /= 10; digits += 1 }
        buffer.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var k = buffer.count - 1
        repeat {
            buffer[k] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            k -= 1
        } while magnitude > 0
    }

    /// `true`/`false`, or `WAHR`/`FALSCH` for German Excel.
    public func appendBool(_ value: Bool, to buffer: inout [UInt8]) {
        switch (style, value) {
        case (.plain, true): buffer.append(contentsOf: "true".utf8)
        case (.plain, false): buffer.append(contentsOf: "false".utf8)
        case (.excelGerman, true): buffer.append(contentsOf: "WAHR".utf8)
        case (.excelGerman, false): buffer.append(contentsOf: "FALSCH".utf8)
        }
    }

    /// A text field, quoted (RFC 4180) where it holds the separator, a quote or a line break, or begins or ends with
    /// a space.
    public func appendText(_ text: String, to buffer: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            let needsQuotes = bytes.first == UInt8(ascii: " ") || bytes.last == UInt8(ascii: " ")
                || bytes.contains { $0 == separator || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            guard needsQuotes else { return buffer.append(contentsOf: bytes) }
            buffer.append(UInt8(ascii: "\""))
            for byte in bytes {
                if byte == UInt8(ascii: "\"") { buffer.append(byte) }
                buffer.append(byte)
            }
            buffer.append(UInt8(ascii: "\""))
        }
    }

    /// A text cell of a published table: neutralised against formula injection as OWASP's "CSV Injection" guidance
    /// says, so that a spreadsheet opening the file never evaluates it — a text beginning with `=`, `+`, `-`, `@`, a
    /// tab or a carriage return gets a leading `'`, and so does one beginning with `'` (which makes the rule
    /// reversible: a program reading the file drops one leading `'` from a text cell to get the original). Numbers
    /// are numbers and are not touched.
    public func appendPublishedText(_ text: String, to buffer: inout [UInt8]) {
        guard let first = text.utf8.first, Self.formulaStarts.contains(first) else { return appendText(text, to: &buffer) }
        appendText("'" + text, to: &buffer)
    }

    /// An id: in `excel-de` an id of digits only as the formula `="01010101"`, which Excel and LibreOffice open as
    /// the text it gives, so that leading zeros stay and a join on the id works (a bare `01010101` becomes the
    /// number 1010101); sozmon's CSV reader reads the formula back as the id. Otherwise as `appendPublishedText`.
    func appendID(_ text: String, to buffer: inout [UInt8]) {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return appendPublishedText(text, to: &buffer) }
        buffer.append(contentsOf: "=\"".utf8)
        buffer.append(contentsOf: text.utf8)
        buffer.append(UInt8(ascii: "\""))
    }

    /// A text cell of a column that holds ids (`id`) or not.
    private func appendText(_ text: String, id: Bool, to buffer: inout [UInt8]) {
        id ? appendID(text, to: &buffer) : appendPublishedText(text, to: &buffer)
    }

    /// The first bytes that make a spreadsheet read a cell as a formula (and `'`, the mark itself).
    static let formulaStarts: Set<UInt8> = Set("=+-@\t\r'".utf8)

    public func append(_ cell: Table.Cell, id: Bool = false, to buffer: inout [UInt8]) {
        switch cell {
        case .text(let s): appendText(s, id: id, to: &buffer)
        case .number(let d): appendNumber(d, to: &buffer)
        case .integer(let i): appendInteger(Int64(i), to: &buffer)
        case .bool(let b): appendBool(b, to: &buffer)
        case .empty: break
        }
    }

    /// Row `row` of `block` (a stored row index) as one CSV record with its line break.
    func appendRecord(_ block: Table.Block, storedRow row: Int, to buffer: inout [UInt8]) {
        for (j, column) in block.columns.enumerated() {
            if j > 0 { buffer.append(separator) }
            let id = !idColumns.isEmpty && idColumns.contains(j)
            switch column {
            case .constant(let cell): append(cell, id: id, to: &buffer)
            case .numbers(let v): appendNumber(v[row], to: &buffer)
            case .integers(let v): if let i = v[row] { appendInteger(Int64(i), to: &buffer) }
            case .bools(let v): if let b = v[row] { appendBool(b, to: &buffer) }
            case .texts(let v): appendText(v[row], id: id, to: &buffer)
            case .coded(let codes, let labels): if codes[row] >= 0 { appendText(labels[Int(codes[row])], id: id, to: &buffer) }
            case .cells(let v): append(v[row], id: id, to: &buffer)
            case .computed(_, let cell): append(cell(row), id: id, to: &buffer)
            }
        }
        buffer.append(UInt8(ascii: "\n"))
    }
}
