import Dispatch

/// Kernels that combine the columns of each row, the core of a composite index. They run over blocks of rows
/// (every block on one core, all columns of a block while its row sums stay in cache), and each row's sum is taken
/// over its columns in order by one thread, so results do not depend on the number of threads.

/// Rows per block: the block's row sums (512 KB) stay in the L2 cache.
private let rowBlock = 1 << 16

/// Runs `body(b, rows)` for the consecutive blocks of `size` rows, in parallel when there are several.
private func forEachRowBlock(_ rows: Int, size: Int = rowBlock, _ body: @Sendable (Int, Range<Int>) -> Void) {
    let blocks = (rows + size - 1) / size
    if blocks > 1 {
        DispatchQueue.concurrentPerform(iterations: blocks) { b in body(b, (b * size)..<min((b + 1) * size, rows)) }
    } else if rows > 0 {
        body(0, 0..<rows)
    }
}

/// `p[i] += Σⱼ wⱼ [xᵢⱼ present]` for the rows in `block` of a column-major matrix with `rows` rows at `x`.
private func addPresentWeights(_ x: UnsafePointer<Double>, rows: Int, weights: [Double], block: Range<Int>,
                               into p: UnsafeMutablePointer<Double>) {
    for (j, w) in weights.enumerated() {
        let column = x + j * rows
        for i in block { p[i] += column[i].isNaN ? 0 : w }
    }
}

extension Matrix {
    /// Per row `Σⱼ wⱼ` over its non-missing entries: how much of a weighted composite the row has.
    public func presentWeights(_ weights: [Double]) -> [Double] {
        precondition(weights.count == columns, "one weight per column")
        let rows = self.rows
        var present = [Double](repeating: 0, count: rows)
        elements.withUnsafeBufferPointer { x in
            present.withUnsafeMutableBufferPointer { p in
                let pointers = UncheckedSendable((x.baseAddress!, p.baseAddress!))
                forEachRowBlock(rows) { _, block in
                    let (x, p) = pointers.value
                    addPresentWeights(x, rows: rows, weights: weights, block: block, into: p)
                }
            }
        }
        return present
    }

    /// Which rows are complete and the column sums over those rows, in one read of the matrix: per row the weight
    /// of its present entries `pᵢ = Σⱼ wⱼ [xᵢⱼ present]` and `completeᵢ = include[i] ∧ pᵢ ≥ minimumPresent`; per
    /// column, over the complete rows, the count, Σ(x − cⱼ) and Σ(x − cⱼ)² around `centres` (as
    /// `columnDeviationSums`). Each block of rows is summed while it is in cache; the blocks' sums are added in
    /// block order.
    public func completeRowSums(weights: [Double], include: [Bool], minimumPresent: Double,
                                around centres: [Double]) -> (present: [Double], complete: [Bool],
                                                              sums: ColumnDeviationSums) {
        precondition(weights.count == columns && centres.count == columns, "one weight and one centre per column")
        precondition(include.count == rows, "one flag per row")
        let rows = self.rows, columns = self.columns, block = 4096
        let blocks = (rows + block - 1) / block
        var present = [Double](repeating: 0, count: rows)
        var complete = [Bool](repeating: false, count: rows)
        // Per block and column: count, Σd, Σd².
        var partial = [Double](repeating: 0, count: blocks * columns * 3)
        elements.withUnsafeBufferPointer { x in
            present.withUnsafeMutableBufferPointer { p in
                complete.withUnsafeMutableBufferPointer { c in
                    include.withUnsafeBufferPointer { include in
                        partial.withUnsafeMutableBufferPointer { out in
                            let pointers = UncheckedSendable((x.baseAddress!, p.baseAddress!, c.baseAddress!,
                                                              include.baseAddress!, out.baseAddress!))
                            forEachRowBlock(rows, size: block) { b, range in
                                let (x, p, c, include, out) = pointers.value
                                addPresentWeights(x, rows: rows, weights: weights, block: range, into: p)
                                // 0 for a complete row, NaN for the others: added to each entry, it drops them.
                                var gate = [Double](repeating: 0, count: range.count)
                                for i in range {
                                    c[i] = include[i] && p[i] >= minimumPresent
                                    gate[i - range.lowerBound] = c[i] ? 0 : .nan
                                }
                                gate.withUnsafeBufferPointer { gate in
                                    for j in 0..<columns {
                                        let column = UnsafeBufferPointer(start: x + j * rows + range.lowerBound,
                                                                         count: range.count)
                                        let (count, linear, squared) = Matrix.deviationSums(column, around: centres[j],
                                                                                            gate: gate)
                                        let slot = out + (b * columns + j) * 3
                                        slot[0] = Double(count); slot[1] = linear; slot[2] = squared
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var sums = ColumnDeviationSums(counts: .init(repeating: 0, count: columns),
                                       weightSums: .init(repeating: 0, count: columns),
                                       linear: .init(repeating: 0, count: columns),
                                       squared: .init(repeating: 0, count: columns))
        for b in 0..<blocks {
            for j in 0..<columns {
                let slot = (b * columns + j) * 3
                sums.counts[j] += Int(partial[slot])
                sums.linear[j] += partial[slot + 1]
                sums.squared[j] += partial[slot + 2]
            }
        }
        sums.weightSums = sums.counts.map(Double.init)
        return (present, complete, sums)
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
                        forEachRowBlock(rows) { _, block in
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
