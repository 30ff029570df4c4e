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
}
