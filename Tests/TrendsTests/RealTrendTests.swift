import AreaData
import Foundation
import LinearAlgebra
import SozmonIO
import Statistics
import TestSupport
import Testing
import Trends

/// Trends on real public series in ../shared/data, against statsmodels and pymannkendall on the same data
/// (`Tests/Fixtures/real_trends.json`, made by make_fixtures.py where the data is present).
@Suite(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipMessage)))
struct RealTrendTests {
    let reference = try! FixtureValue.load("real_trends.json")

    /// Köln's monthly unemployment (month-end dates, the last six months empty) → quarterly means → trend.
    @Test func koelnMonthlyToQuarterlyTrend() throws {
        let table = try CSVTable(contentsOf: SharedData.url("koeln-unemployment-monthly/13211-03ir.csv"))
        var builder = Panel.Builder(indicators: ["gesamt"], hasPopulation: false)
        let column = try table.numericColumn("gesamt")
        for (row, cell) in zip(table.rows, column) {
            let date = try #require(Period(parsing: row[0]))  // 2000-01-31: a reference date
            try builder.add(area: "05315000", period: .month(date.year, date.subperiod), cells: [cell])
        }
        let monthly = try builder.build()
        #expect(monthly.periods.count == 180)
        let quarterly = try monthly.aggregated(to: .quarterly, by: .mean)
        let k = reference["koeln"]
        #expect(quarterly.periods.count == Int(k["quarters"].double))
        let values = quarterly.series(area: 0, indicator: 0)
        #expect(WorstError(Array(values.prefix(4)), k["first_quarters"].doubles).error < 1e-12)
        #expect(values.filter { !$0.isNaN }.count == Int(k["complete"].double))
        #expect(quarterly.missingReason(area: 0, indicator: 0, period: 59) == .incomplete, "2014Q4 has no months")
        let times = quarterly.periods.map { Double($0.year) + (Double($0.subperiod) - 0.5) / 4 }
        let ols = try OLSTrend(times: times, values: values)
        #expect(WorstError([ols.slope, ols.pValue, ols.rSquared], ["ols_slope", "ols_p", "ols_r2"].map { k[$0].double }).error < 1e-9)
        let mk = try MannKendall(values)
        #expect(WorstError([mk.s, mk.z, mk.tau], ["mk_s", "mk_z", "mk_tau"].map { k[$0].double }).error < 1e-12)
        let seasonal = try SeasonalMannKendall(values, period: 4)
        #expect(WorstError([seasonal.test.s, seasonal.test.variance, seasonal.slopePerYear],
                           ["smk_s", "smk_var_s", "smk_slope"].map { k[$0].double }).error < 1e-12)
    }

    /// Berlin 2015–2020, half-yearly: the share of children under 6 per planning area, from the counts.
    @Test func berlinChildrenUnderSixPerPlanningArea() throws {
        var builder = Panel.Builder(indicators: ["inhabitants", "inhabitants_age_below_6"], hasPopulation: false)
        for year in 2015...2020 {
            for half in [1, 2] {
                let name = "berlin-lor-population-\(year)-0\(half)"
                let reader = try CSVReader(contentsOf: SharedData.url(
                    "berlin-ewr-population-lor/\(name)-csv/\(name)-t2-planning-areas.csv"))
                let p = try reader.panel(PanelSpec(areaIDColumn: "id", singlePeriod: .half(year, half),
                                                   indicatorColumns: builder.indicators, hierarchy: .berlinLOR)).panel
                for a in 0..<p.areaCount {
                    try builder.add(area: p.areaIDs[a], period: .half(year, half),
                                    cells: (0..<2).map { .value(p.value(area: a, indicator: $0, period: 0)) })
                }
            }
        }
        let panel = try builder.build()
        let b = reference["berlin_under6"]
        #expect(panel.areaCount == Int(b["areas"].double))
        let shares = Matrix(columns: (0..<panel.areaCount).map { area in
            (0..<panel.periods.count).map { t in
                let total = panel.value(area: area, indicator: 0, period: t)
                return total > 0 ? 100 * panel.value(area: area, indicator: 1, period: t) / total : .nan
            }
        })
        let complete = (0..<panel.areaCount).filter { shares.column($0).allSatisfy { !$0.isNaN } }
        #expect(complete.count == Int(b["complete"].double))
        let times = panel.periods.map { Double($0.year) + (Double($0.subperiod) - 0.5) / 2 }
        let fits = try OLSTrend.fitColumns(times: times, values: shares)
        for (area, spot) in b["spots"].object {
            let j = try #require(panel.index(ofArea: area))
            let fit = try #require(fits[j])
            let mk = try MannKendall(Array(shares.column(j)))
            #expect(WorstError([shares[0, j], fit.slope, fit.pValue, mk.s],
                               ["first", "ols_slope", "ols_p", "mk_s"].map { spot[$0].double }).error < 1e-9, "\(area)")
            #expect(WorstError([mk.pValue], [spot["mk_p"].double], floor: 1e-3).error < 1e-12)
        }
    }
}
