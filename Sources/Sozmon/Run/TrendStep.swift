import AreaData
import Foundation
import LinearAlgebra
import Reporting
import SozmonIO
import Trends

/// The `[trends]` and `[quarters]` of the config.
struct TrendStep: RunStep {
    let context: RunContext

    /// The `[trends]` and `[quarters]` of the config, or `nil` when it has neither.
    ///
    /// Times are decimal years (a quarter's middle: 2024Q1 = 2024.125), so OLS and Theil–Sen slopes are per year.
    /// Seasonal Mann–Kendall runs on sub-annual series only.
    /// - Parameter timings: each method is timed on its own, summed over the indicators (`run.json`).
    func run(_ inputs: InputSet, tables: SectionTables = SectionTables(), timings: Timings = Timings()) throws -> TrendReport? {
        guard config.trends != nil || config.quarters != nil else { return nil }
        var trends: [TrendReport.IndicatorTrends] = [], warnings: [String] = []
        var window: (first: Period?, last: Period?) = (nil, nil)
        var reference = inputs.panel
        if let settings = config.trends {
            reference = try sectionPanel(settings.table, dialect: settings.dialect, resampling: settings.resampling,
                                         section: "[trends]", inputs: inputs, tables: tables)
            (trends, window) = try self.trends(settings, source: reference, warnings: &warnings, timings: timings)
        }
        var comparisons: [(indicator: String, higherIsWorse: Bool, comparison: PeriodComparison)] = []
        if let settings = config.quarters {
            let source = try sectionPanel(settings.table ?? config.trends?.table,
                                          dialect: settings.table == nil ? config.trends?.dialect ?? settings.dialect : settings.dialect,
                                          resampling: settings.resampling, section: "[quarters]", inputs: inputs, tables: tables)
            if config.trends != nil && source.areaIDs != reference.areaIDs {
                throw config.error(at: "quarters.table", "[trends] and [quarters] read tables with different areas; "
                                 + "give them the same table")
            }
            reference = source
            comparisons = try self.comparisons(settings, source: source)
        }
        // Ranks within the top level; a flat list of areas (no levels) is ranked over the whole city.
        let districts = try reference.areaIDs.map { id in
            guard !hierarchy.levelNames.isEmpty else { return "" }
            do { return try hierarchy.parent(of: id, level: 0) } catch { throw config.error(at: "input.hierarchy", "\(error)") }
        }
        return TrendReport(areaIDs: reference.areaIDs, districts: districts, firstPeriod: window.first, lastPeriod: window.last,
                           alpha: config.trends?.alpha ?? RunConfig.defaultAlpha, trends: trends, comparisons: comparisons,
                           seasonallyAdjusted: config.quarters?.seasonalAdjustment ?? false, warnings: warnings)
    }

    /// The column of indicator `name` in a section's table, or an error naming the section's key.
    func indicator(_ name: String, in panel: Panel, section: String) throws -> Int {
        guard let j = panel.indicators.firstIndex(of: name) else {
            throw config.error(at: sectionPath(section, "indicators"), "\(section) names indicator '\(name)', which the table does "
                             + "not have (columns: \(panel.indicators.joined(separator: ", ")))")
        }
        return j
    }

