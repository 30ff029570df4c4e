import Statistics
import TestSupport
import Testing

/// Quantiles against `numpy.quantile(method=…)`, ranks against `scipy.stats.rankdata`.
@Suite struct OrderStatisticsTests {
    let fixture = try! FixtureValue.load("statistics.json")

    @Test(arguments: QuantileMethod.allCases)
    func quantilesMatchNumpy(_ method: QuantileMethod) throws {
        let f = fixture["quantiles"]
        let p = f["p"].doubles
        for (xKey, byKey) in [("x", "by_method"), ("even_x", "even_by_method")] {
            let actual = try quantiles(f[xKey].doubles, at: p, method: method)
            let worst = WorstError(actual, f[byKey][method.rawValue].doubles)
            #expect(worst.error < 1e-14, "\(method) on \(xKey): \(worst)")
        }
    }

    @Test func quantileSkipsMissingAndRejectsBadInput() throws {
        #expect(try median([3, .nan, 1, 2]) == 2)
        #expect(throws: StatisticsError.insufficientData(statistic: "quantile", count: 0, needed: 1)) {
            try median([.nan])
        }
        #expect(throws: StatisticsError.self) { try quantile([1, 2], at: 1.5) }
    }

    @Test(arguments: TieMethod.allCases)
    func ranksMatchScipy(_ ties: TieMethod) {
        let f = fixture["ranks"]
        #expect(ranks(f["x"].doubles, ties: ties) == f["by_method"][ties.rawValue].doubles)
    }

    @Test func missingValuesAreNotRanked() {
        let r = ranks([10, .nan, 5, 10])
        #expect(r[0] == 2.5 && r[2] == 1 && r[3] == 2.5)
        #expect(r[1].isNaN)
    }
}
