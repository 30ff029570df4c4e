import AreaData
import LinearAlgebra
import Statistics
import TestSupport
import Testing
import Trends

/// Trends against statsmodels (OLS), pymannkendall (Mann–Kendall, seasonal test, Sen's slope) and
/// scipy.stats.theilslopes (`Tests/Fixtures/trends.json`), plus hand cases.
@Suite struct TrendTests {
    let cases = try! FixtureValue.load("trends.json")["cases"].array

    func times(_ n: Int) -> [Double] { (0..<n).map(Double.init) }

    @Test func olsMatchesStatsmodels() throws {
        for f in cases {
            let y = f["y"].doubles
            let fit = try OLSTrend(times: times(y.count), values: y)
            let o = f["ols"]
            let actual = [fit.intercept, fit.slope, fit.standardError, fit.tStatistic, fit.pValue, fit.confidenceLow,
                          fit.confidenceHigh, fit.rSquared]
            let expected = ["intercept", "slope", "se", "t", "p", "ci_low", "ci_high", "r2"].map { o[$0].double }
            let worst = WorstError(actual, expected, floor: 1e-300)
            #expect(worst.error < 1e-9, "\(f["name"].string): \(worst)")
        }
    }

    /// The batched path (one dgels for all complete series) agrees with the one-by-one path and statsmodels.
    @Test func batchedOLSMatchesSingleFits() throws {
        let complete = cases.filter { $0["y"].doubles.count == 24 }.map { $0["y"].doubles }
        let withGap = complete[0].enumerated().map { $0.offset == 5 ? Double.nan : $0.element }
        let matrix = Matrix(columns: complete + [withGap])
        let fits = try OLSTrend.fitColumns(times: times(24).map { 2019 + $0 / 4 }, values: matrix)
        for (j, y) in (complete + [withGap]).enumerated() {
            let single = try OLSTrend(times: times(24).map { 2019 + $0 / 4 }, values: y)
            let batched = try #require(fits[j])
            let worst = WorstError([batched.slope, batched.intercept, batched.standardError, batched.pValue, batched.rSquared],
                                   [single.slope, single.intercept, single.standardError, single.pValue, single.rSquared])
            #expect(worst.error < 1e-10, "series \(j): \(worst)")
        }
    }

    @Test func mannKendallMatchesPymannkendall() throws {
        for f in cases {
            let y = f["y"].doubles
            let test = try MannKendall(y)
            let m = f["mk"]
            let worst = WorstError([test.s, test.variance, test.z, test.tau],
                                   ["s", "var_s", "z", "tau"].map { m[$0].double }, floor: 1e-300)
            #expect(worst.error < 1e-12, "\(f["name"].string): \(worst)")
            // pymannkendall computes p = 2(1 − Φ(|z|)), which cancels below 1e-3: compare absolutely there.
            #expect(WorstError([test.pValue], [m["p"].double], floor: 1e-3).error < 1e-12)
            #expect(test.direction.rawValue == m["trend"].string)
            let sen = try TheilSen(times: times(y.count), values: y)
            #expect(WorstError([sen.slope, sen.intercept], [m["slope"].double, m["intercept"].double]).error < 1e-12)
        }
    }

    @Test func theilSenConfidenceMatchesScipy() throws {
        for f in cases {
            let y = f["y"].doubles
            let sen = try TheilSen(times: times(y.count), values: y)
            let r = f["theil_sen"]
            let worst = WorstError([sen.slope, sen.intercept, sen.confidenceLow, sen.confidenceHigh],
                                   ["slope", "intercept", "low", "high"].map { r[$0].double })
            #expect(worst.error < 1e-12, "\(f["name"].string): \(worst)")
        }
    }

    @Test func seasonalMannKendallMatchesPymannkendall() throws {
        for f in cases {
            guard case .object(let object) = f, let m = object["seasonal_mk"] else { continue }
            let test = try SeasonalMannKendall(f["y"].doubles, period: 4)
            let worst = WorstError([test.test.s, test.test.variance, test.test.z, test.test.tau,
                                    test.slopePerYear, test.intercept],
                                   ["s", "var_s", "z", "tau", "slope", "intercept"].map { m[$0].double }, floor: 1e-300)
            #expect(WorstError([test.test.pValue], [m["p"].double], floor: 1e-3).error < 1e-12)
            #expect(worst.error < 1e-12, "\(f["name"].string): \(worst)")
        }
    }

