/// Consecutive rows of a `Table`, stored column by column.
extension Table {
    /// One column's values in a block. A missing value is NaN in `numbers` and nil elsewhere, and is written as an
    /// empty cell.
    public enum Column: Sendable {
        /// The same value in every row (e.g. the indicator of a block of trend rows).
        case constant(Cell)
        case numbers([Double])
        case integers([Int?])
        case bools([Bool?])
        /// Texts; an empty text is an empty cell (so a column of area ids can be the ids themselves, shared).
        case texts([String])
        /// Codes into `labels` (e.g. the classes of an index); a negative code is an empty cell.
        case coded([Int8], labels: [String])
        /// Row-built cells (small tables, replaced cells).
        case cells([Cell])
        /// Cells computed when written, from results the closure holds (e.g. the slope of each area's trend fit), so
        /// that a table of results holds no copy of them.
        case computed(count: Int, @Sendable (Int) -> Cell)

        public static let empty = Column.constant(.empty)

        public subscript(row: Int) -> Cell {
            switch self {
            case .constant(let cell): cell
            case .numbers(let v): .value(v[row])
            case .integers(let v): v[row].map { .integer($0) } ?? .empty
            case .bools(let v): v[row].map { .bool($0) } ?? .empty
            case .texts(let v): v[row].isEmpty ? .empty : .text(v[row])
            case .coded(let codes, let labels): codes[row] < 0 ? .empty : .text(labels[Int(codes[row])])
            case .cells(let v): v[row]
            case .computed(_, let cell): cell(row)
            }
        }

        /// Rows this column holds, or nil for a constant.
        var storedCount: Int? {
            switch self {
            case .constant: nil
            case .numbers(let v): v.count
            case .integers(let v): v.count
            case .bools(let v): v.count
            case .texts(let v): v.count
            case .coded(let codes, _): codes.count
            case .cells(let v): v.count
            case .computed(let count, _): count
            }
        }
    }

    /// Rows stored as columns. The columns may hold more rows than the block shows: `selection` picks (and orders)
    /// the stored rows that are rows of the block, so a result over all areas becomes the rows of the areas that have
    /// one without copying its arrays.
    public struct Block: Sendable {
        public private(set) var columns: [Column]
        /// Stored row of each block row; nil: all stored rows in order.
        public private(set) var selection: [Int]?
        public private(set) var count: Int
        /// Built row by row with `Table.append(_:)`.
        var isRowBuilt = false

        /// A block of `count` rows; every column that is not constant must hold `count` rows, or as many as
        /// `selection` picks from.
        public init(count: Int, columns: [Column], selection: [Int]? = nil) {
            self.columns = columns
            self.selection = selection
            self.count = selection?.count ?? count
            let stored = selection == nil ? count : nil
            for column in columns {
                guard let n = column.storedCount else { continue }
                if let stored { precondition(n == stored, "a column of \(n) rows in a block of \(stored)") }
                if let selection { precondition(selection.allSatisfy { $0 >= 0 && $0 < n }, "a selected row outside a column") }
            }
        }

        init(rowBuiltWith columnCount: Int) {
            self.init(count: 0, columns: Array(repeating: .cells([]), count: columnCount))
            isRowBuilt = true
        }

        mutating func appendRow(_ row: [Cell]) {
            for j in columns.indices {
                guard case .cells(var values) = columns[j] else { preconditionFailure("a row-built block") }
                columns[j] = .empty  // leave the array uniquely referenced while appending
                values.append(row[j])
                columns[j] = .cells(values)
            }
            count += 1
        }

        /// The stored row of block row `row`.
        @inline(__always) public func storedRow(_ row: Int) -> Int { selection?[row] ?? row }

        public subscript(row: Int, column: Int) -> Cell { columns[column][storedRow(row)] }

        /// Replaces one cell; its column becomes row-built cells (a typed column cannot hold the symbol of a
        /// suppressed cell).
        mutating func replace(row: Int, column j: Int, with cell: Cell) {
            let stored = storedRow(row)
            var values: [Cell]
            if case .cells(let v) = columns[j] { values = v } else {
                let n = columns[j].storedCount ?? (selection.map { ($0.max() ?? -1) + 1 } ?? count)
                values = (0..<n).map { columns[j][$0] }
            }
            columns[j] = .empty
            values[stored] = cell
            columns[j] = .cells(values)
        }
    }
}