    /// Each `[trends]` method on each indicator's series per area over the years asked for, and the window of periods.
    func trends(_ settings: RunConfig.Trends, source: Panel, warnings: inout [String], timings: Timings) throws
        -> ([TrendReport.IndicatorTrends], (first: Period?, last: Period?)) {
        var periods = Array(source.periods.indices)
        if let years = settings.years, let end = source.periods.last {
            periods = periods.filter { source.periods[$0].year > end.year - years }
        }
        let first = periods.first.map { source.periods[$0] }, last = periods.last.map { source.periods[$0] }
        let times = periods.map { decimalYear(source.periods[$0]) }
        let perYear = source.periods.first?.frequency.periodsPerYear ?? 1
        if settings.methods.contains(.seasonalMannKendall) && perYear <= 1 {
            warnings.append("[trends] seasonal-mann-kendall was not computed: it needs quarterly or monthly periods, "
                            + "the table's are \(source.periods.first?.frequency.rawValue ?? "no") (dates at month ends are read as months)")
        }
        let methods = Set(settings.methods), alpha = settings.alpha
        var trends: [TrendReport.IndicatorTrends] = []
        for name in settings.indicators {
            let j = try indicator(name, in: source, section: "[trends]")
            let columns = (0..<source.areaCount).map { area in periods.map { source.value(area: area, indicator: j, period: $0) } }
            let count = columns.count
            // The rank tests are O(T²) per series: in parallel across series (each result depends only on its series).
            let ols = try timings.measure("trends: ols") {
                methods.contains(.ols) ? try OLSTrend.fitColumns(times: times, values: Matrix(columns: columns)) : nil
            }
            let mannKendall = timings.measure("trends: mann-kendall") {
                methods.contains(.mannKendall) ? parallelMap(count) { try? MannKendall(columns[$0], alpha: alpha) } : nil
            }
            let theilSen = timings.measure("trends: theil-sen") {
                methods.contains(.theilSen) || methods.contains(.mannKendall)
                    ? parallelMap(count) { try? TheilSen(times: times, values: columns[$0]) } : nil
            }
            let seasonal = timings.measure("trends: seasonal-mann-kendall") {
                methods.contains(.seasonalMannKendall) && perYear > 1
                    ? parallelMap(count) { try? SeasonalMannKendall(columns[$0], period: perYear, alpha: alpha) } : nil
            }
            trends.append(TrendReport.IndicatorTrends(indicator: name, higherIsWorse: !settings.higherIsBetter.contains(name),
                                                      ols: ols, mannKendall: mannKendall, theilSen: theilSen, seasonal: seasonal))
            // A method asked for that no area could have (too few periods): said, not left out silently.
            let none: [(TrendMethod, Bool?)] = [
                (.ols, ols?.allSatisfy { $0 == nil }), (.mannKendall, mannKendall?.allSatisfy { $0 == nil }),
                (.theilSen, theilSen?.allSatisfy { $0 == nil }), (.seasonalMannKendall, seasonal?.allSatisfy { $0 == nil })]
            for (method, empty) in none where empty == true && settings.methods.contains(method) {
                warnings.append("[trends] \(method.rawValue) of \(name) was not computed for any area: \(periods.count) periods "
                                + "(\(first.map { "\($0)" } ?? "–") to \(last.map { "\($0)" } ?? "–")) are too few or have too many gaps")
            }
        }
        return (trends, (first, last))
    }

    /// Each `[quarters]` indicator against the previous quarter and the same quarter a year earlier.
    func comparisons(_ settings: RunConfig.Quarters, source: Panel) throws
        -> [(indicator: String, higherIsWorse: Bool, comparison: PeriodComparison)] {
        try settings.indicators.map { name in
            let j = try indicator(name, in: source, section: "[quarters]")
            do {
                let comparison = try PeriodComparison(panel: source, indicator: j, period: settings.period,
                                                      seasonallyAdjusted: settings.seasonalAdjustment)
                return (name, !(config.trends?.higherIsBetter.contains(name) ?? false), comparison)
            } catch {
                throw config.error(at: "quarters.indicators", "[quarters] \(name): \(error)")
            }
        }
    }
}

/// A period on the time axis of the trends, in years: a year is its number (2024), a half-year, quarter or month
/// its middle (2024Q1 = 2024.125), a date its day as a fraction of the year.
func decimalYear(_ p: Period) -> Double {
    switch p.frequency {
    case .annual: Double(p.year)
    case .daily: Double(p.ordinal) / 365.2425 + 1970
    default: Double(p.year) + (Double(p.subperiod) - 0.5) / Double(p.frequency.periodsPerYear)
    }
}
