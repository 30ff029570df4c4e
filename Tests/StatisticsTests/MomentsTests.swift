import LinearAlgebra
import Statistics
import TestSupport
import Testing

/// Moments and z-scores against numpy (`nanmean`, `nanvar`) and statsmodels (`DescrStatsW`).
@Suite struct MomentsTests {
    let cases = try! FixtureValue.load("statistics.json")["moments"].array

    /// Exact values (rational arithmetic on the same doubles) to 1e-12; the peers to their own accuracy.
    @Test func unweightedAndWeightedMomentsMatchExactValuesAndPeers() throws {
        let keys = ["mean", "var0", "var1", "wmean", "wvar0", "wvar1"]
        for f in cases {
            let name = f["name"].string
            let x = f["x"].doubles, w = f["weights"].doubles
            let plain = try Moments(x)
            let weighted = try Moments(x, weights: w)
            let actual = [plain.mean, try plain.variance(ddof: 0), try plain.variance(ddof: 1),
                          weighted.mean, try weighted.variance(ddof: 0), try weighted.variance(ddof: 1)]
            let exact = WorstError(actual, keys.map { f["exact"][$0].double }, floor: 1e-300)
            #expect(exact.error < 1e-12, "\(name) against exact: \(exact)")
            let peers = WorstError(actual, keys.map { f["peers"][$0].double }, floor: 1e-300)
            #expect(peers.error < f["peer_tolerance"].double, "\(name) against numpy/statsmodels: \(peers)")
            #expect(plain.count == x.filter { !$0.isNaN }.count)
        }
    }

    /// z = (x − mean)/sd cannot be closer to the exact value than the rounding of the mean to a double allows:
    /// ulp(mean)/sd, which is 1e-4 in the large-offset case and far below 1e-12 for real indicator shares.
    @Test func zScoresMatchExactValuesAndNumpy() throws {
        for f in cases {
            let x = f["x"].doubles
            let z = try Matrix(columns: [x]).zScores(ddof: 0)
            let moments = try Moments(x)
            let conditioning = 2 * moments.mean.ulp / (try moments.standardDeviation(ddof: 0))
            let exact = WorstError(z.elements, f["exact"]["z0"].doubles)
            #expect(exact.error < 1e-12 + conditioning, "\(f["name"].string) against exact: \(exact)")
            let peers = WorstError(z.elements, f["peers"]["z0"].doubles)
            #expect(peers.error < 1e-12 + 2 * conditioning, "\(f["name"].string) against numpy: \(peers)")
        }
    }

    @Test func handCase() throws {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population variance 4, sample variance 32/7.
        let m = try Moments([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(m.mean == 5)
        #expect(try m.variance(ddof: 0) == 4)
        #expect(abs(try m.variance(ddof: 1) - 32.0 / 7) < 1e-15)
        // Weights as frequencies: {1×2, 3×4} equals the list 2, 4, 4, 4.
        let w = try Moments([2, 4], weights: [1, 3])
        let expanded = try Moments([2, 4, 4, 4])
        #expect(abs(w.mean - expanded.mean) < 1e-15)
        #expect(abs(try w.variance(ddof: 1) - (try expanded.variance(ddof: 1))) < 1e-15)
    }

    @Test func zScoresOfEachColumn() throws {
        let z = try Matrix(columns: [[1, 2, 3], [10, 10, 40]]).zScores()
        let s = (2.0 / 3).squareRoot()
        #expect(WorstError(Array(z.column(0)), [-1 / s, 0, 1 / s]).error < 1e-15)
        #expect(WorstError(Array(z.column(1)), [-0.5 .squareRoot() * 1, -0.5 .squareRoot(), 2.0.squareRoot()]).error < 1e-15)
    }

    @Test func degenerateInputsThrowClearErrors() {
        #expect(throws: StatisticsError.zeroVariance(statistic: "z-score", column: 1)) {
            try Matrix(columns: [[1, 2], [0.1, 0.1]]).zScores()
        }
        #expect(throws: StatisticsError.insufficientData(statistic: "mean of column 0", count: 0, needed: 1)) {
            try Moments([.nan, .nan])
        }
        #expect(throws: StatisticsError.insufficientData(statistic: "variance with ddof=1", count: 1, needed: 2)) {
            try Moments([3]).variance(ddof: 1)
        }
        #expect(throws: StatisticsError.self) { try Moments([1, 2], weights: [1, -1]) }
        #expect(throws: StatisticsError.self) { try Moments([1, 2], weights: [1]) }
    }
}

