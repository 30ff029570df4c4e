import LinearAlgebra
import Testing

/// The blocked clustering kernels against direct, row-by-row computation, across block boundaries.
@Suite struct ClusteringKernelTests {
    /// 5 000 rows (more than two blocks) × 3 columns of a fixed, irregular pattern, and 4 centres taken from it.
    let data = Matrix(rows: 5000, columns: 3, columnMajor: (0..<15_000).map { Double(($0 * 7919) % 1009) / 1009 })
    var centres: Matrix { data.selectingRows([3, 1500, 2999, 4998]) }

    func squaredDistance(_ i: Int, _ c: Int) -> Double {
        (0..<3).reduce(0.0) { $0 + (data[i, $1] - centres[c, $1]) * (data[i, $1] - centres[c, $1]) }
    }

    @Test func assignmentMatchesDirectDistances() {
        var labels: [Int] = [], distances: [Double] = []
        let (sums, sizes) = data.assignToNearest(of: centres, rowSquaredNorms: data.squaredRowNorms(),
                                                 labels: &labels, squaredDistances: &distances)
        var expectedSums = Matrix(rows: 4, columns: 3), expectedSizes = [0, 0, 0, 0]
        for i in 0..<data.rows {
            let direct = (0..<4).map { squaredDistance(i, $0) }
            let best = direct.min()!
            // The expansion may differ in the last bits: the label must be a nearest centre within that error.
            #expect(direct[labels[i]] - best < 1e-12 && abs(distances[i] - best) < 1e-12)
            expectedSizes[labels[i]] += 1
            for j in 0..<3 { expectedSums[labels[i], j] += data[i, j] }
        }
        #expect(sizes == expectedSizes)
        for c in 0..<4 { for j in 0..<3 { #expect(abs(sums[c, j] - expectedSums[c, j]) < 1e-9) } }
        // Each centre is a data row: its own row is at distance 0 and labelled with it.
        #expect(labels[1500] == 1 && distances[1500] == 0)
        let within = data.withinSumOfSquares(labels: labels, centres: centres)
        #expect(abs(within - (0..<data.rows).reduce(0.0) { $0 + squaredDistance($1, labels[$1]) }) < 1e-9)
    }

    @Test func plusPlusDistancesAreTheRunningMinimum() {
        var nearest = [Double](repeating: .infinity, count: data.rows)
        _ = data.lowerToSquaredDistances(&nearest, from: 3)
        let total = data.lowerToSquaredDistances(&nearest, from: 4998)
        for i in 0..<data.rows { #expect(nearest[i] == min(squaredDistance(i, 0), squaredDistance(i, 3))) }
        #expect(abs(total - nearest.reduce(0, +)) < 1e-9 && nearest[4998] == 0)
    }

    /// Distance sums per group against a direct loop over the rows: groups of every size (empty, fewer than the four
    /// rows a SIMD step takes, many), a point among the rows and one outside them; each sum within 1e-12 of its size.
    @Test func groupedDistanceSumsMatchADirectLoop() {
        let groups = (0..<data.rows).map { r in r < 3 ? 4 : r % 7 == 0 ? 2 : r % 3 }  // group 3 is empty, group 4 has 3 rows
        let grouped = GroupedRows(data, groups: groups, groupCount: 5)
        for point in [data.row(17), data.row(4999), [0.5, -2, 7]] {
            var direct = [Double](repeating: 0, count: 5)
            for r in 0..<data.rows {
                direct[groups[r]] += (0..<3).reduce(0.0) { $0 + (point[$1] - data[r, $1]) * (point[$1] - data[r, $1]) }.squareRoot()
            }
            let sums = grouped.distanceSums(to: point)
            #expect(sums[3] == 0)
            for g in 0..<5 { #expect(abs(sums[g] - direct[g]) <= 1e-12 * max(1, direct[g]), "group \(g): \(sums[g]) vs \(direct[g])") }
        }
    }
}
