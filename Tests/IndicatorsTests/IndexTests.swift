import Indicators
import LinearAlgebra
import Statistics
import TestSupport
import Testing

/// Normalisations, the MSS index and diagnostics against numpy/statsmodels/scikit-learn/scipy
/// (`Tests/Fixtures/indicators.json`), and a hand-worked MSS case.
@Suite struct IndexTests {
    let f = try! FixtureValue.load("indicators.json")
    var x: Matrix { Matrix(f["x"].rows) }
    var eligible: [Bool] { f["eligible"].array.map { if case .bool(let b) = $0 { b } else { false } } }

    @Test(arguments: [
        ("z", Normalization.zScore(ddof: 0)), ("z_ddof1", .zScore(ddof: 1)), ("z_weighted", .zScore(ddof: 0, weighted: true)),
        ("minmax", .minMax), ("robust", .robustZScore),
    ])
    func normalizationsMatchPeers(_ key: String, _ normalization: Normalization) throws {
        let result = try normalization.apply(to: x, reference: eligible, weights: f["population"].doubles)
        let worst = WorstError(result.elements, Matrix(f[key].rows).elements)
        #expect(worst.error < 1e-12, "\(key): \(worst)")
    }

    @Test func percentileRanksOfTheReferenceAreas() throws {
        let r = try Normalization.percentileRank.apply(to: Matrix(columns: [[10, 30, 20, 20, 5]]),
                                                      reference: [true, true, true, true, false])
        // Among 10, 20, 20, 30: ranks 1, 2.5, 2.5, 4 → (r − 1)/3; 5 lies below all: rank 0.5.
        #expect(WorstError(r.elements, [0, 1, 0.5, 0.5, -0.5 / 3]).error < 1e-15)
    }

    @Test func mssIndexMatchesNumpy() throws {
        let definition = IndexDefinition.mssStatus(indicators: ["a", "b", "c", "d"])
        let result = try definition.compute(values: x, eligible: eligible)
        let scored = (0..<x.rows).map { eligible[$0] }
        #expect(result.scored == scored)
        let expectedSum = zip(f["mss_sum"].doubles, scored).map { $1 ? $0 : .nan }
        let expectedIndex = zip(f["mss_index"].doubles, scored).map { $1 ? $0 : .nan }
        #expect(WorstError(result.aggregate, expectedSum).error < 1e-12)
        #expect(WorstError(result.value, expectedIndex).error < 1e-12)
        for (value, cls) in zip(result.value, result.classes) where !value.isNaN {
            #expect(cls == ClassScheme.mssStatus.classify(value))
        }
    }

    /// The normalised indicators that the index keeps as an affine map of the input give, value for value, the
    /// matrix written out the usual way: z-scores over the scored areas, the sign flipped for higher-is-better.
    @Test func normalizedIndicatorsAreTheZScoresOfTheScoredAreas() throws {
        var definition = IndexDefinition.mssStatus(indicators: ["a", "b", "c", "d"])
        definition.polarities[1] = .higherIsBetter
        let result = try definition.compute(values: x, eligible: eligible)
        let reference = x.selectingRows(result.scored.indices.filter { result.scored[$0] })
        let moments = try ColumnMoments(reference), sds = try moments.standardDeviations(ddof: 0)
        let stored = result.normalized.matrix
        #expect(stored.rows == x.rows && stored.columns == 4)
        for i in 0..<x.rows {
            for j in 0..<4 {
                let expected = (x[i, j] - moments.means[j]) / sds[j] * (j == 1 ? -1 : 1)
                #expect(abs(result.normalized[i, j] - expected) < 1e-12, "area \(i), indicator \(j)")
                #expect(result.normalized[i, j].bitPattern == stored[i, j].bitPattern)
            }
        }
    }

