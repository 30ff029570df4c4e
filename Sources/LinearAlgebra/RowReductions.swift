import Dispatch

/// Kernels that combine the columns of each row, the core of a composite index. They run over blocks of rows
/// (every block on one core, all columns of a block while its row sums stay in cache), and each row's sum is taken
/// over its columns in order by one thread, so results do not depend on the number of threads.

/// Rows per block: the block's row sums (512 KB) stay in the L2 cache.
private let rowBlock = 1 << 16

/// Runs `body(b, rows)` for the consecutive blocks of `size` rows, in parallel when there are several.
func forEachRowBlock(_ rows: Int, size: Int = rowBlock, _ body: @Sendable (Int, Range<Int>) -> Void) {
    let blocks = (rows + size - 1) / size
    if blocks > 1 {
        DispatchQueue.concurrentPerform(iterations: blocks) { b in body(b, (b * size)..<min((b + 1) * size, rows)) }
    } else if rows > 0 {
        body(0, 0..<rows)
    }
}

extension Matrix {
    /// Per row `Σⱼ wⱼ` over its non-missing entries: how much of a weighted composite the row has.
    package func presentWeights(_ weights: [Double]) -> [Double] {
        precondition(weights.count == columns, "one weight per column")
        let rows = self.rows
        var present = [Double](repeating: 0, count: rows)
        guard !elements.isEmpty else { return present }
        elements.withUnsafeBufferPointer { x in
            present.withUnsafeMutableBufferPointer { p in
                let pointers = UncheckedSendable((x.baseAddress!, p.baseAddress!))
                forEachRowBlock(rows) { _, block in  // column by column, the block's sums in cache
                    let (x, p) = pointers.value
                    for (j, w) in weights.enumerated() {
                        for i in block { p[i] += x[j * rows + i].isNaN ? 0 : w }
                    }
                }
            }
        }
        return present
    }

    /// Which rows are complete and the column sums over those rows, in one read of the matrix: a row is complete
    /// where `include[i]` holds and the weight of its present entries, `Σⱼ wⱼ [xᵢⱼ present]`, is at least
    /// `minimumPresent`; per column, over the complete rows, the count, Σ(x − cⱼ) and Σ(x − cⱼ)² around `centres`
    /// (as `columnDeviationSums`). Each block of rows is summed while it is in cache; the blocks' sums are added in
    /// block order.
    package func completeRowSums(weights: [Double], include: [Bool], minimumPresent: Double,
                                around centres: [Double]) -> (complete: [Bool], sums: ColumnDeviationSums) {
        precondition(weights.count == columns && centres.count == columns, "one weight and one centre per column")
        precondition(include.count == rows, "one flag per row")
        // The present weight of a row without missing values, added in the order of the present-weight loop.
        let rows = self.rows, columns = self.columns, block = 2048, full = weights.reduce(0, +)
        guard !elements.isEmpty else {
            return (include.map { $0 && 0 >= minimumPresent }, ColumnDeviationSums(columns: columns, parts: 0, partial: []))
        }
        let blocks = (rows + block - 1) / block
        var complete = [Bool](repeating: false, count: rows)
        // Per column and block: count, count, Σd, Σd² (as `ColumnDeviationSums(columns:parts:partial:)` reads them).
        var partial = [Double](repeating: 0, count: columns * blocks * 4)
        elements.withUnsafeBufferPointer { x in
            complete.withUnsafeMutableBufferPointer { c in
                include.withUnsafeBufferPointer { include in
                    partial.withUnsafeMutableBufferPointer { out in
                        let pointers = UncheckedSendable((x.baseAddress!, c.baseAddress!, include.baseAddress!,
                                                          out.baseAddress!))
                        forEachRowBlock(rows, size: block) { b, range in
                            let (x, c, include, out) = pointers.value
                            withUnsafeTemporaryAllocation(of: Double.self, capacity: range.count) { gate in
                                let g = gate.baseAddress! - range.lowerBound
                                let finite = Self.markCompleteRows(range, x: x, rows: rows, columns: columns, weights: weights,
                                                                   full: full, minimumPresent: minimumPresent, include: include,
                                                                   complete: c, gate: g)
                                // A block of finite values only: every column counts the complete rows, and a mask
                                // of 1 and 0 in place of the gate selects them.
                                var completeRows = 0
                                if finite {
                                    for i in range {
                                        completeRows += c[i] ? 1 : 0
                                        g[i] = c[i] ? 1 : 0
                                    }
                                }
                                for j in 0..<columns {
                                    let column = UnsafeBufferPointer(start: x + j * rows + range.lowerBound,
                                                                     count: range.count)
                                    let slot = out + (j * blocks + b) * 4
                                    if finite {
                                        (slot[2], slot[3]) = Matrix.maskedDeviationSums(column, around: centres[j],
                                                                                         mask: UnsafeBufferPointer(gate))
                                        slot[0] = Double(completeRows)
                                    } else {
                                        let (count, linear, squared) = Matrix.deviationSums(column, around: centres[j],
                                                                                            gate: UnsafeBufferPointer(gate))
                                        (slot[0], slot[2], slot[3]) = (Double(count), linear, squared)
                                    }
                                    slot[1] = slot[0]
                                }
                            }
                        }
                    }
                }
            }
        }
        return (complete, ColumnDeviationSums(columns: columns, parts: blocks, partial: partial))
    }

