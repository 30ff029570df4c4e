/// A byte-level RFC 4180 tokenizer: fields split by the separator, records by LF or CRLF, quoted fields with `""`
/// for a quote, separators and line breaks inside quotes kept. It works on bytes, so it is independent of the text
/// encoding, which is applied to each field afterwards.
struct CSVTokenizer {
    /// A record and the (1-based) physical line it starts on.
    struct Record {
        var line: Int
        var fields: [[UInt8]]
    }

    /// Why tokenizing stopped, with the line and field where it happened.
    struct Failure: Error {
        var line: Int
        var column: Int
        var message: String
    }

    let bytes: [UInt8]
    let separator: UInt8

    /// Calls `body` for every record, in order. Blank lines are skipped.
    func forEachRecord(_ body: (Record) throws -> Void) throws {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0  // UTF-8 byte-order mark
        var line = 1
        var fields: [[UInt8]] = []
        var field: [UInt8] = []
        var recordLine = 1
        var fieldWasQuoted = false
        let n = bytes.count

        func endRecord() throws {
            fields.append(field)
            field.removeAll(keepingCapacity: true)
            let blank = fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted
            if !blank { try body(Record(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }

        while i < n {
            let b = bytes[i]
            if b == quote && field.allSatisfy({ $0 == UInt8(ascii: " ") }) && !fieldWasQuoted {
                // A quoted field (leading padding before the quote is dropped).
                field.removeAll(keepingCapacity: true)
                fieldWasQuoted = true
                let startLine = line
                i += 1
                var closed = false
                while i < n {
                    let c = bytes[i]
                    if c == quote {
                        if i + 1 < n && bytes[i + 1] == quote { field.append(quote); i += 2; continue }
                        closed = true; i += 1; break
                    }
                    if c == lf { line += 1 }
                    field.append(c)
                    i += 1
                }
                guard closed else {
                    throw Failure(line: startLine, column: fields.count + 1,
                                  message: "unterminated quoted field (a \" opens here and is never closed)")
                }
                // After the closing quote: padding, then a separator or the end of the line.
                while i < n && bytes[i] == UInt8(ascii: " ") { i += 1 }
                if i < n && bytes[i] != separator && bytes[i] != lf && bytes[i] != cr {
                    throw Failure(line: line, column: fields.count + 1,
                                  message: "unexpected character after a closing quote; expected the separator or a line end")
                }
                continue
            }
            if b == separator {
                fields.append(field)
                field.removeAll(keepingCapacity: true)
                fieldWasQuoted = false
            } else if b == lf || b == cr {
                if b == cr && i + 1 < n && bytes[i + 1] == lf { i += 1 }
                try endRecord()
                line += 1
                recordLine = line
            } else if b == 0 {
                throw Failure(line: line, column: fields.count + 1,
                              message: "a NUL byte: this looks like a binary file, not CSV text")
            } else {
                field.append(b)
            }
            i += 1
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { try endRecord() }
    }

    /// The first `limit` lines of a sample (line breaks inside quotes respected), for dialect detection.
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