    @Test func handCases() throws {
        // 1, 2, 3, 4: S = 6, Var = 4·3·13/18 = 26/3, Z = 5/√(26/3), τ = 1; the OLS line is exact.
        let up = try MannKendall([1, 2, 3, 4])
        #expect(up.s == 6 && abs(up.variance - 26.0 / 3) < 1e-15 && up.tau == 1)
        #expect(abs(up.z - 5 / (26.0 / 3).squareRoot()) < 1e-15)
        let line = try OLSTrend(times: [0, 1, 2, 3], values: [1, 3, 5, 7])
        #expect(line.slope == 2 && line.intercept == 1 && line.standardError == 0 && line.pValue == 0 && line.rSquared == 1)
        // Constant series: no trend, S = 0, p = 1; OLS slope 0 with p = 1.
        let flat = try MannKendall([5, 5, 5, 5, 5])
        #expect(flat.s == 0 && flat.pValue == 1 && flat.direction == .noTrend)
        #expect(try OLSTrend(times: [0, 1, 2], values: [5, 5, 5]).pValue == 1)
        // Too short, or two points: a clear error, not a NaN.
        #expect(throws: StatisticsError.self) { try MannKendall([1, .nan, 2]) }
        #expect(throws: StatisticsError.self) { try OLSTrend(times: [0, 1], values: [1, 2]) }
        #expect(throws: StatisticsError.self) { try TheilSen(times: [0], values: [1]) }
        #expect(throws: StatisticsError.self) { try SeasonalMannKendall([1, 2, 3], period: 1) }
    }

    /// Times in order take a loop of their own (every pair a slope); the same pairs given in reverse order (the
    /// general loop) give the same slope, intercept and bounds, with tied values too, and tied times leave their
    /// pairs out: by hand, (0, 1), (1, 3), (1, 5), (2, 5) has the slopes 2, 4, 2, 2, 0 (the pair at t = 1 none), median 2.
    @Test func theilSenTakesTheSamePairsWhateverTheOrderOfTimes() throws {
        let y: [Double] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4]
        let t = times(y.count)
        let ordered = try TheilSen(times: t, values: y)
        let reversed = try TheilSen(times: t.reversed(), values: y.reversed())
        #expect(ordered == reversed)
        let tied = try TheilSen(times: [0, 1, 1, 2], values: [1, 3, 5, 5])
        #expect(tied.slope == 2)
    }
}

@Suite struct PeriodAggregationTests {
    func monthlyPanel() throws -> Panel {
        var builder = Panel.Builder(indicators: ["alo"], hasPopulation: true)
        for month in 1...7 {
            let value: Cell = month == 5 ? .missing(.secret) : .value(Double(month))
            try builder.add(area: "A", period: .month(2024, month), population: Double(100 + month), cells: [value])
        }
        return try builder.build()
    }

    @Test func monthsToQuartersWithTheGapRule() throws {
        let q = try monthlyPanel().aggregated(to: .quarterly, by: .mean)
        #expect(q.periods == [.quarter(2024, 1), .quarter(2024, 2), .quarter(2024, 3)])
        #expect(q.value(area: 0, indicator: 0, period: 0) == 2)                 // (1 + 2 + 3) / 3
        #expect(q.missingReason(area: 0, indicator: 0, period: 1) == .incomplete)  // May is missing
        #expect(q.missingReason(area: 0, indicator: 0, period: 2) == .incomplete)  // only July so far
        let lenient = try monthlyPanel().aggregated(to: .quarterly, by: .mean, minimumShare: 0.6)
        #expect(lenient.value(area: 0, indicator: 0, period: 1) == 5)           // (4 + 6) / 2
        let sums = try monthlyPanel().aggregated(to: .quarterly, by: .sum, minimumShare: 0.6)
        #expect(sums.value(area: 0, indicator: 0, period: 1) == 15)             // 10 scaled to 3 months
        let ends = try monthlyPanel().aggregated(to: .quarterly, by: .endOfPeriod)
        #expect(ends.value(area: 0, indicator: 0, period: 1) == 6 && ends.population?[1][0] == 106)
        #expect(throws: AreaDataError.self) { try q.aggregated(to: .monthly, by: .mean) }
    }

    @Test func quarterComparison() throws {
        var builder = Panel.Builder(indicators: ["sgb2"], hasPopulation: false)
        let values: [Double] = [100, 110, 105, 95, 104, 120, 108, 99]  // 2023Q1 … 2024Q4
        for (k, v) in values.enumerated() {
            for (id, factor) in [("A", 1.0), ("B", 2.0)] {
                try builder.add(area: id, period: .quarter(2023 + k / 4, k % 4 + 1), cells: [.value(v * factor)])
            }
        }
        let panel = try builder.build()
        let c = try PeriodComparison(panel: panel, indicator: 0)
        #expect(c.period == .quarter(2024, 4) && c.previous == .quarter(2024, 3) && c.yearEarlier == .quarter(2023, 4))
        #expect(c.changePrevious == [-9, -18] && c.changeYear == [4, 8])
        #expect(WorstError(c.relativeChangeYear, [400.0 / 95, 400.0 / 95]).error < 1e-14)
        // Seasonally adjusted: Q4 mean of A is 97, Q3 mean 106.5: (99 − 97) − (108 − 106.5) = 0.5.
        let adjusted = try PeriodComparison(panel: panel, indicator: 0, seasonallyAdjusted: true)
        #expect(abs(adjusted.changePrevious[0] - 0.5) < 1e-12)
    }
}
