/// One CSV record: where its fields lie in `bytes` (quotes removed, `""` unescaped). `bytes` is the tokenizer's
/// input itself where that holds the fields as they are (no copy), else a copy of just this record's fields (a field
/// with `""`, or a record that spans two reads).
public struct CSVRecord {
    /// The physical line (1-based) the record starts on.
    public internal(set) var line = 1
    /// The buffer the fields lie in; `range(_:)` finds one (for allocation-free parsing via `bytes.span`).
    public internal(set) var bytes: [UInt8] = []
    var starts: [Int] = [], ends: [Int] = []

    public var count: Int { ends.count }

    /// The bytes of field `i`.
    public func field(_ i: Int) -> ArraySlice<UInt8> { bytes[starts[i]..<ends[i]] }

    /// The byte range of field `i` in `bytes`.
    public func range(_ i: Int) -> Range<Int> { starts[i]..<ends[i] }
}

/// A byte-level RFC 4180 tokenizer that is fed chunks: fields split by the separator, records by LF, CRLF or CR,
/// quoted fields with `""` for a quote and separators or line breaks inside quotes kept, padding before an opening
/// or after a closing quote dropped. It works on bytes, independent of the text encoding; its state carries over
/// chunk boundaries, so a file of any size streams through a fixed buffer. Fields are found as ranges of the chunk
/// and copied only where they must be (see `CSVRecord`).
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
    /// The line the tokenizer is on (1-based): after the last chunk, 1 + the number of line breaks read.
    private(set) var line = 1
    /// Whether a quote character came up outside a quoted field (so: whether the input has quotes at all).
    private(set) var sawQuote = false
    private var fieldIsBlank = true       // only spaces so far in an unquoted field
    private var fieldQuoted = false
    private var quoteLine = 1
    private var started: Bool
    /// Whether the current record's fields are copied into `record.bytes` (else they are ranges of the chunk).
    private var copying = true
    /// Where the current field's content starts, and where a quoted one's ended (at its closing quote).
    private var fieldStart = 0
    private var quotedEnd = 0

    /// A tokenizer at the start of a file (where a UTF-8 byte-order mark is skipped) or, with `atFileStart` false,
    /// at the start of a record inside one.
    init(separator: UInt8, atFileStart: Bool = true) {
        self.separator = separator
        self.started = !atFileStart
        var special = InlineArray<256, Bool>(repeating: false)
        for byte in [separator, UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\""), 0] { special[Int(byte)] = true }
        self.special = special
    }

    /// The bytes that end a run of ordinary ones in an unquoted field: separator, LF, CR, quote, NUL.
    private let special: InlineArray<256, Bool>

    /// Tokenizes `buffer[range]`, calling `body` for every complete record. Call `finish` after the last chunk.
    mutating func consume(_ buffer: [UInt8], _ range: Range<Int>, _ body: (CSVRecord) throws -> Void) throws {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), space = UInt8(ascii: " ")
        var i = range.lowerBound
        let end = range.upperBound
        if !started {
            started = true
            if buffer[i..<end].starts(with: [0xEF, 0xBB, 0xBF]) { i += 3 }  // UTF-8 byte-order mark
        }
        // A record that began in an earlier chunk goes on in its copy; a new one is read in place.
        if record.ends.isEmpty && fieldStart == record.bytes.count && !fieldQuoted
            && (state == .unquoted || state == .carriageReturn) {
            copying = false
            record.bytes = buffer
            fieldStart = i
        }
        while i < end {
            let b = buffer[i]
            i += 1
            switch state {
            case .carriageReturn:
                state = .unquoted
                if b == lf { if !copying { fieldStart = i }; continue }
                fallthrough
            case .unquoted:
                // Fast path: a run of ordinary bytes in one go.
                if !special[Int(b)] {
                    var j = i
                    while j < end && !special[Int(buffer[j])] { j += 1 }
                    if fieldIsBlank && (b != space || buffer[i..<j].contains { $0 != space }) { fieldIsBlank = false }
                    if copying { record.bytes.append(contentsOf: buffer[(i - 1)..<j]) }
                    i = j
                    continue
                }
                try unquotedSpecial(b, before: i, in: buffer, body)
            case .quoted:
                if b == quote { state = .quoteInQuoted } else {
                    if b == lf { line += 1 }
                    if copying { record.bytes.append(b) }
                }
            case .quoteInQuoted:
                if b == quote {
                    // `""`: a quote in the field, which is then no longer a range of the chunk.
                    if !copying { copyRecord(from: buffer, upTo: i - 2) }
                    record.bytes.append(quote)
                    state = .quoted
                } else {
                    quotedEnd = copying ? record.bytes.count : i - 2
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
        // A record left open at the end of the chunk is copied, to go on in the next one.
        if !copying {
            switch state {
            case .quoteInQuoted: copyRecord(from: buffer, upTo: end - 1)
            case .afterClosingQuote: copyRecord(from: buffer, upTo: quotedEnd)
            default: copyRecord(from: buffer, upTo: end)
            }
        }
    }

    /// A special byte of an unquoted field (separator, line end, quote, NUL; or a byte of a field that is still
    /// blank), `i` the index after it.
    @inline(__always)
    private mutating func unquotedSpecial(_ b: UInt8, before i: Int, in buffer: [UInt8], _ body: (CSVRecord) throws -> Void) throws {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), space = UInt8(ascii: " ")
        if b == quote { sawQuote = true }
        if b == separator {
            endField(at: i - 1)
        } else if b == lf || b == cr {
            try endRecord(at: i - 1, body)
            line += 1
            startRecord(at: i, in: buffer)
            if b == cr { state = .carriageReturn }
        } else if b == quote && fieldIsBlank {
            // An opening quote (padding before it is dropped).
            if copying { record.bytes.removeLast(record.bytes.count - fieldStart) } else { fieldStart = i }
            state = .quoted
            fieldQuoted = true
            quoteLine = line
        } else if b == 0 {
            throw Failure(line: line, column: record.count + 1, message: "a NUL byte: this looks like a binary file, not CSV text")
        } else {
            if b != space { fieldIsBlank = false }
            if copying { record.bytes.append(b) }
        }
    }

    /// Ends the input: the last record without a line break, or an error for an open quote.
    mutating func finish(_ body: (CSVRecord) throws -> Void) throws {
        if state == .quoted {
            throw Failure(line: quoteLine, column: record.count + 1,
                          message: "unterminated quoted field (a \" opens here and is never closed)")
        }
        if state == .quoteInQuoted { quotedEnd = record.bytes.count; state = .afterClosingQuote }
        let open = !record.ends.isEmpty || fieldStart < record.bytes.count || fieldQuoted
        if open { try endRecord(at: record.bytes.count, body) }
        record = CSVRecord(line: line)
        copying = true
        fieldStart = 0
        state = .unquoted
        fieldIsBlank = true
        fieldQuoted = false
    }

    /// Moves the current record's fields, and the current field's content up to `contentEnd`, into a copy.
    private mutating func copyRecord(from buffer: [UInt8], upTo contentEnd: Int) {
        var copy: [UInt8] = []
        copy.reserveCapacity(64)
        for f in record.ends.indices {
            let start = copy.count
            copy.append(contentsOf: buffer[record.starts[f]..<record.ends[f]])
            record.starts[f] = start
            record.ends[f] = copy.count
        }
        let start = copy.count
        copy.append(contentsOf: buffer[fieldStart..<max(contentEnd, fieldStart)])
        if state == .afterClosingQuote { quotedEnd = copy.count }
        fieldStart = start
        record.bytes = copy
        copying = true
    }

    private mutating func startRecord(at i: Int, in buffer: [UInt8]) {
        record.line = line
        record.starts.removeAll(keepingCapacity: true)
        record.ends.removeAll(keepingCapacity: true)
        if copying { record.bytes = buffer; copying = false }
        fieldStart = i
        fieldIsBlank = true
        fieldQuoted = false
    }

    /// Ends the current field; unquoted ones end at `position` (where the separator or line break is).
    private mutating func endField(at position: Int) {
        record.starts.append(fieldStart)
        let end = fieldQuoted ? quotedEnd : (copying ? record.bytes.count : position)
        record.ends.append(end)
        fieldStart = copying ? record.bytes.count : position + 1
        fieldIsBlank = true
        fieldQuoted = false
        if state != .unquoted { state = .unquoted }
    }

    private mutating func endRecord(at position: Int, _ body: (CSVRecord) throws -> Void) throws {
        let blankLine = record.ends.isEmpty && !fieldQuoted
            && (copying ? fieldStart == record.bytes.count : fieldStart == position)
        endField(at: position)
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
