import Dispatch

/// Kernels that combine the columns of each row, the core of a composite index. They run over blocks of rows
/// (every block on one core, all columns of a block while its row sums stay in cache), and each row's sum is taken
/// over its columns in order by one thread, so results do not depend on the number of threads.

/// Rows per block: the block's row sums (512 KB) stay in the L2 cache.
private let rowBlock = 1 << 16

/// Runs `body(rows)` for consecutive blocks of rows, in parallel when there are several.
private func forEachRowBlock(_ rows: Int, _ body: @Sendable (Range<Int>) -> Void) {
    let blocks = (rows + rowBlock - 1) / rowBlock
    if blocks > 1 {
        DispatchQueue.concurrentPerform(iterations: blocks) { b in body((b * rowBlock)..<min((b + 1) * rowBlock, rows)) }
    } else if rows > 0 {
        body(0..<rows)
    }
}

extension Matrix {
    /// Per row `Σⱼ wⱼ` over its non-missing entries: how much of a weighted composite the row has.
    public func presentWeights(_ weights: [Double]) -> [Double] {
        precondition(weights.count == columns, "one weight per column")
        let rows = self.rows, columns = self.columns
        var present = [Double](repeating: 0, count: rows)
        elements.withUnsafeBufferPointer { x in
            present.withUnsafeMutableBufferPointer { p in
                let pointers = UncheckedSendable((x.baseAddress!, p.baseAddress!))
                forEachRowBlock(rows) { block in
                    let (x, p) = pointers.value
                    for j in 0..<columns {
                        let w = weights[j], column = x + j * rows
                        for i in block { p[i] += column[i].isNaN ? 0 : w }
                    }
                }
            }
        }
        return present
    }

    /// The affine map `zᵢⱼ = (xᵢⱼ − shiftⱼ) · scaleⱼ` into a new matrix and, in the same pass, per row
    /// `Σⱼ weightsⱼ · zᵢⱼ` over the non-missing z of the rows with `include[i]` (0 for the others): normalised
    /// indicators and their weighted sum with one read and one write of each element.
    public func columnsShiftedAndScaled(shift: [Double], scale: [Double], summingRowsWith weights: [Double],
                                        include: [Bool]) -> (matrix: Matrix, rowSums: [Double]) {
        precondition(shift.count == columns && scale.count == columns && weights.count == columns,
                     "one shift, scale and weight per column")
        precondition(include.count == rows, "one flag per row")
        let rows = self.rows, columns = self.columns
        var sums = [Double](repeating: 0, count: rows)
        let values = elements.withUnsafeBufferPointer { source in
            [Double](unsafeUninitializedCapacity: rows * columns) { target, initialized in
                adviseHugePages(target)
                sums.withUnsafeMutableBufferPointer { sums in
                    include.withUnsafeBufferPointer { include in
                        let pointers = UncheckedSendable((source.baseAddress!, target.baseAddress!, sums.baseAddress!,
                                                          include.baseAddress!))
                        forEachRowBlock(rows) { block in
                            let (from, to, sum, include) = pointers.value
                            for j in 0..<columns {
                                let s = shift[j], f = scale[j], w = weights[j], x = from + j * rows, y = to + j * rows
                                for i in block {
                                    let z = (x[i] - s) * f
                                    (y + i).initialize(to: z)
                                    sum[i] += include[i] && !z.isNaN ? w * z : 0
                                }
                            }
                        }
                    }
                }
                initialized = rows * columns
            }
        }
        return (Matrix(rows: rows, columns: columns, columnMajor: values), sums)
    }
}