    /// Five eligible areas and one too small. S1 = 1…5: mean 3, population sd √2, z = a/√2 with a = −2…2.
    /// S2 = 2, 2, 4, 6, 6: mean 4, sd 4/√5, z = b·√5/4 with b = −2, −2, 0, 2, 2. Sum sᵢ = aᵢ/√2 + bᵢ√5/4 has mean 0
    /// and population sd √(Σs²/5); the index is s/sd: −1.2827, −0.9245, 0, 0.9245, 1.2827 → hoch, mittel, mittel,
    /// mittel, niedrig. The small area (population 200) gets no value and no class, and moves nothing.
    @Test func handWorkedMSSCase() throws {
        let values = Matrix(columns: [[1, 2, 3, 4, 5, 90], [2, 2, 4, 6, 6, 80]])
        let rule = EligibilityRule(minimumPopulation: 300)
        let population: [Double] = [1000, 2000, 3000, 4000, 5000, 200]
        let eligible = population.map { rule.reason(area: "x", population: $0) == nil }
        #expect(eligible == [true, true, true, true, true, false])
        #expect(rule.reason(area: "x", population: 200) == .populationBelowMinimum)
        let result = try IndexDefinition.mssStatus(indicators: ["S1", "S2"]).compute(values: values, eligible: eligible)
        let a: [Double] = [-2, -1, 0, 1, 2], b: [Double] = [-2, -2, 0, 2, 2]
        let s = (0..<5).map { a[$0] / 2.0.squareRoot() + b[$0] * 5.0.squareRoot() / 4 }
        let sd = (s.map { $0 * $0 }.reduce(0, +) / 5).squareRoot()
        #expect(WorstError(Array(result.aggregate.prefix(5)), s).error < 1e-14)
        #expect(WorstError(Array(result.value.prefix(5)), s.map { $0 / sd }).error < 1e-14)
        #expect(abs(result.value[4] - 1.2827) < 1e-4 && abs(result.value[1] + 0.9245) < 1e-4)
        #expect(result.classes.map { $0?.label } == ["hoch", "mittel", "mittel", "mittel", "niedrig", nil])
        #expect(result.value[5].isNaN && !result.scored[5])
    }

    @Test func thresholdsIncludeTheirPublishedEdges() {
        let status = ClassScheme.mssStatus, dynamics = ClassScheme.mssDynamics
        #expect([-1.0000001, -1, 1, 1.0000001, 1.5, 1.5000001].map { status.classify($0)!.label }
                == ["hoch", "mittel", "mittel", "niedrig", "niedrig", "sehr niedrig"])
        #expect([-1.0000001, -1, 1, 1.0000001].map { dynamics.classify($0)!.label }
                == ["positiv", "stabil", "stabil", "negativ"])
        #expect(status.classify(.nan) == nil)
    }

    @Test func gesamtindexLabelsCodesAndAttention() {
        let s = ClassScheme.mssStatus.classes, d = ClassScheme.mssDynamics.classes
        let all = s.flatMap { st in d.map { CombinedClass(status: st, dynamics: $0) } }
        #expect(all.map(\.label) == ["1+", "1+/-", "1-", "2+", "2+/-", "2-", "3+", "3+/-", "3-", "4+", "4+/-", "4-"])
        #expect(all.map(\.code) == [11, 13, 15, 21, 23, 25, 31, 33, 35, 41, 43, 45])
        #expect(all.filter(\.attention).map(\.label) == ["3-", "4+", "4+/-", "4-"])
    }

    @Test func edgeCases() throws {
        let definition = IndexDefinition.mssStatus(indicators: ["a", "b"])
        #expect(throws: StatisticsError.zeroVariance(statistic: "z-score of indicator 'b' in index 'status'", column: 1)) {
            try definition.compute(values: Matrix(columns: [[1, 2, 3], [5, 5, 5]]), eligible: [true, true, true])
        }
        #expect(throws: StatisticsError.self) {
            try definition.compute(values: Matrix(columns: [[1, 2], [3, 4]]), eligible: [true, false])
        }
        #expect(throws: StatisticsError.self) {
            try definition.compute(values: Matrix(columns: [[.nan, .nan, .nan], [1, 2, 3]]), eligible: [true, true, true])
        }
        // A minimum share rescales the present weights: area 2 lacks b, its sum is 2·z_a.
        var lenient = definition
        lenient.missingRule = .minimumShare(0.5)
        lenient.restandardize = false
        let r = try lenient.compute(values: Matrix(columns: [[1, 2, 3, 4], [1, 3, .nan, 2]]), eligible: [true, true, true, true])
        #expect(r.scored == [true, true, true, true])
        #expect(abs(r.aggregate[2] - 2 * r.normalized[2, 0]) < 1e-15)
        // Polarity: higher is better flips the sign.
        var flipped = definition
        flipped.polarities = [.higherIsBetter, .higherIsWorse]
        #expect(throws: StatisticsError.zeroVariance(statistic: "index 'status': re-standardising the aggregate", column: 0)) {
            try flipped.compute(values: Matrix(columns: [[1, 2, 3], [1, 2, 3]]), eligible: [true, true, true])
        }
        flipped.restandardize = false
        let p = try flipped.compute(values: Matrix(columns: [[1, 2, 3], [1, 2, 3]]), eligible: [true, true, true])
        #expect(p.aggregate.allSatisfy { abs($0) < 1e-15 })
    }
}

