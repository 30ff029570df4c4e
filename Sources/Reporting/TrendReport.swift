import AreaData
import SozmonIO
import Statistics
import Trends

/// The trend results of a run, per indicator and area, ready for `tables/trends.csv` and `tables/quarters.csv`.
public struct TrendReport: Sendable {
    /// One indicator's trends over `periods` for every area.
    public struct IndicatorTrends: Sendable {
        public var indicator: String
        /// Whether a rise means more need (then a significant rise is a deterioration).
        public var higherIsWorse: Bool
        public var ols: [OLSTrend?]?
        public var mannKendall: [MannKendall?]?
        public var theilSen: [TheilSen?]?
        public var seasonal: [SeasonalMannKendall?]?
        public init(indicator: String, higherIsWorse: Bool, ols: [OLSTrend?]?, mannKendall: [MannKendall?]?,
                    theilSen: [TheilSen?]?, seasonal: [SeasonalMannKendall?]?) {
            self.indicator = indicator; self.higherIsWorse = higherIsWorse; self.ols = ols
            self.mannKendall = mannKendall; self.theilSen = theilSen; self.seasonal = seasonal
        }
    }

    public var areaIDs: [String]
    /// Top-level parent (district) of each area, for the ranking per district.
    public var districts: [String]
    public var firstPeriod: Period?
    public var lastPeriod: Period?
    public var alpha: Double
    public var trends: [IndicatorTrends]
    /// Quarter comparisons per indicator, with the indicator's trend q-values for the flags.
    public var comparisons: [(indicator: String, higherIsWorse: Bool, comparison: PeriodComparison)]
    public var seasonallyAdjusted: Bool
    /// Methods that were asked for and could not be computed, with the reason (for stderr and `run.json`).
    public var warnings: [String]

    public init(areaIDs: [String], districts: [String], firstPeriod: Period?, lastPeriod: Period?, alpha: Double,
                trends: [IndicatorTrends], comparisons: [(indicator: String, higherIsWorse: Bool, comparison: PeriodComparison)],
                seasonallyAdjusted: Bool, warnings: [String] = []) {
        self.areaIDs = areaIDs; self.districts = districts; self.firstPeriod = firstPeriod
        self.lastPeriod = lastPeriod; self.alpha = alpha; self.trends = trends; self.comparisons = comparisons
        self.seasonallyAdjusted = seasonallyAdjusted; self.warnings = warnings
    }