/// Moments over the complete rows in one read (`ColumnMoments.overCompleteRows`) against the complete rows selected
/// first, over several blocks of rows and with a pilot far from the mean in one column.
@Suite struct CompleteRowMomentsTests {
    @Test func sameAsSelectingTheCompleteRows() throws {
        let n = 20_000
        let elements = (0..<(3 * n)).map { (e: Int) -> Double in
            let (j, i) = e.quotientAndRemainder(dividingBy: n)
            if (i * 31 + j) % 53 == 0 { return .nan }
            // Column 2 drifts far from its first rows, so that its pilot centre is off.
            return j == 2 ? Double(i) * 10 + Double(i % 7) : Double((i * 7919 + j) % 1009) / 100
        }
        let x = Matrix(rows: n, columns: 3, columnMajor: elements)
        let weights = [1.0, 2.0, 1.0], include = (0..<n).map { $0 % 13 != 0 }
        for minimum in [4.0, 2.5] {
            let (moments, complete) = ColumnMoments.overCompleteRows(of: x, weights: weights, include: include,
                                                                    minimumPresent: minimum)
            for i in 0..<n {
                let p = (0..<3).reduce(0.0) { $0 + (x[i, $1].isNaN ? 0 : weights[$1]) }
                #expect(complete[i] == (include[i] && p >= minimum), "row \(i)")
            }
            let selected = try ColumnMoments(x.selectingRows(complete.indices.filter { complete[$0] }))
            for j in 0..<3 {
                let m = try #require(moments).moments[j], s = selected.moments[j]
                #expect(m.count == s.count)
                #expect(abs(m.mean - s.mean) <= 1e-12 * abs(s.mean))
                #expect(abs(m.sumOfSquaredDeviations - s.sumOfSquaredDeviations) <= 1e-10 * s.sumOfSquaredDeviations)
            }
        }
    }
}

/// Moments merged over parts (a distributed run): Chan et al.'s update against the moments of the whole.
@Suite struct MergedMomentsTests {
    /// By hand: {1, 2, 3} (mean 2, M2 2) and {10, 14} (mean 12, M2 8) make {1, 2, 3, 10, 14}: mean 6, and
    /// M2 = 2 + 8 + (12 − 2)² · 3 · 2 / 5 = 130 (= 25 + 16 + 9 + 16 + 64).
    @Test func pairwiseUpdateByHand() throws {
        let merged = try Moments([1, 2, 3]).merged(with: try Moments([10, 14]))
        #expect(merged.count == 5 && merged.weightSum == 5 && merged.mean == 6 && merged.sumOfSquaredDeviations == 130)
        #expect(Moments.empty.merged(with: merged) == merged && merged.merged(with: .empty) == merged)
        #expect(Moments.ofPresent([.nan, .nan]) == .empty)
        // Weighted: frequency weights 2 and 1 on {0, 3} are {0, 0, 3}: mean 1, M2 6.
        let weighted = try Moments([0], weights: [2]).merged(with: try Moments([3], weights: [1]))
        #expect(weighted.mean == 1 && abs(weighted.sumOfSquaredDeviations - 6) < 1e-15 && weighted.count == 2)
    }

    /// 10⁵ values with a large mean in 7 uneven parts, merged in order: the whole's mean and M2 within 1e-13.
    @Test func partsMergeToTheWhole() throws {
        var generator = RandomStream(seed: 9)
        let values = (0..<100_000).map { _ in 1e6 + generator.standardNormal() }
        let weights = (0..<100_000).map { _ in 1 + generator.uniform() * 100 }
        let cuts = [0, 13, 5_000, 5_001, 40_000, 77_777, 99_999, 100_000]
        for w in [nil, weights] as [[Double]?] {
            let whole = try Moments(values, weights: w)
            let merged = zip(cuts, cuts.dropFirst()).map { a, b in
                Moments.ofPresent(Array(values[a..<b]), weights: w.map { Array($0[a..<b]) })
            }.reduce(Moments.empty) { $0.merged(with: $1) }
            #expect(merged.count == whole.count)
            #expect(abs(merged.mean - whole.mean) <= 1e-13 * abs(whole.mean))
            #expect(abs(merged.sumOfSquaredDeviations - whole.sumOfSquaredDeviations) <= 1e-11 * whole.sumOfSquaredDeviations)
        }
    }
}