@Suite struct DiagnosticsTests {
    let f = try! FixtureValue.load("indicators.json")

    @Test func correlationAlphaAndPCAMatchNumpyAndScikitLearn() throws {
        let x = Matrix(f["x"].rows)
        let eligible = f["eligible"].array.map { if case .bool(let b) = $0 { b } else { false } }
        let d = try IndicatorDiagnostics(values: x.selectingRows(eligible.indices.filter { eligible[$0] }))
        #expect(WorstError(d.correlation.elements, Matrix(f["correlation"].rows).elements).error < 1e-12)
        #expect(WorstError([d.cronbachAlpha], [f["cronbach_alpha"].double]).error < 1e-12)
        #expect(WorstError(d.eigenvalues, f["eigenvalues"].doubles).error < 1e-12)
        #expect(WorstError(d.explainedVarianceRatio, f["explained_variance_ratio"].doubles).error < 1e-12)
        #expect(WorstError(d.loadings.elements, Matrix(f["loadings"].rows).elements).error < 1e-10)
        #expect(abs(d.firstComponentWeights.reduce(0, +) - 4) < 1e-12)
    }
}

@Suite struct UncertaintyTests {
    @Test func seededAndStableWhereTheDataSayItIs() throws {
        let f = try FixtureValue.load("indicators.json")
        let x = Matrix(f["x"].rows)
        let eligible = f["eligible"].array.map { if case .bool(let b) = $0 { b } else { false } }
        let definition = IndexDefinition.mssStatus(indicators: ["a", "b", "c", "d"])
        let a = try UncertaintyAnalysis(definition: definition, values: x, eligible: eligible, runs: 200, seed: 42)
        let b = try UncertaintyAnalysis(definition: definition, values: x, eligible: eligible, runs: 200, seed: 42)
        #expect(WorstError(a.medianRank, b.medianRank).error == 0 && WorstError(a.classChangeShare, b.classChangeShare).error == 0)
        // The reported ranking lies inside the intervals for nearly every area, and the top area stays on top.
        let reported = try definition.compute(values: x, eligible: eligible)
        let top = reported.value.indices.filter { reported.scored[$0] }.max { reported.value[$0] < reported.value[$1] }!
        #expect(a.rankInterval5[top] == 1 || a.medianRank[top] <= 2)
        #expect(eligible.indices.allSatisfy { !eligible[$0] || (a.rankInterval5[$0] <= a.medianRank[$0]
                                                                 && a.medianRank[$0] <= a.rankInterval95[$0]) })
        // With almost fixed weights and z-scores only, nothing changes class.
        let fixed = try UncertaintyAnalysis(definition: definition, values: x, eligible: eligible, runs: 20, seed: 1,
                                            weightConcentration: 1e9, normalizations: [.zScore()])
        #expect(fixed.classChangeShare.allSatisfy { $0.isNaN || $0 == 0 })
        #expect(throws: StatisticsError.self) {
            try UncertaintyAnalysis(definition: definition, values: x, eligible: eligible, runs: 0, seed: 1)
        }
    }
}
