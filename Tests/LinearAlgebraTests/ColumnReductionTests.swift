import LinearAlgebra
import TestSupport
import Testing

@Suite struct ColumnReductionTests {
    @Test func totalsSkipMissingValues() {
        // Columns: [1, 2, NaN, 5, 7] and [NaN, NaN, NaN, 1, 1]; odd length exercises the remainder loop.
        let m = Matrix(columns: [[1, 2, .nan, 5, 7], [.nan, .nan, .nan, 1, 1]])
        let totals = m.columnTotals()
        #expect(totals.counts == [4, 2])
        #expect(totals.weightedSums == [15, 2])
        let weighted = m.columnTotals(weights: [1, 2, 3, 4, .nan])
        #expect(weighted.counts == [3, 1])
        #expect(weighted.weightSums == [7, 4])
        #expect(weighted.weightedSums == [25, 4])
    }

    @Test func deviationSumsAroundACentre() {
        let m = Matrix(columns: [[1, 2, .nan, 5, 7]])
        let sums = m.columnDeviationSums(around: [3])
        #expect(sums.linear == [3])       // −2 −1 +2 +4
        #expect(sums.squared == [25])     // 4 + 1 + 4 + 16
    }

    @Test func shiftAndScaleKeepsMissing() {
        let m = Matrix(columns: [[1, 3, .nan], [10, 20, 30]])
        let scaled = m.columnsShiftedAndScaled(shift: [1, 20], scale: [0.5, 0.1])
        #expect(Array(scaled.column(0)[0...1]) == [0, 1])
        #expect(scaled[2, 0].isNaN)
        #expect(WorstError(Array(scaled.column(1)), [-1, 0, 1]).error < 1e-15)
    }

    /// A long matrix of few columns is summed in segments of rows by several threads: the same counts and, to
    /// rounding, the same sums as one sequential loop; the affine map is exact element by element.
    @Test func longColumnsInSegments() {
        let n = 600_001
        let column = (0..<n).map { i -> Double in i % 89 == 3 ? .nan : Double((i * 7919) % 1013) / 7 + 1000 }
        let weights = (0..<n).map { i -> Double in i % 31 == 0 ? .nan : Double(i % 5) }
        let m = Matrix(columns: [column, column.map { $0 * 2 }])
        for w in [nil, weights] {
            let sums = m.columnDeviationSums(around: [1070, 2140], weights: w)
            for j in 0..<2 {
                var count = 0, weightSum = 0.0, linear = 0.0, squared = 0.0
                for i in 0..<n where !m[i, j].isNaN && !(w?[i].isNaN ?? false) {
                    let v = w?[i] ?? 1, d = m[i, j] - [1070.0, 2140][j]
                    count += 1; weightSum += v; linear += v * d; squared += v * d * d
                }
                #expect(sums.counts[j] == count && sums.weightSums[j] == weightSum)
                #expect(abs(sums.linear[j] - linear) <= 1e-9 * abs(linear))
                #expect(abs(sums.squared[j] - squared) <= 1e-12 * squared)
            }
        }
        let scaled = m.columnsShiftedAndScaled(shift: [1000, 3], scale: [0.5, -2])
        var inPlace = m
        inPlace.shiftAndScaleColumns(shift: [1000, 3], scale: [0.5, -2])
        for i in 0..<n {
            for (j, (s, f)) in [(1000.0, 0.5), (3.0, -2.0)].enumerated() {
                let expected = (m[i, j] - s) * f
                #expect(scaled[i, j].bitPattern == expected.bitPattern && inPlace[i, j].bitPattern == expected.bitPattern)
            }
        }
    }
}