    /// Marks the complete rows of a block, four rows at a time with their present weights in registers, and sets the
    /// block's gate: 0 for a complete row and NaN for the others (added to each entry, it drops them). Returns
    /// whether every value of the block is finite.
    @inline(__always)
    private static func markCompleteRows(_ range: Range<Int>, x: UnsafePointer<Double>, rows: Int, columns: Int, weights: [Double],
                                         full: Double, minimumPresent: Double, include: UnsafePointer<Bool>,
                                         complete c: UnsafeMutablePointer<Bool>, gate g: UnsafeMutablePointer<Double>) -> Bool {
        func mark(_ i: Int, present: Double) {
            c[i] = include[i] && present >= minimumPresent
            (g + i).initialize(to: c[i] ? 0 : .nan)
        }
        var i = range.lowerBound, finite = true
        while i + 4 <= range.upperBound {
            // A missing (or infinite) value turns its row's sum into NaN (or ±∞); only then are the present weights
            // counted.
            var sum = SIMD4<Double>(), present = SIMD4<Double>(repeating: full)
            for j in 0..<columns { sum += load4(x + j * rows + i) }
            if any(sum * 0 .!= 0) {
                finite = false
                present = .zero
                for j in 0..<columns {
                    let v = load4(x + j * rows + i)
                    present += SIMD4(repeating: weights[j]).replacing(with: 0, where: v .!= v)
                }
            }
            for k in 0..<4 { mark(i + k, present: present[k]) }
            i += 4
        }
        while i < range.upperBound {
            finite = finite && (0..<columns).allSatisfy { x[$0 * rows + i].isFinite }
            mark(i, present: (0..<columns).reduce(0) { $0 + (x[$1 * rows + i].isNaN ? 0 : weights[$1]) })
            i += 1
        }
        return finite
    }

    /// The weighted row sums of the affine map `zᵢⱼ = (xᵢⱼ − shiftⱼ) · scaleⱼ`, re-weighted to the full weight:
    ///
    ///     sᵢ = (Σⱼ wⱼ zᵢⱼ) · (total / Σⱼ wⱼ [xᵢⱼ present]),   sums over the present entries of row i,
    ///
    /// for the rows with `include[i]`, NaN for the others. One read of the matrix and one write of the sums: the
    /// normalised values are formed in registers and never stored (the composite index of a z-standardisation).
    package func affineRowSums(shift: [Double], scale: [Double], weights: [Double], total: Double,
                              include: [Bool]) -> [Double] {
        precondition(shift.count == columns && scale.count == columns && weights.count == columns,
                     "one shift, scale and weight per column")
        precondition(include.count == rows, "one flag per row")
        // The present weight of a complete row, added in the order of the careful sum below.
        let rows = self.rows, columns = self.columns, full = weights.reduce(0, +)
        guard !elements.isEmpty else { return [Double](repeating: .nan, count: rows) }  // nothing present anywhere
        return elements.withUnsafeBufferPointer { source in
            include.withUnsafeBufferPointer { include in
                largeArray(count: rows) { target in
                    let pointers = UncheckedSendable((source.baseAddress!, include.baseAddress!, target.baseAddress!))
                    forEachRowBlock(rows) { _, range in
                        let (x, include, out) = pointers.value
                        // Four rows at a time, their sums in registers while the columns go by (each row summed
                        // over its columns in order). A missing value turns its row's sum into NaN; only then are
                        // the four rows summed again over their present values, with their present weights.
                        var i = range.lowerBound
                        while i + 4 <= range.upperBound {
                            var sum = SIMD4<Double>()
                            for j in 0..<columns { sum += weights[j] * ((load4(x + j * rows + i) - shift[j]) * scale[j]) }
                            var present = SIMD4<Double>(repeating: full)
                            if any(sum .!= sum) {
                                sum = .zero; present = .zero
                                for j in 0..<columns {
                                    let z = (load4(x + j * rows + i) - shift[j]) * scale[j], missing = z .!= z
                                    sum += (weights[j] * z).replacing(with: 0, where: missing)
                                    present += SIMD4(repeating: weights[j]).replacing(with: 0, where: missing)
                                }
                            }
                            let reweighted = sum * (total / present)
                            for k in 0..<4 { (out + i + k).initialize(to: include[i + k] ? reweighted[k] : .nan) }
                            i += 4
                        }
                        while i < range.upperBound {
                            var sum = 0.0, present = 0.0
                            for j in 0..<columns {
                                let z = (x[j * rows + i] - shift[j]) * scale[j]
                                sum += z.isNaN ? 0 : weights[j] * z
                                present += z.isNaN ? 0 : weights[j]
                            }
                            (out + i).initialize(to: include[i] ? sum * (total / present) : .nan)
                            i += 1
                        }
                    }
                }
            }
        }
    }
}
