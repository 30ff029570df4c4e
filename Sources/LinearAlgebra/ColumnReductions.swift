import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Streaming column kernels: one pass over each column, NaN treated as missing and skipped, optional weights per
/// row. These are the memory-bound loops behind moments and standardisation; they live here because they read the
/// storage through pointers, which only this module does. Large matrices are split by column over the cores; each
/// column is always summed by one thread in one order, so results do not depend on the number of threads.

/// Runs `body(j)` for every column, in parallel when the matrix is large enough to be worth it.
func forEachColumn(_ columns: Int, elements: Int, _ body: @Sendable (Int) -> Void) {
    if elements >= 1 << 18 && columns > 1 {
        DispatchQueue.concurrentPerform(iterations: columns, execute: body)
    } else {
        for j in 0..<columns { body(j) }
    }
}

/// Per-column totals of one pass: how many finite-weight, non-missing entries, their weight and weighted sum.
public struct ColumnTotals: Sendable, Equatable {
    /// Non-missing entries per column.
    public var counts: [Int]
    /// Σ w_i over the non-missing entries (equals `counts` when unweighted).
    public var weightSums: [Double]
    /// Σ w_i x_i over the non-missing entries.
    public var weightedSums: [Double]
}

/// Per-column sums of deviations from a centre `c` over non-missing entries: how many, Σw, Σ w (x − c) and
/// Σ w (x − c)².
public struct ColumnDeviationSums: Sendable, Equatable {
    public var counts: [Int]
    public var weightSums: [Double]
    public var linear: [Double]
    public var squared: [Double]
}

extension Matrix {
    /// One pass per column: counts, Σw and Σwx, skipping NaN entries (and rows whose weight is NaN).
    ///
    /// - Parameters:
    ///   - weights: one non-negative weight per row, or `nil` for unit weights.
    ///   - gate: unweighted only: per row 0 to count it or NaN to skip it, added to every entry of the row (so
    ///     that the sums over a subset of rows run in the same branch-free loop, without copying the rows).
    public func columnTotals(weights: [Double]? = nil, gate: [Double]? = nil) -> ColumnTotals {
        precondition(weights == nil || gate == nil, "a gate is for unit weights")
        if let gate { precondition(gate.count == rows, "columnTotals: \(gate.count) gate entries for \(rows) rows") }
        if let weights { precondition(weights.count == rows, "columnTotals: \(weights.count) weights for \(rows) rows") }
        var totals = ColumnTotals(counts: .init(repeating: 0, count: columns),
                                  weightSums: .init(repeating: 0, count: columns),
                                  weightedSums: .init(repeating: 0, count: columns))
        let rows = self.rows
        elements.withUnsafeBufferPointer { storage in
            totals.counts.withUnsafeMutableBufferPointer { counts in
            totals.weightSums.withUnsafeMutableBufferPointer { weightSums in
            totals.weightedSums.withUnsafeMutableBufferPointer { weightedSums in
            (weights ?? gate ?? []).withUnsafeBufferPointer { w in
                let storage = UncheckedSendable(storage), w = UncheckedSendable(w), weighted = weights != nil
                let gated = gate != nil
                let counts = UncheckedSendable(counts), weightSums = UncheckedSendable(weightSums)
                let weightedSums = UncheckedSendable(weightedSums)
                forEachColumn(columns, elements: storage.value.count) { j in
                    let column = UnsafeBufferPointer(rebasing: storage.value[(j * rows)..<((j + 1) * rows)])
                    let w = w.value, counts = counts.value, weightSums = weightSums.value, weightedSums = weightedSums.value
                    if weighted {
                        var count = 0, weightSum = 0.0, sum = 0.0
                        for i in 0..<rows where !column[i].isNaN && !w[i].isNaN {
                            count += 1; weightSum += w[i]; sum += w[i] * column[i]
                        }
                        counts[j] = count; weightSums[j] = weightSum; weightedSums[j] = sum
                    } else {
                        let (count, sum) = Self.countAndSum(column, gate: gated ? w : nil)
                        counts[j] = count; weightSums[j] = Double(count); weightedSums[j] = sum
                    }
                }
            }
            }
            }
            }
        }
        return totals
    }

