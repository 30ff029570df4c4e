/// Kernels of centre-based clustering, where the per-element loops are hot: the nearest centre of every row and the
/// mean of every group of rows. They read the storage through pointers, which only this module does.
extension Matrix {
    /// For every row, the index of the nearest row of `centres` and the squared distance to it, by one `dgemm`:
    /// `d²(i, c) = ‖xᵢ‖² + ‖c‖² − 2·xᵢ·c` (clamped at 0). `rowSquaredNorms` are ‖xᵢ‖², computed once by the caller.
    /// Ties go to the lower centre index.
    public func nearestRows(of centres: Matrix, rowSquaredNorms: [Double]) -> (indices: [Int], squaredDistances: [Double]) {
        precondition(centres.columns == columns && rowSquaredNorms.count == rows)
        let cross = multiplied(by: centres, transposingOther: true)  // rows × k
        let k = centres.rows
        var centreNorms = [Double](repeating: 0, count: k)
        for c in 0..<k { for j in 0..<columns { centreNorms[c] += centres[c, j] * centres[c, j] } }
        var indices = [Int](repeating: 0, count: rows)
        var distances = [Double](repeating: 0, count: rows)
        cross.elements.withUnsafeBufferPointer { d in
            indices.withUnsafeMutableBufferPointer { best in
                distances.withUnsafeMutableBufferPointer { bestDistance in
                    for i in 0..<rows {
                        var arg = 0, minimum = Double.infinity
                        let base = rowSquaredNorms[i]
                        for c in 0..<k {
                            let value = base + centreNorms[c] - 2 * d[i + c * rows]
                            if value < minimum { minimum = value; arg = c }
                        }
                        best[i] = arg
                        bestDistance[i] = Swift.max(minimum, 0)
                    }
                }
            }
        }
        return (indices, distances)
    }

    /// Column sums of the rows of each group (`groups[i]` in 0..<count) and the group sizes: one pass.
    public func groupSums(_ groups: [Int], count: Int) -> (sums: Matrix, sizes: [Int]) {
        precondition(groups.count == rows)
        var sums = Matrix(rows: count, columns: columns)
        var sizes = [Int](repeating: 0, count: count)
        for g in groups { sizes[g] += 1 }
        elements.withUnsafeBufferPointer { x in
            sums.elements.withUnsafeMutableBufferPointer { s in
                groups.withUnsafeBufferPointer { g in
                    for j in 0..<columns {
                        let column = j * rows, target = j * count
                        for i in 0..<rows { s[target + g[i]] += x[column + i] }
                    }
                }
            }
        }
        return (sums, sizes)
    }
}
