/// A dense matrix of `Double` stored contiguously in column-major order, the layout BLAS and LAPACK take as it is.
///
/// `Matrix` is a value: copies are independent (copy-on-write through the underlying array). Element (i, j) is at
/// `elements[i + j * rows]`. Data for the analyses is laid out so that one call covers a whole table: areas ×
/// indicators for one period, or periods × areas for one indicator.
public struct Matrix: Sendable, Equatable, CustomStringConvertible {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public private(set) var columns: Int
    /// The elements, column by column.
    public internal(set) var elements: [Double]

    /// A `rows × columns` matrix with every element equal to `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must not be negative")
        self.rows = rows
        self.columns = columns
        self.elements = Array(repeating: value, count: rows * columns)
    }

    /// A matrix from its elements in column-major order.
    public init(rows: Int, columns: Int, columnMajor elements: [Double]) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must not be negative")
        precondition(elements.count == rows * columns,
                     "A \(rows)×\(columns) matrix needs \(rows * columns) elements, got \(elements.count)")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix from its rows, as written on paper: `Matrix([[1, 2], [3, 4]])`.
    public init(_ rowArrays: [[Double]]) {
        let rowCount = rowArrays.count
        let columnCount = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columnCount }, "All rows must have the same length")
        var elements = [Double](repeating: 0, count: rowCount * columnCount)
        for (i, row) in rowArrays.enumerated() {
            for (j, value) in row.enumerated() { elements[i + j * rowCount] = value }
        }
        self.init(rows: rowCount, columns: columnCount, columnMajor: elements)
    }

    /// A matrix whose columns are the given arrays (all of one length).
    public init(columns columnArrays: [[Double]]) {
        let rowCount = columnArrays.first?.count ?? 0
        precondition(columnArrays.allSatisfy { $0.count == rowCount }, "All columns must have the same length")
        self.init(rows: rowCount, columns: columnArrays.count, columnMajor: Array(columnArrays.joined()))
    }

    /// The `n × n` identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        var result = Matrix(rows: n, columns: n)
        for i in 0..<n { result[i, i] = 1 }
        return result
    }

    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            return elements[row + column * rows]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            elements[row + column * rows] = newValue
        }
    }

    /// Column `j` as a contiguous slice of the storage (no copy).
    public func column(_ j: Int) -> ArraySlice<Double> {
        precondition(j >= 0 && j < columns, "Column index out of range")
        return elements[(j * rows)..<((j + 1) * rows)]
    }

    /// Row `i` (a strided read, so a copy).
    public func row(_ i: Int) -> [Double] {
        precondition(i >= 0 && i < rows, "Row index out of range")
        return (0..<columns).map { elements[i + $0 * rows] }
    }

    /// The rows at `indices`, in that order.
    /// Adds `values` (one per row) as a last column: column-major storage takes it without moving the others.
    public mutating func appendColumn(_ values: [Double]) {
        precondition(values.count == rows, "one value per row")
        elements.append(contentsOf: values)
        columns += 1
    }

    /// The columns `indices`, in that order.
    public func selectingColumns(_ indices: [Int]) -> Matrix {
        var out: [Double] = []
        out.reserveCapacity(rows * indices.count)
        for j in indices { out.append(contentsOf: column(j)) }
        return Matrix(rows: rows, columns: indices.count, columnMajor: out)
    }

    public func selectingRows(_ indices: [Int]) -> Matrix {
        var result = Matrix(rows: indices.count, columns: columns)
        for j in 0..<columns { for (r, i) in indices.enumerated() { result[r, j] = self[i, j] } }
        return result
    }

    /// The rows as nested arrays, for printing and tests.
    public var rowArrays: [[Double]] { (0..<rows).map(row) }

    /// The transpose, `Aᵀ`.
    public var transposed: Matrix {
        var result = Matrix(rows: columns, columns: rows)
        for j in 0..<columns {
            for i in 0..<rows { result.elements[j + i * columns] = elements[i + j * rows] }
        }
        return result
    }

    /// Whether every element is finite (no NaN, no infinity).
    public var isFinite: Bool { elements.allSatisfy(\.isFinite) }

    public var description: String {
        "Matrix(\(rows)×\(columns)) " + rowArrays.map { "\($0)" }.joined(separator: "\n")
    }
}