    /// One pass per column: counts, Σw, Σw(x − c_j) and Σw(x − c_j)² over non-missing entries, for the variance
    /// of shifted data (Chan, Golub & LeVeque 1983): `M2 = Σw d² − (Σw d)² / Σw`, exact up to rounding when c_j is
    /// near the mean.
    /// `gate` as in `columnTotals`.
    public func columnDeviationSums(around centres: [Double], weights: [Double]? = nil,
                                    gate: [Double]? = nil) -> ColumnDeviationSums {
        precondition(centres.count == columns, "columnDeviationSums: \(centres.count) centres for \(columns) columns")
        precondition(weights == nil || gate == nil, "a gate is for unit weights")
        if let weights { precondition(weights.count == rows) }
        if let gate { precondition(gate.count == rows) }
        var sums = ColumnDeviationSums(counts: .init(repeating: 0, count: columns),
                                       weightSums: .init(repeating: 0, count: columns),
                                       linear: .init(repeating: 0, count: columns),
                                       squared: .init(repeating: 0, count: columns))
        let rows = self.rows
        elements.withUnsafeBufferPointer { storage in
            sums.counts.withUnsafeMutableBufferPointer { counts in
            sums.weightSums.withUnsafeMutableBufferPointer { weightSums in
            sums.linear.withUnsafeMutableBufferPointer { linear in
            sums.squared.withUnsafeMutableBufferPointer { squared in
            (weights ?? gate ?? []).withUnsafeBufferPointer { w in
                let storage = UncheckedSendable(storage), w = UncheckedSendable(w), weighted = weights != nil
                let gated = gate != nil
                let out = UncheckedSendable((counts, weightSums, linear, squared))
                forEachColumn(columns, elements: storage.value.count) { j in
                    let column = UnsafeBufferPointer(rebasing: storage.value[(j * rows)..<((j + 1) * rows)])
                    let w = w.value, (counts, weightSums, linear, squared) = out.value
                    let c = centres[j]
                    if weighted {
                        var count = 0, weightSum = 0.0, l = 0.0, q = 0.0
                        for i in 0..<rows where !column[i].isNaN && !w[i].isNaN {
                            let d = column[i] - c
                            count += 1; weightSum += w[i]; l += w[i] * d; q += w[i] * d * d
                        }
                        counts[j] = count; weightSums[j] = weightSum; linear[j] = l; squared[j] = q
                    } else {
                        let (count, l, q) = Self.deviationSums(column, around: c, gate: gated ? w : nil)
                        counts[j] = count; weightSums[j] = Double(count); linear[j] = l; squared[j] = q
                    }
                }
            }
            }
            }
            }
            }
        }
        return sums
    }

    /// The affine map `(x − shift_j) · scale_j` applied to every element of column `j` into a new matrix, in one
    /// read and one write of each element; NaN stays NaN.
    public func columnsShiftedAndScaled(shift: [Double], scale: [Double]) -> Matrix {
        precondition(shift.count == columns && scale.count == columns, "one shift and one scale per column")
        let rows = self.rows, columns = self.columns
        let values = elements.withUnsafeBufferPointer { source in
            [Double](unsafeUninitializedCapacity: rows * columns) { target, initialized in
                adviseHugePages(target)
                let pointers = UncheckedSendable((source.baseAddress!, target.baseAddress!))
                forEachColumn(columns, elements: rows * columns) { j in
                    let (from, to) = pointers.value
                    let s = shift[j], f = scale[j], x = from + j * rows, y = to + j * rows
                    for i in 0..<rows { (y + i).initialize(to: (x[i] - s) * f) }
                }
                initialized = rows * columns
            }
        }
        return Matrix(rows: rows, columns: columns, columnMajor: values)
    }

    /// In place: `(x − shift_j) · scale_j` on every element of column `j` (no new allocation, so no page faults
    /// on a fresh buffer: the cheapest way to standardise a large matrix).
    public mutating func shiftAndScaleColumns(shift: [Double], scale: [Double]) {
        precondition(shift.count == columns && scale.count == columns, "one shift and one scale per column")
        let rows = self.rows, columns = self.columns
        elements.withUnsafeMutableBufferPointer { target in
            let base = target.baseAddress!
            let pointer = UncheckedSendable(base)
            forEachColumn(columns, elements: rows * columns) { j in
                let s = shift[j], f = scale[j]
                let column = pointer.value + j * rows
                for i in 0..<rows { column[i] = (column[i] - s) * f }
            }
        }
    }

