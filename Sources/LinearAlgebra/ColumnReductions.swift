import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Streaming column kernels: one pass over each column, NaN treated as missing and skipped, optional weights per
/// row. These are the memory-bound loops behind moments and standardisation; they live here because they read the
/// storage through pointers, which only this module does. The columns are shared by the cores; a matrix of fewer
/// than four columns (the one column of an index, say) has its columns cut into segments of a fixed number of rows
/// instead. Each column or segment is summed by one thread in one order and the segments' sums are added in order,
/// so results do not depend on the number of threads.

/// Rows per segment of a column of a matrix with few columns.
let segmentRows = 1 << 18

/// How many segments each column of a `rows` × `columns` matrix has (at least one).
func segmentCount(rows: Int, columns: Int) -> Int { columns >= 4 ? 1 : max(1, (rows + segmentRows - 1) / segmentRows) }

/// Runs `body(j, s, rows)` for segment `s` (the rows `rows`) of every column `j`, in parallel when the matrix is
/// large enough to be worth it; not at all for a matrix without elements.
func forEachColumnSegment(columns: Int, rows: Int, _ body: @Sendable (Int, Int, Range<Int>) -> Void) {
    guard rows > 0 else { return }
    let segments = segmentCount(rows: rows, columns: columns), length = segments == 1 ? rows : segmentRows
    @Sendable func task(_ t: Int) {
        let (j, s) = t.quotientAndRemainder(dividingBy: segments)
        body(j, s, (s * length)..<min((s + 1) * length, rows))
    }
    if rows * columns >= 1 << 18 && columns * segments > 1 {
        DispatchQueue.concurrentPerform(iterations: columns * segments) { task($0) }
    } else {
        for t in 0..<(columns * segments) { task(t) }
    }
}

/// Per-column totals of one pass: how many finite-weight, non-missing entries, their weight and weighted sum.
package struct ColumnTotals: Sendable, Equatable {
    /// Non-missing entries per column.
    package var counts: [Int]
    /// Σ w_i over the non-missing entries (equals `counts` when unweighted).
    package var weightSums: [Double]
    /// Σ w_i x_i over the non-missing entries.
    package var weightedSums: [Double]
}

/// Per-column sums of deviations from a centre `c` over non-missing entries: how many, Σw, Σ w (x − c) and
/// Σ w (x − c)².
package struct ColumnDeviationSums: Sendable, Equatable {
    package var counts: [Int]
    package var weightSums: [Double]
    package var linear: [Double]
    package var squared: [Double]

    /// The totals of `parts` partial sums per column, added in part order; `partial` holds count, Σw, Σw d and
    /// Σw d² of part p of column j at `(j · parts + p) · 4`.
    init(columns: Int, parts: Int, partial: [Double]) {
        precondition(partial.count == columns * parts * 4, "four sums per column and part")
        counts = .init(repeating: 0, count: columns)
        weightSums = .init(repeating: 0, count: columns)
        linear = .init(repeating: 0, count: columns)
        squared = .init(repeating: 0, count: columns)
        for j in 0..<columns {
            for p in 0..<parts {
                let slot = (j * parts + p) * 4
                counts[j] += Int(partial[slot]); weightSums[j] += partial[slot + 1]
                linear[j] += partial[slot + 2]; squared[j] += partial[slot + 3]
            }
        }
    }
}

extension Matrix {
    /// One pass per column: counts, Σw and Σwx, skipping NaN entries (and rows whose weight is NaN).
    ///
    /// - Parameters:
    ///   - weights: one non-negative weight per row, or `nil` for unit weights.
    ///   - gate: unweighted only: per row 0 to count it or NaN to skip it, added to every entry of the row (so
    ///     that the sums over a subset of rows run in the same branch-free loop, without copying the rows).
    package func columnTotals(weights: [Double]? = nil, gate: [Double]? = nil) -> ColumnTotals {
        // The deviations from 0 are the values themselves, summed in the same order.
        let sums = columnDeviationSums(around: [Double](repeating: 0, count: columns), weights: weights, gate: gate)
        return ColumnTotals(counts: sums.counts, weightSums: sums.weightSums, weightedSums: sums.linear)
    }

