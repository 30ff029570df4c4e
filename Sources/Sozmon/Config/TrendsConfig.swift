import AreaData
import Trends

extension RunConfig {
    /// `[trends]`: trends per area and indicator (`tables/trends.csv`).
    package struct Trends: Sendable, Encodable {
        /// The table with the series (default: `input.table`); read with the `[input]` columns.
        package var table: String?
        package var indicators: [String]
        /// Only the last `years` years of periods (default: all).
        package var years: Int?
        package var methods: [TrendMethod] = [.ols, .mannKendall, .theilSen]
        package var alpha: Double = RunConfig.defaultAlpha
        /// Indicators for which a rise is an improvement (default: a rise means more need).
        package var higherIsBetter: [String] = []
        package var dialect = DialectOverride()
        package var resampling = Resampling()

        init(reading t: ConfigReader.Table) {
            table = t.string("table")
            indicators = t.requiredStrings("indicators", "at least one indicator")
            methods = t.choices("methods", default: methods)
            if t.has("years") { years = t.int("years", default: 5, range: 1...1000) }
            alpha = t.double("alpha", in: .open(0, 1)) ?? alpha
            higherIsBetter = t.strings("higher_is_better") ?? []
            dialect = DialectOverride(reading: t)
            resampling = Resampling(reading: t)
            t.finish()
        }
    }

    /// `[quarters]`: comparisons of the latest quarter (or month) with the one before and a year earlier
    /// (`tables/quarters.csv`).
    package struct Quarters: Sendable, Encodable {
        package var table: String?
        package var indicators: [String]
        /// The period compared (default: the latest of the table).
        package var period: Period?
        package var seasonalAdjustment: Bool = false
        package var dialect = DialectOverride()
        package var resampling = Resampling()

        init(reading t: ConfigReader.Table) {
            let reader = t.reader
            table = t.string("table")
            indicators = t.requiredStrings("indicators", "at least one indicator")
            if let p = t.string("period") {
                period = Period(parsing: p)
                if period == nil {
                    reader.problem("'quarters.period' must be a period such as 2024Q4, not \"\(p)\"",
                                   line: reader.line(of: "period", in: "quarters"))
                }
            }
            seasonalAdjustment = t.bool("seasonal_adjustment", default: seasonalAdjustment)
            dialect = DialectOverride(reading: t)
            resampling = Resampling(reading: t)
            t.finish()
        }
    }
}
