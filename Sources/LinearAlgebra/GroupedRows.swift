/// The rows of a matrix in groups, for the sums of Euclidean distances from a point to each group's rows (the
/// silhouette's n² distances): the rows are copied sorted by group (in row order within a group), column by column,
/// so that each group is one contiguous run taken four rows at a time with SIMD.
package struct GroupedRows: Sendable {
    /// Column c of the sorted rows at `c * count ..< (c + 1) * count`.
    private let elements: [Double]
    /// Group g's rows at `offsets[g] ..< offsets[g + 1]` of the sorted rows.
    private let offsets: [Int]
    private let count: Int, columns: Int

    /// - Precondition: `groups` has one entry per row of `matrix`, each in `0..<groupCount`.
    package init(_ matrix: Matrix, groups: [Int], groupCount: Int) {
        precondition(groups.count == matrix.rows && groups.allSatisfy { (0..<groupCount).contains($0) },
                     "one group in 0..<\(groupCount) per row")
        var offsets = [Int](repeating: 0, count: groupCount + 1)
        for g in groups { offsets[g + 1] += 1 }
        for g in 0..<groupCount { offsets[g + 1] += offsets[g] }
        var order = [Int](repeating: 0, count: groups.count), next = offsets
        for (r, g) in groups.enumerated() { order[next[g]] = r; next[g] += 1 }
        count = matrix.rows
        columns = matrix.columns
        elements = (0..<matrix.columns).flatMap { c in order.map { matrix[$0, c] } }
        self.offsets = offsets
    }

    /// `sums[g]` = Σ ‖point − x_r‖ over the rows r of group g: four partial sums per group (rows 4m + q in lane q
    /// of the group's run, then the lanes and the run's last rows in order), so the result is the same on every
    /// machine and for any number of threads.
    package func distanceSums(to point: [Double]) -> [Double] {
        precondition(point.count == columns, "a point with one value per column")
        var sums = [Double](repeating: 0, count: offsets.count - 1)
        elements.withUnsafeBufferPointer { x in
            guard let start = x.baseAddress else { return }
            let base = UnsafeRawPointer(start)
            for g in 0..<(offsets.count - 1) {
                var lanes = SIMD4<Double>(repeating: 0)
                var r = offsets[g]
                while r + 4 <= offsets[g + 1] {
                    var squared = SIMD4<Double>(repeating: 0)
                    for c in 0..<columns {
                        let d = SIMD4(repeating: point[c]) - base.loadUnaligned(fromByteOffset: (c * count + r) * 8, as: SIMD4<Double>.self)
                        squared += d * d
                    }
                    lanes += squared.squareRoot()
                    r += 4
                }
                var sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
                while r < offsets[g + 1] {
                    var squared = 0.0
                    for c in 0..<columns {
                        let d = point[c] - x[c * count + r]
                        squared += d * d
                    }
                    sum += squared.squareRoot()
                    r += 1
                }
                sums[g] = sum
            }
        }
        return sums
    }
}
