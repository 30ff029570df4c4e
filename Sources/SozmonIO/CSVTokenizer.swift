/// One CSV record: its fields' bytes (quotes removed, `""` unescaped) back to back in one buffer, reused from
/// record to record so that reading allocates nothing per row.
public struct CSVRecord {
    /// The physical line (1-based) the record starts on.
    public internal(set) var line = 1
    /// The fields' bytes back to back; `range(_:)` finds one (for allocation-free parsing via `bytes.span`).
    public internal(set) var bytes: [UInt8] = []
    var ends: [Int] = []

    public var count: Int { ends.count }

    /// The bytes of field `i`.
    public func field(_ i: Int) -> ArraySlice<UInt8> { bytes[(i == 0 ? 0 : ends[i - 1])..<ends[i]] }

    /// The byte range of field `i` in `bytes`.
    public func range(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<ends[i] }

    mutating func reset(line: Int) {
        self.line = line
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }
}

/// A byte-level RFC 4180 tokenizer that is fed chunks: fields split by the separator, records by LF, CRLF or CR,
/// quoted fields with `""` for a quote and separators or line breaks inside quotes kept, padding before an opening
/// or after a closing quote dropped. It works on bytes, independent of the text encoding; its state carries over
/// chunk boundaries, so a file of any size streams through a fixed buffer.
struct CSVTokenizer {
    /// Why tokenizing stopped, with the line and field where it happened.
    struct Failure: Error {
        var line: Int
        var column: Int
        var message: String
    }

    private enum State { case unquoted, quoted, quoteInQuoted, afterClosingQuote, carriageReturn }

    let separator: UInt8
    private var state = State.unquoted
    private var record = CSVRecord()
    private var line = 1
    private var fieldIsBlank = true       // only spaces so far in an unquoted field
    private var fieldQuoted = false
    private var quoteLine = 1
    private var started = false

    init(separator: UInt8) { self.separator = separator }

    /// Tokenizes `chunk`, calling `body` for every complete record. Call `finish` after the last chunk.
    mutating func consume(_ chunk: ArraySlice<UInt8>, _ body: (CSVRecord) throws -> Void) throws {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), space = UInt8(ascii: " ")
        var i = chunk.startIndex
        if !started {
            started = true
            if chunk.starts(with: [0xEF, 0xBB, 0xBF]) { i += 3 }  // UTF-8 byte-order mark
        }
        while i < chunk.endIndex {
            let b = chunk[i]
            i += 1
            switch state {
            case .carriageReturn:
                state = .unquoted
                if b == lf { continue }
                fallthrough
            case .unquoted:
                // Fast path: copy a run of ordinary bytes in one go.
                if b != separator && b != lf && b != cr && b != quote && b != 0 {
                    var j = i
                    while j < chunk.endIndex {
                        let c = chunk[j]
                        if c == separator || c == lf || c == cr || c == quote || c == 0 { break }
                        j += 1
                    }
                    if fieldIsBlank && (b != space || chunk[i..<j].contains { $0 != space }) { fieldIsBlank = false }
                    record.bytes.append(contentsOf: chunk[(i - 1)..<j])
                    i = j
                    continue
                }
                if b == separator {
                    endField()
                } else if b == lf || b == cr {
                    try endRecord(body)
                    line += 1
                    record.reset(line: line)
                    if b == cr { state = .carriageReturn }
                } else if b == quote && fieldIsBlank {
                    // An opening quote (padding before it is dropped).
                    record.bytes.removeLast(record.bytes.count - (record.ends.last ?? 0))
                    state = .quoted
                    fieldQuoted = true
                    quoteLine = line
                } else if b == 0 {
                    throw Failure(line: line, column: record.count + 1,
                                  message: "a NUL byte: this looks like a binary file, not CSV text")
                } else {
                    if b != space { fieldIsBlank = false }
                    record.bytes.append(b)
                }
            case .quoted:
                if b == quote { state = .quoteInQuoted } else {
                    if b == lf { line += 1 }
                    record.bytes.append(b)
                }
            case .quoteInQuoted:
                if b == quote {
                    record.bytes.append(quote)
                    state = .quoted
                } else {
                    state = .afterClosingQuote
                    i -= 1  // look at this byte again
                }
            case .afterClosingQuote:
                if b == space { continue }
                guard b == separator || b == lf || b == cr else {
                    throw Failure(line: line, column: record.count + 1,
                                  message: "unexpected character after a closing quote; expected the separator or a line end")
                }
                state = .unquoted
                fieldIsBlank = false
                i -= 1
            }
        }
    }

    /// Ends the input: the last record without a line break, or an error for an open quote.
    mutating func finish(_ body: (CSVRecord) throws -> Void) throws {
        if state == .quoted {
            throw Failure(line: quoteLine, column: record.count + 1,
                          message: "unterminated quoted field (a \" opens here and is never closed)")
        }
        if !record.bytes.isEmpty || !record.ends.isEmpty || fieldQuoted { try endRecord(body) }
        record.reset(line: line)
    }

    private mutating func endField() {
        record.ends.append(record.bytes.count)
        fieldIsBlank = true
        fieldQuoted = false
        if state != .unquoted { state = .unquoted }
    }

    private mutating func endRecord(_ body: (CSVRecord) throws -> Void) throws {
        let blankLine = record.ends.isEmpty && record.bytes.isEmpty && !fieldQuoted
        endField()
        if !blankLine { try body(record) }
    }

    // MARK: - Helpers for dialect detection

    /// The first `limit` lines of a sample (line breaks inside quotes respected).
    static func logicalLines(of sample: [UInt8], limit: Int) -> [[UInt8]] {
        var lines: [[UInt8]] = [], current: [UInt8] = [], inQuotes = false
        for b in sample.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(sample.dropFirst(3)) : sample {
            if b == UInt8(ascii: "\"") { inQuotes.toggle() }
            if (b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r")) && !inQuotes {
                if !current.isEmpty { lines.append(current) }
                current = []
                if lines.count >= limit { break }
            } else {
                current.append(b)
            }
        }
        if !current.isEmpty && lines.count < limit { lines.append(current) }
        return lines
    }

    /// How often `byte` occurs outside quotes in `line`.
    static func count(_ byte: UInt8, outsideQuotesIn line: [UInt8]) -> Int {
        var inQuotes = false, count = 0
        for b in line {
            if b == UInt8(ascii: "\"") { inQuotes.toggle() } else if b == byte && !inQuotes { count += 1 }
        }
        return count
    }

    /// The unquoted fields of one line (quoted fields are returned empty): enough for detection.
    static func fields(of line: [UInt8], separator: UInt8) -> [[UInt8]] {
        var result: [[UInt8]] = [], current: [UInt8] = [], inQuotes = false, quoted = false
        for b in line {
            if b == UInt8(ascii: "\"") { inQuotes.toggle(); quoted = true }
            else if b == separator && !inQuotes { result.append(quoted ? [] : current); current = []; quoted = false }
            else { current.append(b) }
        }
        result.append(quoted ? [] : current)
        return result
    }
}
