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

    @Test func rowSumsOfTheAffineMapReweightedToTheFullWeight() {
        let include = (0..<data.rows).map { $0 % 11 != 0 }
        let shift = [0.1, -0.2, 0.3], scale = [2.0, -1.0, 0.5], total = 3.5
        let sums = data.affineRowSums(shift: shift, scale: scale, weights: weights, total: total, include: include)
        let z = data.columnsShiftedAndScaled(shift: shift, scale: scale)
        for i in 0..<data.rows {
            guard include[i] else { #expect(sums[i].isNaN, "row \(i)"); continue }
            var direct = 0.0, present = 0.0
            for j in 0..<3 where !z[i, j].isNaN { direct += weights[j] * z[i, j]; present += weights[j] }
            #expect(sums[i] == direct * (total / present), "row \(i)")
        }
    }

    /// Blocks with and without missing values (NaN only in rows 5 000–5 999 and in the last row), an infinite value in
    /// a row left out, a row count that is no multiple of four: which rows are complete and the sums over them, against selecting those rows first.
    @Test func completeRowsAndTheirSums() {
        let n = 10_003
        let x = Matrix(rows: n, columns: 3, columnMajor: (0..<(3 * n)).map { (e: Int) -> Double in
            let (j, i) = e.quotientAndRemainder(dividingBy: n)
            if i == 14 && j == 0 { return .infinity }  // in a row left out (14 % 7 == 0): it must not reach the sums
            return (5000..<6000).contains(i) && (i + j) % 3 == 0 || (i == n - 1 && j == 1) ? .nan : Double((e * 7919) % 1009) / 100
        })
        let include = (0..<n).map { $0 % 7 != 0 }, centres = [5.0, 4.0, 6.0]
        for minimum in [3.5, 1.0] {
            let (complete, sums) = x.completeRowSums(weights: weights, include: include, minimumPresent: minimum,
                                                     around: centres)
            for i in 0..<n {
                let present = (0..<3).reduce(0.0) { $0 + (x[i, $1].isNaN ? 0 : weights[$1]) }
                #expect(complete[i] == (include[i] && present >= minimum), "row \(i)")
            }
            let expected = x.selectingRows(complete.indices.filter { complete[$0] }).columnDeviationSums(around: centres)
            #expect(sums.counts == expected.counts)
            for j in 0..<3 {
                #expect(abs(sums.linear[j] - expected.linear[j]) <= 1e-9 * max(1, abs(expected.linear[j])))
                #expect(abs(sums.squared[j] - expected.squared[j]) <= 1e-12 * expected.squared[j])
            }
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

/// `intervalPositions` against the rule spelled out value by value, over several blocks and a partial group of four.
@Suite struct IntervalPositionTests {
    @Test func handCaseWithTiesOnEveryBound() {
        // Bounds −1 (exclusive: a value on it lies above), 1 and 1.5 (inclusive), as the MSS status classes.
        let values: [Double] = [-2, -1, 0, 1, 1.2, 1.5, 2, .nan, 0]
        let include = [true, true, true, true, true, true, true, true, false]
        let positions = intervalPositions(of: values, bounds: [-1, 1, 1.5], exclusive: [true, false, false],
                                          include: include)
        #expect(positions == [0, 1, 1, 1, 2, 2, 3, -1, -1])
        #expect(intervalPositions(of: [], bounds: [0], exclusive: [false], include: []) == [])
        #expect(intervalPositions(of: [5, -5, .nan], bounds: [], exclusive: [], include: [true, true, true]) == [0, 0, -1])
    }

    @Test func manyValuesAgainstTheRule() {
        let n = 200_003
        let values = (0..<n).map { i -> Double in i % 101 == 7 ? .nan : Double((i * 7919) % 41) / 10 - 2 }
        let include = (0..<n).map { $0 % 13 != 0 }
        let bounds = [-1.0, 0, 1, 1.5], exclusive = [false, true, false, true]
        let positions = intervalPositions(of: values, bounds: bounds, exclusive: exclusive, include: include)
        for i in 0..<n {
            let expected = !include[i] || values[i].isNaN ? -1
                : bounds.indices.filter { values[i] > bounds[$0] || (values[i] == bounds[$0] && exclusive[$0]) }.count
            #expect(Int(positions[i]) == expected, "value \(i): \(values[i])")
        }
    }
}

/// The kernels on matrices without rows or without columns: empty or neutral results, no crash.
@Suite struct EmptyKernelInputTests {
    @Test func noRowsOrNoColumns() {
        let noRows = Matrix(rows: 0, columns: 3), noColumns = Matrix(rows: 2, columns: 0)
        #expect(noRows.presentWeights([1, 1, 1]) == [] && noColumns.presentWeights([]) == [0, 0])
        let (complete, sums) = noRows.completeRowSums(weights: [1, 1, 1], include: [], minimumPresent: 3, around: [0, 0, 0])
        #expect(complete == [] && sums.counts == [0, 0, 0] && sums.squared == [0, 0, 0])
        #expect(noColumns.completeRowSums(weights: [], include: [true, false], minimumPresent: 0, around: []).complete
                == [true, false])
        #expect(noRows.affineRowSums(shift: [0, 0, 0], scale: [1, 1, 1], weights: [1, 1, 1], total: 3, include: []) == [])
        #expect(noColumns.affineRowSums(shift: [], scale: [], weights: [], total: 0, include: [true, true]).allSatisfy { $0.isNaN })
        #expect(noRows.columnDeviationSums(around: [1, 2, 3]).counts == [0, 0, 0])
        #expect(noRows.columnsShiftedAndScaled(shift: [0, 0, 0], scale: [1, 1, 1]).rows == 0)
        var inPlace = noRows
        inPlace.shiftAndScaleColumns(shift: [0, 0, 0], scale: [1, 1, 1])
        #expect(inPlace.rows == 0 && noColumns.columnTotals().counts == [])
    }
}