    // Four independent accumulators (or the four lanes of a SIMD4) break the add-latency chain so that the loop runs
    // at memory speed. A NaN entry contributes nothing: `x.isNaN ? 0 : x` compiles to a branch-free select. A gate
    // entry (0 or NaN) is added to each entry of its row first.
    private static func countAndSum(_ x: UnsafeBufferPointer<Double>, gate g: UnsafeBufferPointer<Double>?) -> (Int, Double) {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var c0 = 0, c1 = 0, c2 = 0, c3 = 0
        let n = x.count, blocked = n & ~3
        var i = 0
        while i < blocked {
            var a = x[i], b = x[i + 1], c = x[i + 2], d = x[i + 3]
            if let g { a += g[i]; b += g[i + 1]; c += g[i + 2]; d += g[i + 3] }
            s0 += a.isNaN ? 0 : a; c0 += a.isNaN ? 0 : 1
            s1 += b.isNaN ? 0 : b; c1 += b.isNaN ? 0 : 1
            s2 += c.isNaN ? 0 : c; c2 += c.isNaN ? 0 : 1
            s3 += d.isNaN ? 0 : d; c3 += d.isNaN ? 0 : 1
            i += 4
        }
        while i < n {
            let a = x[i] + (g?[i] ?? 0)
            s0 += a.isNaN ? 0 : a; c0 += a.isNaN ? 0 : 1
            i += 1
        }
        return (c0 + c1 + c2 + c3, (s0 + s1) + (s2 + s3))
    }

    static func deviationSums(_ x: UnsafeBufferPointer<Double>, around c: Double,
                              gate g: UnsafeBufferPointer<Double>?) -> (Int, Double, Double) {
        // Lane k of each vector accumulates the entries i ≡ k (mod 4).
        var l = SIMD4<Double>(), q = SIMD4<Double>(), counts = SIMD4<Double>()
        let n = x.count, blocked = n & ~3, one = SIMD4<Double>(repeating: 1), centre = SIMD4<Double>(repeating: c)
        var i = 0
        while i < blocked {
            var d = UnsafeRawPointer(x.baseAddress! + i).loadUnaligned(as: SIMD4<Double>.self) - centre
            if let g { d += UnsafeRawPointer(g.baseAddress! + i).loadUnaligned(as: SIMD4<Double>.self) }
            let missing = d .!= d
            d.replace(with: 0, where: missing)
            counts += one.replacing(with: 0, where: missing)
            l += d
            q += d * d
            i += 4
        }
        while i < n {
            let a = x[i] - c + (g?[i] ?? 0), a0 = a.isNaN ? 0 : a
            counts[0] += a.isNaN ? 0 : 1; l[0] += a0; q[0] += a0 * a0
            i += 1
        }
        return (Int((counts[0] + counts[1]) + (counts[2] + counts[3])), (l[0] + l[1]) + (l[2] + l[3]),
                (q[0] + q[1]) + (q[2] + q[3]))
    }
}

/// Asks the kernel to back a fresh, not yet touched buffer of at least 4 MB with transparent huge pages
/// (`madvise(MADV_HUGEPAGE)`), so that filling it takes one page fault per 2 MB instead of one per 4 KB. Only a
/// hint: where huge pages are off or unavailable nothing changes, and the values written are the same.
func adviseHugePages(_ buffer: UnsafeMutableBufferPointer<Double>) {
    let bytes = buffer.count * MemoryLayout<Double>.stride
    guard bytes >= 4 << 20, let base = buffer.baseAddress else { return }
    let huge = 2 << 20
    let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
    let end = (Int(bitPattern: base) + bytes) & ~(huge - 1)
    guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
    _ = madvise(pointer, end - start, MADV_HUGEPAGE)
}

/// A pointer handed to the column workers; each writes only its own column.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
