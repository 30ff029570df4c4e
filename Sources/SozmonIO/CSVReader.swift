import Foundation

/// Reads a CSV file record by record: detects the dialect from the first 64 KiB (or takes the one given), decodes
/// the header, and streams the data records through a fixed buffer, so that memory does not grow with the file.
public struct CSVReader: Sendable {
    public let file: String
    public let dialect: CSVDialect
    /// The header names, trimmed (berlin.de writes trailing spaces).
    public let header: [String]
    let source: Source
    let chunkSize: Int
    /// The records before the data: the header, and before it Excel's `sep=;` line where the file has one.
    let leadingRecords: Int

    enum Source {
        case bytes([UInt8])
        case file(URL)
    }

    /// A reader of the file at `url`.
    /// - Throws: `InputError` when the file is missing, empty, or its header is unreadable.
    public init(contentsOf url: URL, dialect: CSVDialect? = nil, chunkSize: Int = 1 << 22) throws(InputError) {
        let name = url.path
        let handle = try InputFile.open(url)
        defer { try? handle.close() }
        let sample = [UInt8]((try? handle.read(upToCount: 64 * 1024)) ?? Data())
        if let bigEndian = Self.utf16ByteOrder(sample) {
            // Excel's "Unicode text": UTF-16 with a byte-order mark, read whole and turned into UTF-8.
            let rest = [UInt8]((try? handle.readToEnd()) ?? Data())
            let bytes = try Self.utf8(fromUTF16: sample + rest, bigEndian: bigEndian, file: name)
            try self.init(source: .bytes(bytes), sample: Array(bytes.prefix(64 * 1024)), file: name, dialect: dialect,
                          chunkSize: max(bytes.count, 1))
            return
        }
        try self.init(source: .file(url), sample: sample, file: name, dialect: dialect, chunkSize: chunkSize)
    }

    /// Whether `bytes` begin with a UTF-16 byte-order mark: true big-endian (FE FF), false little-endian (FF FE).
    static func utf16ByteOrder(_ bytes: [UInt8]) -> Bool? {
        guard bytes.count >= 2 else { return nil }
        switch (bytes[0], bytes[1]) {
        case (0xFE, 0xFF): return true
        case (0xFF, 0xFE): return false
        default: return nil
        }
    }

