import AreaData
import Foundation

/// A CSV file read whole into text: its header and its records, each with its line number. For small tables
/// (keys, fixtures, previous editions); large indicator tables stream through `CSVReader.panel(_:)` instead.
public struct CSVTable: Sendable {
    public let file: String
    public let dialect: CSVDialect
    public let header: [String]
    public let rows: [[String]]
    /// The physical line on which each row starts (1-based), for error messages.
    public let lines: [Int]

    /// Reads `url`, detecting the dialect unless one is given.
    /// - Throws: `InputError` (missing file; empty or binary file; unterminated quote; a row with the wrong number of
    ///   fields; bytes invalid in the encoding; duplicate or empty header names), with line and column.
    public init(contentsOf url: URL, dialect: CSVDialect? = nil) throws(InputError) {
        try self.init(CSVReader(contentsOf: url, dialect: dialect))
    }

    /// Parses CSV `bytes`; `file` names them in errors.
    public init(bytes: [UInt8], file: String, dialect: CSVDialect? = nil) throws(InputError) {
        try self.init(CSVReader(bytes: bytes, file: file, dialect: dialect))
    }

    init(_ reader: CSVReader) throws(InputError) {
        var rows: [[String]] = [], lines: [Int] = []
        try reader.forEachRecord { record throws(InputError) in
            var row: [String] = []
            row.reserveCapacity(record.count)
            for index in 0..<record.count { row.append(try reader.text(record, index)) }
            rows.append(row)
            lines.append(record.line)
        }
        file = reader.file
        dialect = reader.dialect
        header = reader.header
        self.rows = rows
        self.lines = lines
    }

    /// Reads `url` as a table that must have data rows: one rule for every input table (a header alone is an
    /// error, as it is for the indicator table).
    /// - Parameter rows: what the rows are, for the message ("facilities", "neighbour pairs").
    public init(contentsOf url: URL, dialect: CSVDialect? = nil, requiringRows rows: String) throws(InputError) {
        try self.init(contentsOf: url, dialect: dialect)
        guard !self.rows.isEmpty else {
            throw InputError(file: file, line: 1, message: "the table has a header but no \(rows)")
        }
    }

    /// The index of the column called `name`.
    /// - Throws: `InputError` naming the column and listing those the file has.
    public func columnIndex(_ name: String) throws(InputError) -> Int {
        try CSVReader.columnIndex(name, in: header, file: file)
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
                throw parser.error(file: file, line: line, column: index + 1, text: row[index], columnName: name)
            }
            cells.append(cell)
        }
        return cells
    }
}
