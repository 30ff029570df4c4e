import Indicators
import LinearAlgebra
import Statistics
import TestSupport
import Testing

/// Robust composite indices: COINr's outlier treatment against its rules written out again with scipy's skewness
/// and kurtosis (`Tests/Fixtures/robust_indices.json`), imputation and leave-one-out sensitivity by hand.
@Suite struct RobustIndexTests {
    @Test(arguments: ["coinr_vignette", "mirrored", "tied", "reaches_winmax", "demo_s1"])
    func winsorizationAsCOINr(_ name: String) throws {
        let c = try FixtureValue.load("robust_indices.json")[name]
        let x = c["x"].doubles
        let w = Winsorization(x, reference: x.map { _ in true }, maximumPoints: Int(c["winmax"].double))
        #expect(w.pointsTreated == Int(c["points"].double))
        let upper = c["upper"].double, lower = c["lower"].double  // null (nothing treated on that side) reads as NaN
        #expect(w.upper == (upper.isNaN ? .infinity : upper) && w.lower == (lower.isNaN ? -.infinity : lower))
        let worst = WorstError([w.skewnessBefore, w.kurtosisBefore, w.skewnessAfter, w.kurtosisAfter],
                               c["before"].doubles + c["after"].doubles)
        #expect(worst.error < 1e-12, "skewness and kurtosis against scipy: \(worst)")
        // Clamping reproduces the treated series: its skewness is the one reported after.
        let treated = w.apply(x)
        #expect(abs(Winsorization.skewness(treated) - w.skewnessAfter) < 1e-12)
    }

    /// COINr's vignette by hand: 1…10, 30, 100 has skewness 3.06 and kurtosis 9.74 (> 2, > 3.5), so 100 becomes
    /// 30; then 1.71 and 1.82 pass. Areas outside the reference take the same bound; missing values stay missing.
    @Test func winsorizationByHand() {
        let x: [Double] = Array(1...10).map(Double.init) + [30, 100, 500, .nan]
        let reference = x.indices.map { $0 < 12 }
        let w = Winsorization(x, reference: reference)
        #expect(w.pointsTreated == 1 && w.upper == 30 && w.lower == -.infinity)
        let treated = w.apply(x)
        #expect(treated[11] == 30 && treated[12] == 30 && treated[13].isNaN && treated[0] == 1)
        // A constant or short series is left alone.
        #expect(Winsorization([2, 2, 2, 2], reference: [true, true, true, true]).pointsTreated == 0)
        #expect(Winsorization([1, 9], reference: [true, true]).skewnessBefore.isNaN)
    }

    @Test func imputationByHand() {
        let x: [Double] = [1, .nan, 3, 10, .nan, .nan]
        let reference = [true, true, true, true, true, false]
        let groups = ["a", "a", "a", "b", "c", "a"]
        let city = Imputation.median.apply(x, reference: reference, groups: groups)
        #expect(city.imputed == 2 && city.values[1] == 3 && city.values[4] == 3 && city.values[5].isNaN)
        let grouped = Imputation.groupMedian.apply(x, reference: reference, groups: groups)
        #expect(grouped.values[1] == 2 && grouped.values[4] == 3, "group a's median 2; group c has none: the city's 3")
        #expect(Imputation.none.apply(x, reference: reference, groups: groups).imputed == 0)
    }

    /// x1 = (4, 1, 2, 3), x2 = (1, 2, 3, 10): the summed z-values (0.49, −1.91, −0.73, 2.14) rank the areas
    /// (2, 4, 3, 1); x2 alone ranks them (4, 3, 2, 1), x1 alone (1, 4, 3, 2). Leaving out x1 shifts the ranks by
    /// (2, −1, −1, 0), leaving out x2 by (−1, 0, 0, 1).
    @Test func leaveOneOutByHand() throws {
        let values = Matrix(columns: [[4, 1, 2, 3], [1, 2, 3, 10]])
        let definition = IndexDefinition.mssStatus(indicators: ["x1", "x2"])
        let s = try LeaveOneOut(definition: definition, values: values, eligible: [true, true, true, true])
        #expect(s.rank == [2, 4, 3, 1])
        #expect(s.rankShift[0] == [2, -1, -1, 0] && s.rankShift[1] == [-1, 0, 0, 1])
        // Classes: those of the full index against those of the variant, area by area.
        let full = try definition.compute(values: values, eligible: [true, true, true, true])
        var onlyX2 = definition
        onlyX2.indicators = ["x2"]; onlyX2.polarities = [.higherIsWorse]; onlyX2.weights = [1]
        let variant = try onlyX2.compute(values: Matrix(columns: [[1, 2, 3, 10]]), eligible: [true, true, true, true])
        #expect(s.classChanged[0] == (0..<4).map { full.classes[$0]!.code != variant.classes[$0]!.code })
        #expect(throws: (any Error).self) {
            try LeaveOneOut(definition: .mssStatus(indicators: ["x1"]), values: Matrix(columns: [[1, 2, 3]]), eligible: [true, true, true])
        }
    }
}

/// Diagnostics from co-moments merged over parts (a distributed run) against those of all rows at once: correlations,
/// alpha, eigenvalues and loadings within 1e-12; co-moments by hand.
@Suite struct MergedDiagnosticsTests {
    /// x = (1, 2, 3), y = (2, 4, 7): means 2 and 13/3; Cxx = 2, Cxy = 5, Cyy = 38/3 — whole or as (1, 2) + (3).
    @Test func coMomentsByHand() {
        let m = Matrix(columns: [[1, 2, 3], [2, 4, 7]])
        let whole = CoMoments(m, include: [true, true, true])
        let parts = CoMoments(m, include: [true, true, false]).merged(with: CoMoments(m, include: [false, false, true]))
        for c in [whole, parts] {
            #expect(c.count == 3 && abs(c.means[1] - 13.0 / 3) < 1e-15)
            #expect(abs(c.comoments[0] - 2) < 1e-14 && abs(c.comoments[1] - 5) < 1e-14 && abs(c.comoments[3] - 38.0 / 3) < 1e-14)
        }
        #expect(CoMoments(empty: 2).merged(with: whole) == whole)
        #expect(CoMoments(Matrix(columns: [[1, .nan], [2, 3]]), include: [true, true]).count == 1, "rows with a gap are left out")
    }

    @Test func mergedDiagnosticsEqualTheWhole() throws {
        var g = RandomStream(seed: 4)
        let n = 5_000
        let latent = (0..<n).map { _ in g.standardNormal() }
        let x = Matrix(columns: (0..<4).map { j in latent.map { 10 * Double(j + 1) + $0 * Double(j + 1) + g.standardNormal() } })
        let whole = try IndicatorDiagnostics(values: x)
        let include = (0..<n).map { _ in true }
        let cuts = [0, 7, 1_000, 3_333, n]
        let merged = zip(cuts, cuts.dropFirst()).reduce(CoMoments(empty: 4)) { sum, cut in
            sum.merged(with: CoMoments(x, include: include.indices.map { $0 >= cut.0 && $0 < cut.1 }))
        }
        let parts = try IndicatorDiagnostics(merged)
        #expect(WorstError(parts.correlation.elements, whole.correlation.elements).error < 1e-12)
        #expect(WorstError(parts.eigenvalues, whole.eigenvalues).error < 1e-12)
        #expect(WorstError(parts.loadings.elements, whole.loadings.elements).error < 1e-12)
        #expect(abs(parts.cronbachAlpha - whole.cronbachAlpha) < 1e-12)
    }
}