    /// One pass per column: counts, Σw, Σw(x − c_j) and Σw(x − c_j)² over non-missing entries, for the variance
    /// of shifted data (Chan, Golub & LeVeque 1983): `M2 = Σw d² − (Σw d)² / Σw`, exact up to rounding when c_j is
    /// near the mean.
    /// `gate` as in `columnTotals`.
    package func columnDeviationSums(around centres: [Double], weights: [Double]? = nil,
                                    gate: [Double]? = nil) -> ColumnDeviationSums {
        precondition(centres.count == columns, "columnDeviationSums: \(centres.count) centres for \(columns) columns")
        precondition(weights == nil || gate == nil, "a gate is for unit weights")
        if let weights { precondition(weights.count == rows) }
        if let gate { precondition(gate.count == rows) }
        let rows = self.rows, segments = segmentCount(rows: rows, columns: columns)
        // Per column and segment: count, Σw, Σw d, Σw d².
        var partial = [Double](repeating: 0, count: columns * segments * 4)
        elements.withUnsafeBufferPointer { storage in
            partial.withUnsafeMutableBufferPointer { partial in
                (weights ?? gate ?? []).withUnsafeBufferPointer { w in
                    let pointers = UncheckedSendable((storage.baseAddress, w.baseAddress, partial.baseAddress))
                    let weighted = weights != nil, gated = gate != nil
                    forEachColumnSegment(columns: columns, rows: rows) { j, s, range in  // not called without elements
                        let (storage, w, partial) = (pointers.value.0, pointers.value.1, pointers.value.2!)
                        let column = UnsafeBufferPointer(start: storage.map { $0 + j * rows + range.lowerBound },
                                                         count: range.count)
                        let c = centres[j], slot = partial + (j * segments + s) * 4
                        if weighted, let w = w.map({ $0 + range.lowerBound }) {
                            var count = 0, weightSum = 0.0, l = 0.0, q = 0.0
                            for i in column.indices where !column[i].isNaN && !w[i].isNaN {
                                let d = column[i] - c
                                count += 1; weightSum += w[i]; l += w[i] * d; q += w[i] * d * d
                            }
                            slot[0] = Double(count); slot[1] = weightSum; slot[2] = l; slot[3] = q
                        } else {
                            let gate = gated ? UnsafeBufferPointer(start: w.map { $0 + range.lowerBound }, count: range.count) : nil
                            let (count, l, q) = Self.deviationSums(column, around: c, gate: gate)
                            slot[0] = Double(count); slot[1] = Double(count); slot[2] = l; slot[3] = q
                        }
                    }
                }
            }
        }
        return ColumnDeviationSums(columns: columns, parts: segments, partial: partial)
    }

    /// The affine map `(x − shift_j) · scale_j` applied to every element of column `j` into a new matrix, in one
    /// read and one write of each element; NaN stays NaN.
    package func columnsShiftedAndScaled(shift: [Double], scale: [Double]) -> Matrix {
        precondition(shift.count == columns && scale.count == columns, "one shift and one scale per column")
        let rows = self.rows, columns = self.columns
        let values = elements.withUnsafeBufferPointer { source in
            largeArray(count: rows * columns) { target in
                let pointers = UncheckedSendable((source.baseAddress, target.baseAddress))
                forEachColumnSegment(columns: columns, rows: rows) { j, _, range in
                    let (from, to) = pointers.value
                    let s = shift[j], f = scale[j], x = from! + j * rows, y = to! + j * rows
                    for i in range { (y + i).initialize(to: (x[i] - s) * f) }
                }
            }
        }
        return Matrix(rows: rows, columns: columns, columnMajor: values)
    }

    /// In place: `(x − shift_j) · scale_j` on every element of column `j` (no new allocation, so no page faults
    /// on a fresh buffer: the cheapest way to standardise a large matrix).
    package mutating func shiftAndScaleColumns(shift: [Double], scale: [Double]) {
        precondition(shift.count == columns && scale.count == columns, "one shift and one scale per column")
        let rows = self.rows, columns = self.columns
        elements.withUnsafeMutableBufferPointer { target in
            let pointer = UncheckedSendable(target.baseAddress)
            forEachColumnSegment(columns: columns, rows: rows) { j, _, range in
                let s = shift[j], f = scale[j]
                let column = pointer.value! + j * rows
                for i in range { column[i] = (column[i] - s) * f }
            }
        }
    }

    // The four lanes of a SIMD4 break the add-latency chain so that the loop runs at memory speed. A NaN entry
    // contributes nothing. A gate entry (0 or NaN) is added to each entry of its row first.
    static func deviationSums(_ x: UnsafeBufferPointer<Double>, around c: Double,
                              gate g: UnsafeBufferPointer<Double>?) -> (Int, Double, Double) {
        // Lane k of each vector accumulates the entries i ≡ k (mod 4).
        var l = SIMD4<Double>(), q = SIMD4<Double>(), counts = SIMD4<Double>()
        let n = x.count, blocked = n & ~3, one = SIMD4<Double>(repeating: 1), centre = SIMD4<Double>(repeating: c)
        var i = 0
        while i < blocked {
            var d = load4(x.baseAddress! + i) - centre
            if let g { d += load4(g.baseAddress! + i) }
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

    /// `Σ d` and `Σ d²` with `d = (x − c) · m` for finite entries `x` and a mask `m` of 1 (count the row) or 0 (skip
    /// it), in the lanes and order of `deviationSums`: where nothing is missing, the same sums as its gate of 0 or NaN
    /// gives, with two operations less per entry.
    static func maskedDeviationSums(_ x: UnsafeBufferPointer<Double>, around c: Double,
                                    mask m: UnsafeBufferPointer<Double>) -> (Double, Double) {
        var l = SIMD4<Double>(), q = SIMD4<Double>()
        let n = x.count, blocked = n & ~3, centre = SIMD4<Double>(repeating: c)
        var i = 0
        while i < blocked {
            let d = (load4(x.baseAddress! + i) - centre) * load4(m.baseAddress! + i)
            l += d
            q += d * d
            i += 4
        }
        while i < n {
            let d = (x[i] - c) * m[i]
            l[0] += d; q[0] += d * d
            i += 1
        }
        return ((l[0] + l[1]) + (l[2] + l[3]), (q[0] + q[1]) + (q[2] + q[3]))
    }
}

/// Four consecutive doubles from `p`, which need not be aligned.
@inline(__always) func load4(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
}

/// A new array of `count` elements, each set by `initialize` through the buffer it is given; backed by huge pages
/// when large, so that filling it does not fault on every 4 KB page.
func largeArray(count: Int, _ initialize: (UnsafeMutableBufferPointer<Double>) -> Void) -> [Double] {
    [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
        adviseHugePages(buffer)
        initialize(buffer)
        initialized = count
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
