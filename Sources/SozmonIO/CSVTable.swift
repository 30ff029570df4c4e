import AreaData
import Foundation

/// A CSV file read whole: its header and its records as text, each with its line number.
///
/// Header names are trimmed (berlin.de writes trailing spaces); every record must have as many fields as the header.
public struct CSVTable: Sendable {
    public let file: String
    public let dialect: CSVDialect
    public let header: [String]
    public let rows: [[String]]
    /// The physical line on which each row starts (1-based), for error messages.
    public let lines: [Int]

    /// Reads `url`, detecting the dialect unless one is given.
    ///
    /// - Throws: `InputError` (missing file; empty or binary file; unterminated quote; a row with the wrong number of
    ///   fields; bytes invalid in the encoding; duplicate or empty header names), with line and column.
    public init(contentsOf url: URL, dialect: CSVDialect? = nil) throws(InputError) {
        let name = url.path
        guard FileManager.default.fileExists(atPath: name) else {
            throw InputError(.missingFile, file: name, message: "the file does not exist")
        }
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw InputError(.missingFile, file: name, message: "cannot read the file (\(error.localizedDescription))")
        }
        try self.init(bytes: [UInt8](data), file: name, dialect: dialect)
    }

    /// Parses CSV `bytes`; `file` names them in errors.
    public init(bytes: [UInt8], file: String, dialect: CSVDialect? = nil) throws(InputError) {
        self.file = file
        guard !bytes.isEmpty, bytes.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D }) else {
            throw InputError(file: file, message: "the file is empty; expected a header row and data rows")
        }
        let dialect = dialect ?? CSVDialect.detect(in: bytes)
        self.dialect = dialect
        var header: [String]? = nil
        var rows: [[String]] = [], lines: [Int] = []
        let tokenizer = CSVTokenizer(bytes: bytes, separator: dialect.separator.byte)
        do {
            try tokenizer.forEachRecord { record in
                var texts: [String] = []
                texts.reserveCapacity(record.fields.count)
                for (index, field) in record.fields.enumerated() {
                    guard let text = TextDecoding.decode(field, as: dialect.encoding) else {
                        throw CSVTokenizer.Failure(line: record.line, column: index + 1,
                                                   message: "bytes that are not valid \(dialect.encoding.rawValue)")
                    }
                    texts.append(text)
                }
                if let header {
                    guard texts.count == header.count else {
                        throw CSVTokenizer.Failure(line: record.line, column: Swift.min(texts.count, header.count) + 1,
                                                   message: "\(texts.count) fields, expected \(header.count) as in the header")
                    }
                    rows.append(texts)
                    lines.append(record.line)
                } else {
                    header = texts.map { $0.trimmingCharacters(in: " \t") }
                }
            }
        } catch let failure as CSVTokenizer.Failure {
            throw InputError(file: file, line: failure.line, column: failure.column, message: failure.message)
        } catch {
            throw InputError(file: file, message: "\(error)")
        }
        guard let header else { throw InputError(file: file, message: "no header row") }
        var seen: Set<String> = []
        for (index, name) in header.enumerated() {
            guard !name.isEmpty else {
                throw InputError(file: file, line: 1, column: index + 1, message: "empty column name in the header")
            }
            guard seen.insert(name).inserted else {
                throw InputError(file: file, line: 1, column: index + 1, message: "duplicate column name '\(name)'")
            }
        }
        self.header = header
        self.rows = rows
        self.lines = lines
    }

    /// The index of the column called `name`.
    /// - Throws: `InputError` naming the column and listing those the file has.
    public func columnIndex(_ name: String) throws(InputError) -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw InputError(file: file, line: 1,
                             message: "no column '\(name)'; the header has \(header.map { "'\($0)'" }.joined(separator: ", "))")
        }
        return index
    }

    /// Column `name` read as numbers by `parser`.
    /// - Throws: `InputError` at the first cell that is neither a number nor a missing-value symbol.
    public func numericColumn(_ name: String, parser: NumberParser? = nil) throws(InputError) -> [Cell] {
        let index = try columnIndex(name)
        let parser = parser ?? NumberParser(dialect: dialect)
        var cells: [Cell] = []
        cells.reserveCapacity(rows.count)
        for (row, line) in zip(rows, lines) {
            guard let cell = parser.parse(row[index]) else {
                throw InputError(file: file, line: line, column: index + 1,
                                 message: "'\(row[index])' in column '\(name)' is not a number; expected a number "
                                     + "with decimal \(dialect.decimalMark == .comma ? "comma" : "point") "
                                     + "or a missing-value symbol (empty, -, ., x, ..., /)")
            }
            cells.append(cell)
        }
        return cells
    }
}