    /// `trends.csv`: one row per area, indicator and method, with Benjamini–Hochberg q-values across the areas of
    /// each indicator and method, and `deteriorating` = q < α and the trend points to more need.
    /// `quarters.csv`: the latest period against the previous one and a year earlier, ranked within each district
    /// by the change against a year earlier (1 = largest rise in need), with the flag `significant_deterioration`
    /// where the Mann–Kendall trend of the area is a significant deterioration.
    public func tables() throws -> [Table] {
        var result: [Table] = []
        var deteriorating: [String: [Bool]] = [:]
        if !trends.isEmpty {
            var table = Table(name: "trends", columns: [
                "area_id", "indicator", "method", "from", "to", "n", "slope", "std_error", "t", "p_value", "q_value",
                "ci_low", "ci_high", "r_squared", "s", "z", "tau", "sen_slope", "direction", "deteriorating"])
            for t in trends {
                func rows(_ method: String, _ values: [(p: Double, row: [Table.Cell], rising: Bool)?]) throws {
                    // Theil-Sen has no p-value: its "p" is 0 when the interval excludes 0, and is not adjusted.
                    let q = method == "theil-sen" ? values.map { $0?.p ?? .nan } : try benjaminiHochberg(values.map { $0?.p ?? .nan })
                    var flags = [Bool](repeating: false, count: areaIDs.count)
                    for (i, value) in values.enumerated() {
                        guard let value else { continue }
                        let worse = q[i] < alpha && (value.rising == t.higherIsWorse)
                        flags[i] = worse
                        var row = value.row
                        row[10] = method == "theil-sen" ? .empty : .value(q[i])
                        row[19] = .bool(worse)
                        table.append(row)
                    }
                    if method == "mann-kendall" || (method == "ols" && deteriorating[t.indicator] == nil) {
                        deteriorating[t.indicator] = flags
                    }
                }
                func base(_ i: Int, _ method: String, _ n: Int) -> [Table.Cell] {
                    [.text(areaIDs[i]), .text(t.indicator), .text(method), .optional(firstPeriod?.description),
                     .optional(lastPeriod?.description), .integer(n)] + [Table.Cell](repeating: .empty, count: 14)
                }
                if let ols = t.ols {
                    try rows("ols", ols.enumerated().map { i, fit in
                        fit.map { f in
                            var row = base(i, "ols", f.count)
                            row[6] = .value(f.slope); row[7] = .value(f.standardError); row[8] = .value(f.tStatistic)
                            row[9] = .value(f.pValue); row[11] = .value(f.confidenceLow); row[12] = .value(f.confidenceHigh)
                            row[13] = .value(f.rSquared)
                            row[18] = .text(f.pValue < alpha ? (f.slope > 0 ? "increasing" : "decreasing") : "no trend")
                            return (f.pValue, row, f.slope > 0)
                        }
                    })
                }
                if let tests = t.mannKendall {
                    try rows("mann-kendall", tests.enumerated().map { i, test in
                        test.map { m in
                            var row = base(i, "mann-kendall", m.count)
                            row[9] = .value(m.pValue); row[14] = .value(m.s); row[15] = .value(m.z); row[16] = .value(m.tau)
                            if let sen = t.theilSen?[i] { row[17] = .value(sen.slope) }
                            row[18] = .text(m.direction.rawValue)
                            return (m.pValue, row, m.z > 0)
                        }
                    })
                }
                if let slopes = t.theilSen {
                    try rows("theil-sen", slopes.enumerated().map { i, fit in
                        fit.map { f in
                            var row = base(i, "theil-sen", 0)
                            row[5] = .empty
                            row[6] = .value(f.slope); row[11] = .value(f.confidenceLow); row[12] = .value(f.confidenceHigh)
                            row[17] = .value(f.slope)
                            // Theil-Sen has no p-value of its own: significant when its interval excludes 0.
                            let significant = f.confidenceLow > 0 || f.confidenceHigh < 0
                            row[18] = .text(significant ? (f.slope > 0 ? "increasing" : "decreasing") : "no trend")
                            return (significant ? 0 : 1, row, f.slope > 0)
                        }
                    })
                }
                if let seasonal = t.seasonal {
                    try rows("seasonal-mann-kendall", seasonal.enumerated().map { i, test in
                        test.map { m in
                            var row = base(i, "seasonal-mann-kendall", m.test.count)
                            row[9] = .value(m.test.pValue); row[14] = .value(m.test.s); row[15] = .value(m.test.z)
                            row[16] = .value(m.test.tau); row[17] = .value(m.slopePerYear)
                            row[18] = .text(m.test.direction.rawValue)
                            return (m.test.pValue, row, m.test.z > 0)
                        }
                    })
                }
            }
            result.append(table)
        }
        if !comparisons.isEmpty {
            var table = Table(name: "quarters", columns: [
                "area_id", "district_id", "indicator", "period", "value", "previous_period", "change_prev",
                "change_prev_pct", "year_earlier", "change_year", "change_year_pct", "seasonally_adjusted",
                "rank_in_district", "significant_deterioration"])
            for (indicator, higherIsWorse, c) in comparisons {
                // Rank within each district by the change against a year earlier, most need first.
                var rank = [Int?](repeating: nil, count: areaIDs.count)
                var members: [String: [Int]] = [:]
                for i in areaIDs.indices where !c.changeYear[i].isNaN { members[districts[i], default: []].append(i) }
                for (_, areas) in members {
                    let sorted = areas.sorted {
                        let a = higherIsWorse ? c.changeYear[$0] : -c.changeYear[$0]
                        let b = higherIsWorse ? c.changeYear[$1] : -c.changeYear[$1]
                        return a != b ? a > b : areaIDs[$0] < areaIDs[$1]
                    }
                    for (position, area) in sorted.enumerated() { rank[area] = position + 1 }
                }
                for i in areaIDs.indices {
                    table.append([.text(areaIDs[i]), .text(districts[i]), .text(indicator), .text(c.period.description),
                                  .value(c.value[i]), .text(c.previous.description), .value(c.changePrevious[i]),
                                  .value(c.relativeChangePrevious[i]), .text(c.yearEarlier.description),
                                  .value(c.changeYear[i]), .value(c.relativeChangeYear[i]), .bool(seasonallyAdjusted),
                                  rank[i].map { .integer($0) } ?? .empty,
                                  deteriorating[indicator].map { .bool($0[i]) } ?? .empty])
                }
            }
            result.append(table)
        }
        return result
    }
}
