import LinearAlgebra
import Testing

/// The row kernels of the composite index against direct computation, over more than one block of rows.
@Suite struct RowReductionTests {
    /// 150 000 rows (three blocks) × 3 columns with a NaN in every 97th entry.
    let data = Matrix(rows: 150_000, columns: 3, columnMajor: (0..<450_000).map { (e: Int) -> Double in
        let value = Double((e * 7919) % 1009) / 1009 - 0.3
        return e % 97 == 5 ? Double.nan : value
    })
    let weights = [1.0, 2.0, 0.5]

    @Test func presentWeightsCountWhatIsThere() {
        let present = data.presentWeights(weights)
        for i in stride(from: 0, to: data.rows, by: 37) {
            let direct = (0..<3).reduce(0.0) { $0 + (data[i, $1].isNaN ? 0 : weights[$1]) }
            #expect(present[i] == direct, "row \(i)")
        }
    }

    @Test func shiftScaleAndRowSumsInOnePass() {
        let include = (0..<data.rows).map { $0 % 11 != 0 }
        let shift = [0.1, -0.2, 0.3], scale = [2.0, -1.0, 0.5]
        let (z, sums) = data.columnsShiftedAndScaled(shift: shift, scale: scale, summingRowsWith: weights,
                                                      include: include)
        let plain = data.columnsShiftedAndScaled(shift: shift, scale: scale)
        #expect(zip(z.elements, plain.elements).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
        for i in stride(from: 0, to: data.rows, by: 41) {
            var direct = 0.0
            for j in 0..<3 where include[i] && !z[i, j].isNaN { direct += weights[j] * z[i, j] }
            #expect(sums[i] == direct, "row \(i)")
        }
    }

    @Test func gatedSumsEqualTheSumsOfTheSelectedRows() {
        let included = (0..<data.rows).map { $0 % 3 != 1 }
        let gate = included.map { $0 ? 0.0 : .nan }
        let selected = data.selectingRows(included.indices.filter { included[$0] })
        let gated = data.columnTotals(gate: gate), direct = selected.columnTotals()
        #expect(gated.counts == direct.counts)
        for j in 0..<3 { #expect(abs(gated.weightedSums[j] - direct.weightedSums[j]) < 1e-9) }
        let around = data.columnDeviationSums(around: [0.2, 0.2, 0.2], gate: gate)
        let expected = selected.columnDeviationSums(around: [0.2, 0.2, 0.2])
        #expect(around.counts == expected.counts)
        for j in 0..<3 {
            #expect(abs(around.linear[j] - expected.linear[j]) < 1e-8 && abs(around.squared[j] - expected.squared[j]) < 1e-8)
        }
    }
}