    /// UTF-16 `bytes` (after their byte-order mark) as UTF-8.
    /// - Throws: `InputError` for an odd number of bytes or an unpaired surrogate, with its line.
    static func utf8(fromUTF16 bytes: [UInt8], bigEndian: Bool, file: String) throws(InputError) -> [UInt8] {
        guard bytes.count % 2 == 0 else {
            throw InputError(file: file, message: "the file begins with a UTF-16 byte-order mark but has an odd number of bytes")
        }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        for i in stride(from: 2, to: bytes.count, by: 2) {
            let high = UInt16(bytes[bigEndian ? i : i + 1]), low = UInt16(bytes[bigEndian ? i + 1 : i])
            units.append(high << 8 | low)
        }
        var out: [UInt8] = []
        out.reserveCapacity(units.count)
        var line = 1, iterator = units.makeIterator(), decoder = UTF16()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1 }
                UTF8.encode(scalar) { out.append($0) }
            case .emptyInput:
                return out
            case .error:
                throw InputError(file: file, line: line, message: "the file is UTF-16 with a byte-order mark, but holds an "
                                 + "unpaired surrogate (not a character)")
            }
        }
    }

    /// Excel's first line `sep=;` (the separator, for a double click): the separator and the bytes of that line
    /// (after a UTF-8 byte-order mark, which is kept), or nil.
    static func separatorLine(_ sample: [UInt8]) -> (separator: CSVDialect.Separator, bytes: Range<Int>)? {
        let start = sample.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let prefix = Array("sep=".utf8)
        guard sample.count >= start + 5, sample[start..<(start + 4)].map({ $0 | 0x20 }) == prefix,
              let separator = CSVDialect.Separator(rawValue: String(UnicodeScalar(sample[start + 4]))) else { return nil }
        var end = start + 5
        if end < sample.count && sample[end] == 0x0D { end += 1 }
        guard end < sample.count && sample[end] == 0x0A else { return nil }
        return (separator, start..<(end + 1))
    }

    /// A reader of CSV `bytes`; `file` names them in errors.
    public init(bytes: [UInt8], file: String, dialect: CSVDialect? = nil) throws(InputError) {
        try self.init(source: .bytes(bytes), sample: Array(bytes.prefix(64 * 1024)), file: file, dialect: dialect,
                      chunkSize: max(bytes.count, 1))
    }

    private init(source: Source, sample: [UInt8], file: String, dialect: CSVDialect?, chunkSize: Int) throws(InputError) {
        self.file = file
        self.source = source
        self.chunkSize = chunkSize
        guard sample.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
            throw InputError(file: file, message: "the file is empty; expected a header row and data rows")
        }
        let hint = Self.separatorLine(sample)
        let dialect = dialect ?? {
            // The file's own `sep=` line says the separator; the rest is detected from the lines after it.
            guard let hint else { return CSVDialect.detect(in: sample) }
            return CSVDialect.detect(in: Array(sample[hint.bytes.upperBound...]), separator: hint.separator)
        }()
        self.dialect = dialect
        leadingRecords = hint == nil ? 1 : 2
        // The header: the first record of the sample (after the `sep=` line).
        var tokenizer = CSVTokenizer(separator: dialect.separator.byte)
        var first: [String]? = nil, skip = leadingRecords - 1
        struct Stop: Error {}
        do {
            try tokenizer.consume(sample, sample.indices) { record in
                if skip > 0 { skip -= 1; return }
                first = try Self.decode(record, encoding: dialect.encoding, file: file)
                throw Stop()
            }
            if first == nil { try tokenizer.finish { first = try Self.decode($0, encoding: dialect.encoding, file: file) } }
        } catch is Stop {
        } catch {
            throw Self.inputError(error, file: file)
        }
        guard let names = first?.map({ $0.trimmingCharacters(in: " \t") }) else {
            throw InputError(file: file, message: "no header row")
        }
        // Empty and repeated names are allowed in columns nobody reads (a trailing separator, two "Bemerkung"
        // columns); looking such a name up is the error (`columnIndex`).
        header = names
    }

    /// The index of the column called `name`.
    /// - Throws: `InputError` naming the column and listing those the file has.
    public func columnIndex(_ name: String) throws(InputError) -> Int {
        try Self.columnIndex(name, in: header, file: file)
    }

    static func columnIndex(_ name: String, in header: [String], file: String) throws(InputError) -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw InputError(file: file, line: 1,
                             message: "no column '\(name)'; the header has \(header.map { "'\($0)'" }.joined(separator: ", "))")
        }
        if let again = header[(index + 1)...].firstIndex(of: name) {
            throw InputError(file: file, line: 1, column: again + 1,
                             message: "column '\(name)' appears twice in the header (columns \(index + 1) and \(again + 1))")
        }
        return index
    }

    /// Calls `body` for every data record (after the header), in order. A record with another number of fields
    /// than the header is an error naming its line.
    public func forEachRecord(_ body: (CSVRecord) throws(InputError) -> Void) throws(InputError) {
        var tokenizer = CSVTokenizer(separator: dialect.separator.byte)
        var leading = leadingRecords
        let width = header.count
        let file = self.file
        func handle(_ record: CSVRecord) throws {
            if leading > 0 { leading -= 1; return }
            guard record.count == width else {
                throw InputError(file: file, line: record.line, column: min(record.count, width) + 1,
                                 message: "\(record.count) fields, expected \(width) as in the header")
            }
            try body(record)
        }
        do {
            switch source {
            case .bytes(let bytes):
                try tokenizer.consume(bytes, bytes.indices, handle)
            case .file(let url):
                guard let stream = FileHandle(forReadingAtPath: url.path) else {
                    throw InputError(.missingFile, file: file, message: "cannot open the file for reading")
                }
                defer { try? stream.close() }
                while let data = try stream.read(upToCount: chunkSize), !data.isEmpty {
                    let chunk = [UInt8](data)
                    try tokenizer.consume(chunk, chunk.indices, handle)
                }
            }
            try tokenizer.finish(handle)
        } catch {
            throw Self.inputError(error, file: file)
        }
    }

    /// Any error of reading as an `InputError` with its place: the tokenizer's with line and column, a read
    /// failure as such.
    static func inputError(_ error: any Error, file: String) -> InputError {
        switch error {
        case let error as InputError: error
        case let failure as CSVTokenizer.Failure:
            InputError(file: file, line: failure.line, column: failure.column, message: failure.message)
        default: InputError(file: file, message: "cannot read the file (\(error.localizedDescription))")
        }
    }

    /// The text of field `index` of `record` in the file's encoding.
    /// - Throws: `InputError` at the field when its bytes are not valid in the encoding.
    public func text(_ record: CSVRecord, _ index: Int) throws(InputError) -> String {
        guard let text = TextDecoding.decode(record.field(index), as: dialect.encoding) else {
            throw InputError(file: file, line: record.line, column: index + 1,
                             message: "bytes that are not valid \(dialect.encoding.rawValue)")
        }
        return text
    }

    private static func decode(_ record: CSVRecord, encoding: CSVDialect.Encoding, file: String) throws -> [String] {
        try (0..<record.count).map { index in
            guard let text = TextDecoding.decode(record.field(index), as: encoding) else {
                throw InputError(file: file, line: record.line, column: index + 1,
                                 message: "bytes that are not valid \(encoding.rawValue)")
            }
            return text
        }
    }
}
