import Foundation

/// A report table: named columns of typed values, formatted only by a writer (`writeCSV`, `XLSXWriter`, the HTML
/// report). Its rows are blocks of columns (`Table.Block`): a result of many areas is one block whose columns are the
/// result's own arrays (area ids held once, shared with every other block that lists them), so a table of millions of
/// rows holds its numbers, not a boxed cell per value.
public struct Table: Sendable {
    /// One value, as a table hands it out (and as small tables are built row by row).
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
    /// What each column holds, for disclosure control (`.value` unless the builder says otherwise).
    public let roles: [ColumnRole]
    /// The table's title as a reader sees it (default: its name; the report sets words).
    public var title: String
    /// Each column's label as a reader sees it (default: its code).
    public var labels: [String]
    /// The name of its sheet in a workbook (default: its name; the report sets short words, at most 31 characters).
    public var sheetName: String
    public private(set) var blocks: [Block] = []
    /// Rows in all blocks.
    public private(set) var rowCount = 0

    /// - Parameter roles: the role of each column that is not a plain value, by column name.
    public init(name: String, columns: [String], roles: [String: ColumnRole] = [:]) {
        precondition(Set(roles.keys).isSubset(of: columns), "table \(name): roles for columns it does not have")
        self.name = name
        self.columns = columns
        self.roles = columns.map { roles[$0] ?? .value }
        title = name
        labels = columns
        sheetName = name
    }

    /// Appends one row (for small tables; results of many areas append a `Block`).
    public mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "table \(name): \(row.count) cells for \(columns.count) columns")
        if blocks.last?.isRowBuilt != true { blocks.append(Block(rowBuiltWith: columns.count)) }
        blocks[blocks.count - 1].appendRow(row)
        rowCount += 1
    }

    /// Appends the rows of `block` (one column per table column).
    public mutating func append(_ block: Block) {
        precondition(block.columns.count == columns.count, "table \(name): \(block.columns.count) columns for \(columns.count)")
        guard block.count > 0 else { return }
        blocks.append(block)
        rowCount += block.count
    }

    /// The block holding `row`, and the row's place in it.
    private func locate(_ row: Int) -> (block: Int, row: Int) {
        precondition(row >= 0 && row < rowCount, "table \(name): row \(row) of \(rowCount)")
        var first = 0
        for (b, block) in blocks.enumerated() {
            if row < first + block.count { return (b, row - first) }
            first += block.count
        }
        fatalError("unreachable")
    }

    public subscript(row: Int, column: Int) -> Cell {
        let (b, r) = locate(row)
        return blocks[b][r, column]
    }

    /// Calls `body` with every row's block and the row's index in the block's storage, top to bottom: row r's
    /// cells are `block.columns[j][storedRow]`, without finding the row's block again for every cell.
    public func forEachRow(_ body: (_ block: Block, _ storedRow: Int) throws -> Void) rethrows {
        for block in blocks {
            for row in 0..<block.count { try body(block, block.storedRow(row)) }
        }
    }

    /// Replaces one cell (disclosure control); the cell's column in its block becomes row-built cells.
    public mutating func replace(row: Int, column: Int, with cell: Cell) {
        let (b, r) = locate(row)
        blocks[b].replace(row: r, column: column, with: cell)
    }

    /// The values of one column, top to bottom.
    public func column(_ j: Int) -> [Cell] {
        blocks.flatMap { block in (0..<block.count).map { block[$0, j] } }
    }

    /// The values of the column called `name`, or nil when the table has none.
    public func column(named name: String) -> [Cell]? { columns.firstIndex(of: name).map(column) }

    /// Rows formatted as one piece of work by the writers (pieces are made on all cores and written in order).
    static let rowsPerPiece = 8_192

    /// Rows `rows` in pieces of at most `rowsPerPiece` rows within one block: the block, the piece's first row in it,
    /// its number of rows and its first row in the table.
    func pieces(of rows: Range<Int>) -> [(block: Int, first: Int, count: Int, tableRow: Int)] {
        var pieces: [(block: Int, first: Int, count: Int, tableRow: Int)] = []
        var first = 0
        for (b, block) in blocks.enumerated() {
            let lower = max(rows.lowerBound, first), upper = min(rows.upperBound, first + block.count)
            for start in stride(from: lower, to: upper, by: Self.rowsPerPiece) {
                pieces.append((b, start - first, min(Self.rowsPerPiece, upper - start), start))
            }
            first += block.count
        }
        return pieces
    }

    /// Every row as cells: for small tables and tests (a large table is read by block or column).
    public var rows: [[Cell]] {
        blocks.flatMap { block in (0..<block.count).map { r in block.columns.indices.map { block[r, $0] } } }
    }
}

extension Table: Equatable {
    /// Equal when names, columns and every cell agree, however the rows are split into blocks.
    public static func == (a: Table, b: Table) -> Bool {
        a.name == b.name && a.columns == b.columns && a.rowCount == b.rowCount && a.rows == b.rows
    }
}

extension Table.Cell {
    /// A number, or empty when NaN.
    public static func value(_ d: Double) -> Table.Cell { d.isNaN ? .empty : .number(d) }
    /// A text, or empty when nil.
    public static func optional(_ s: String?) -> Table.Cell { s.map { .text($0) } ?? .empty }
}
