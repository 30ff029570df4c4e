import COpenBLAS

/// Kernels of centre-based clustering, where the per-element loops are hot: the nearest centre of every row, the
/// sums of every group of rows, the k-means++ distances and the within-cluster sum of squares. They read the
/// storage through pointers, which only this module does.
extension Matrix {
    /// Rows per block of `assignToNearest`: a block's row × centre products stay in the L2 cache.
    static let assignmentBlockRows = 2048

    /// ‖xᵢ‖² of every row, column by column through the storage.
    package func squaredRowNorms() -> [Double] {
        var norms = [Double](repeating: 0, count: rows)
        elements.withUnsafeBufferPointer { x in
            norms.withUnsafeMutableBufferPointer { s in
                for j in 0..<columns {
                    let column = x.baseAddress! + j * rows
                    for i in 0..<rows { s[i] += column[i] * column[i] }
                }
            }
        }
        return norms
    }

    /// The assignment step of centre-based clustering, one pass over blocks of rows: for every row the nearest row of
    /// `centres` (ties to the lower index) and the squared distance `d²(i, c) = ‖xᵢ‖² + ‖c‖² − 2·xᵢ·c` (clamped at 0),
    /// with the products `xᵢ·c` of a block by one BLAS-3 `dgemm`; and, while the block is in cache, the column sums
    /// and the sizes of the rows assigned to each centre. `rowSquaredNorms` are ‖xᵢ‖², computed once by the caller.
    package func assignToNearest(of centres: Matrix, rowSquaredNorms: [Double], labels: inout [Int],
                                squaredDistances: inout [Double]) -> (sums: Matrix, sizes: [Int]) {
        precondition(centres.columns == columns && rowSquaredNorms.count == rows)
        let k = centres.rows, n = rows, p = columns, block = Self.assignmentBlockRows
        var centreNorms = [Double](repeating: 0, count: k)
        for c in 0..<k { for j in 0..<p { centreNorms[c] += centres[c, j] * centres[c, j] } }
        if labels.count != n { labels = [Int](repeating: 0, count: n) }
        if squaredDistances.count != n { squaredDistances = [Double](repeating: 0, count: n) }
        var sums = Matrix(rows: k, columns: p)
        var sizes = [Int](repeating: 0, count: k)
        var cross = [Double](repeating: 0, count: Swift.min(block, n) * k)
        elements.withUnsafeBufferPointer { x in
            centres.elements.withUnsafeBufferPointer { c in
                cross.withUnsafeMutableBufferPointer { d in
                    labels.withUnsafeMutableBufferPointer { label in
                        squaredDistances.withUnsafeMutableBufferPointer { distance in
                            sums.elements.withUnsafeMutableBufferPointer { s in
                                for first in stride(from: 0, to: n, by: block) {
                                    let m = Swift.min(block, n - first)
                                    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, blasInt(m), blasInt(k),
                                                blasInt(p), 1, x.baseAddress! + first, blasInt(n), c.baseAddress,
                                                blasInt(k), 0, d.baseAddress, blasInt(m))
                                    for i in 0..<m {
                                        var arg = 0, minimum = Double.infinity
                                        let norm = rowSquaredNorms[first + i]
                                        for centre in 0..<k {
                                            let value = norm + centreNorms[centre] - 2 * d[i + centre * m]
                                            if value < minimum { minimum = value; arg = centre }
                                        }
                                        label[first + i] = arg
                                        distance[first + i] = Swift.max(minimum, 0)
                                        sizes[arg] += 1
                                    }
                                    for j in 0..<p {
                                        let column = x.baseAddress! + j * n + first, target = s.baseAddress! + j * k
                                        for i in 0..<m { target[label[first + i]] += column[i] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (sums, sizes)
    }

    /// `nearest[i] = min(nearest[i], ‖xᵢ − x_row‖²)` for every row i (the k-means++ update), block by block with
    /// the squared distances summed column by column (exact, not through the expansion); returns Σ nearest[i].
    package func lowerToSquaredDistances(_ nearest: inout [Double], from row: Int) -> Double {
        precondition(nearest.count == rows && row >= 0 && row < rows)
        let n = rows, block = Self.assignmentBlockRows
        var distance = [Double](repeating: 0, count: Swift.min(block, n))
        var total = 0.0
        elements.withUnsafeBufferPointer { x in
            nearest.withUnsafeMutableBufferPointer { nearest in
                distance.withUnsafeMutableBufferPointer { d in
                    for first in stride(from: 0, to: n, by: block) {
                        let m = Swift.min(block, n - first)
                        for i in 0..<m { d[i] = 0 }
                        for j in 0..<columns {
                            let column = x.baseAddress! + j * n, centre = column[row], part = column + first
                            for i in 0..<m { let e = part[i] - centre; d[i] += e * e }
                        }
                        for i in 0..<m {
                            let value = Swift.min(nearest[first + i], d[i])
                            nearest[first + i] = value
                            total += value
                        }
                    }
                }
            }
        }
        return total
    }

    /// Σᵢ ‖xᵢ − c_{labels[i]}‖², summed directly (not through the expansion), column by column.
    package func withinSumOfSquares(labels: [Int], centres: Matrix) -> Double {
        precondition(labels.count == rows && centres.columns == columns)
        let k = centres.rows
        var total = 0.0
        elements.withUnsafeBufferPointer { x in
            centres.elements.withUnsafeBufferPointer { c in
                labels.withUnsafeBufferPointer { label in
                    for j in 0..<columns {
                        let column = x.baseAddress! + j * rows, centre = c.baseAddress! + j * k
                        for i in 0..<rows { let e = column[i] - centre[label[i]]; total += e * e }
                    }
                }
            }
        }
        return total
    }
}
