import Foundation

/// Reads a CSV file record by record: detects the dialect from the first 64 KiB (or takes the one given), decodes
/// the header, and streams the data records through a fixed buffer, so that memory does not grow with the file.
public struct CSVReader {
    public let file: String
    public let dialect: CSVDialect
    /// The header names, trimmed (berlin.de writes trailing spaces).
    public let header: [String]
    let source: Source
    let chunkSize: Int

    enum Source {
        case bytes([UInt8])
        case file(URL)
    }

    /// A reader of the file at `url`.
    /// - Throws: `InputError` when the file is missing, empty, or its header is unreadable.
    public init(contentsOf url: URL, dialect: CSVDialect? = nil, chunkSize: Int = 1 << 22) throws(InputError) {
        let name = url.path
        let handle = try InputFile.open(url)
        let sample = [UInt8]((try? handle.read(upToCount: 64 * 1024)) ?? Data())
        try? handle.close()
        try self.init(source: .file(url), sample: sample, file: name, dialect: dialect, chunkSize: chunkSize)
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
        let dialect = dialect ?? CSVDialect.detect(in: sample)
        self.dialect = dialect
        // The header: the first record of the sample.
        var tokenizer = CSVTokenizer(separator: dialect.separator.byte)
        var first: [String]? = nil
        struct Stop: Error {}
        do {
            try tokenizer.consume(sample, sample.indices) { record in
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
        var isHeader = true
        let width = header.count
        let file = self.file
        func handle(_ record: CSVRecord) throws {
            if isHeader { isHeader = false; return }
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
