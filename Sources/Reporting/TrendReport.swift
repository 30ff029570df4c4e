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

    /// How many areas of one indicator deteriorate significantly, by Mann–Kendall where it was computed, else OLS.
    public struct Deterioration: Sendable, Equatable {
        public let indicator: String
        public let method: TrendMethod
        /// Areas with a result of that method.
        public let areas: Int
        public let deteriorating: Int
    }

    /// Per indicator with a Mann–Kendall or OLS trend, its deteriorating areas (as `trends.csv` flags them).
    public func deteriorations() throws -> [Deterioration] {
        try trends.compactMap { t in
            let all = methodRows(t)
            guard let rows = all.first(where: { $0.method == .mannKendall }) ?? all.first(where: { $0.method == .ols })
            else { return nil }
            let (_, worse) = try block(rows, t)
            return Deterioration(indicator: t.indicator, method: rows.method, areas: rows.has.filter { $0 }.count,
                                 deteriorating: worse.filter { $0 }.count)
        }
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
            var table = Self.trendsTable()
            for t in trends {
                for rows in methodRows(t) {
                    let (block, worse) = try self.block(rows, t)
                    table.append(block)
                    if rows.method == .mannKendall || (rows.method == .ols && deteriorating[t.indicator] == nil) {
                        deteriorating[t.indicator] = worse
                    }
                }
            }
            result.append(table)
        }
        if !comparisons.isEmpty {
            var table = Self.quartersTable()
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
                table.append(Table.Block(count: areaIDs.count, columns: [
                    .texts(areaIDs), .texts(districts), .constant(.text(indicator)), .constant(.text(c.period.description)),
                    .numbers(c.value), .constant(.text(c.previous.description)), .numbers(c.changePrevious),
                    .numbers(c.relativeChangePrevious), .constant(.text(c.yearEarlier.description)),
                    .numbers(c.changeYear), .numbers(c.relativeChangeYear), .constant(.bool(seasonallyAdjusted)),
                    .integers(rank), deteriorating[indicator].map { .bools($0) } ?? .empty]))
            }
            result.append(table)
        }
        return result
    }

    /// `trends.csv` without rows.
    public static func trendsTable() -> Table {
        Table(name: "trends", columns: TrendColumn.names, roles: ["area_id": .areaID, "indicator": .key])
    }

    /// `quarters.csv` without rows.
    public static func quartersTable() -> Table {
        Table(name: "quarters", columns: QuarterColumn.names,
              roles: ["area_id": .areaID, "district_id": .key, "indicator": .key, "period": .period])
    }

    /// Per row of `trends.csv`, in its order: whether the trend points to more need, which makes it a deterioration
    /// where its q-value is below α (a part run takes the q-values over the areas of all parts at finish).
    public func pointsToMoreNeed() -> [Bool] {
        trends.flatMap { t in
            methodRows(t).flatMap { rows in areaIDs.indices.filter { rows.has[$0] }.map { rows.rising($0) == t.higherIsWorse } }
        }
    }

    /// One method's results for one indicator, read from the fits when the table is written.
    struct MethodRows {
        var method: TrendMethod
        /// Whether area i has a result.
        var has: [Bool]
        var count: @Sendable (Int) -> Int?
        /// The p-value behind `deteriorating` (Theil–Sen: 0 when its interval excludes 0, else 1; not adjusted).
        var p: (Int) -> Double
        var rising: (Int) -> Bool
        var direction: @Sendable (Int) -> String
        /// The method's own columns of `trends.csv`.
        var values: [TrendColumn: @Sendable (Int) -> Double]
    }

    static func label(_ significant: Bool, _ slope: Double) -> String {
        significant ? (slope > 0 ? "increasing" : "decreasing") : "no trend"
    }

    func methodRows(_ t: IndicatorTrends) -> [MethodRows] {
        var rows: [MethodRows] = []
        let alpha = alpha
        if let ols = t.ols {
            rows.append(MethodRows(
                method: .ols, has: ols.map { $0 != nil }, count: { ols[$0]?.count }, p: { ols[$0]!.pValue },
                rising: { ols[$0]!.slope > 0 }, direction: { Self.label(ols[$0]!.pValue < alpha, ols[$0]!.slope) },
                values: [.slope: { ols[$0]!.slope }, .standardError: { ols[$0]!.standardError }, .t: { ols[$0]!.tStatistic },
                         .pValue: { ols[$0]!.pValue }, .confidenceLow: { ols[$0]!.confidenceLow },
                         .confidenceHigh: { ols[$0]!.confidenceHigh }, .rSquared: { ols[$0]!.rSquared }]))
        }
        if let tests = t.mannKendall {
            let sen = t.theilSen
            var values: [TrendColumn: @Sendable (Int) -> Double] = [.pValue: { tests[$0]!.pValue }, .s: { tests[$0]!.s },
                                                                    .z: { tests[$0]!.z }, .tau: { tests[$0]!.tau }]
            if let sen { values[.senSlope] = { sen[$0]?.slope ?? .nan } }
            rows.append(MethodRows(
                method: .mannKendall, has: tests.map { $0 != nil }, count: { tests[$0]?.count },
                p: { tests[$0]!.pValue }, rising: { tests[$0]!.z > 0 }, direction: { tests[$0]!.direction.rawValue },
                values: values))
        }
        if let slopes = t.theilSen {
            // Theil–Sen has no p-value of its own: significant when its interval excludes 0.
            let significant: @Sendable (Int) -> Bool = { slopes[$0]!.confidenceLow > 0 || slopes[$0]!.confidenceHigh < 0 }
            rows.append(MethodRows(
                method: .theilSen, has: slopes.map { $0 != nil }, count: { _ in nil }, p: { significant($0) ? 0 : 1 },
                rising: { slopes[$0]!.slope > 0 }, direction: { Self.label(significant($0), slopes[$0]!.slope) },
                values: [.slope: { slopes[$0]!.slope }, .confidenceLow: { slopes[$0]!.confidenceLow },
                         .confidenceHigh: { slopes[$0]!.confidenceHigh }, .senSlope: { slopes[$0]!.slope }]))
        }
        if let seasonal = t.seasonal {
            rows.append(MethodRows(
                method: .seasonalMannKendall, has: seasonal.map { $0 != nil }, count: { seasonal[$0]?.test.count },
                p: { seasonal[$0]!.test.pValue }, rising: { seasonal[$0]!.test.z > 0 },
                direction: { seasonal[$0]!.test.direction.rawValue },
                values: [.pValue: { seasonal[$0]!.test.pValue }, .s: { seasonal[$0]!.test.s }, .z: { seasonal[$0]!.test.z },
                         .tau: { seasonal[$0]!.test.tau }, .senSlope: { seasonal[$0]!.slopePerYear }]))
        }
        return rows
    }

    /// The rows of the areas with a result: Benjamini–Hochberg q-values across them (not for Theil–Sen) and
    /// `deteriorating` = q < α and the trend points to more need. Returns the flags per area as well.
    func block(_ rows: MethodRows, _ t: IndicatorTrends) throws -> (Table.Block, [Bool]) {
        let areas = areaIDs.indices
        let p = areas.map { rows.has[$0] ? rows.p($0) : .nan }
        let q = rows.method == .theilSen ? p : try benjaminiHochberg(p)
        let worse = areas.map { rows.has[$0] && q[$0] < alpha && rows.rising($0) == t.higherIsWorse }
        var columns = [TrendColumn: Table.Column]()
        columns[.areaID] = .texts(areaIDs)
        columns[.indicator] = .constant(.text(t.indicator))
        columns[.method] = .constant(.text(rows.method.rawValue))
        columns[.from] = .constant(.optional(firstPeriod?.description))
        columns[.to] = .constant(.optional(lastPeriod?.description))
        let count = rows.count
        columns[.n] = .computed(count: areaIDs.count) { count($0).map { .integer($0) } ?? .empty }
        for (column, value) in rows.values { columns[column] = .computed(count: areaIDs.count) { .value(value($0)) } }
        if rows.method != .theilSen { columns[.qValue] = .numbers(q) }
        let direction = rows.direction
        columns[.direction] = .computed(count: areaIDs.count) { .text(direction($0)) }
        columns[.deteriorating] = .bools(worse)
        return (Table.Block(count: areaIDs.count, columns: TrendColumn.allCases.map { columns[$0] ?? .empty },
                            selection: areas.filter { rows.has[$0] }), worse)
    }
}
