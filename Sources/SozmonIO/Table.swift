import Foundation

/// A report table: named columns and rows of cells, independent of the format it is written in.
public struct Table: Sendable, Equatable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double)
        case integer(Int)
        case bool(Bool)
        case empty
    }

    /// File name without extension, e.g. `areas` or `summary_bezirk`.
    public let name: String
    public let columns: [String]
    public private(set) var rows: [[Cell]] = []

    public init(name: String, columns: [String]) {
        self.name = name
        self.columns = columns
    }

    public mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "table \(name): \(row.count) cells for \(columns.count) columns")
        rows.append(row)
    }

    /// Writes the table as CSV (numbers at full precision; NaN as an empty cell).
    public func writeCSV(to handle: FileHandle, style: CSVWriter.Style) throws {
        var writer = CSVWriter(handle: handle, style: style)
        try writer.writeRow(columns)
        for row in rows {
            try writer.writeRow(row.map { cell in
                switch cell {
                case .text(let s): s
                case .number(let d): writer.format(d)
                case .integer(let i): String(i)
                case .bool(let b): writer.format(b)
                case .empty: ""
                }
            })
        }
        try writer.flush()
    }
}

extension Table.Cell {
    /// A number, or empty when NaN.
    public static func value(_ d: Double) -> Table.Cell { d.isNaN ? .empty : .number(d) }
    /// A text, or empty when nil.
    public static func optional(_ s: String?) -> Table.Cell { s.map { .text($0) } ?? .empty }
}
