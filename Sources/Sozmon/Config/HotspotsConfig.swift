extension RunConfig {
    /// `[hotspots]`: emerging hot spots (space-time Getis–Ord G* and the Mann–Kendall trend of each area's G* series)
    /// of indicators over the periods of a table (`tables/hotspots.csv`, and a map in report.html). The spatial
    /// neighbours are those of `[spatial]` (weights, k, distance, weights_file; queen contiguity without it).
    package struct Hotspots: Sendable, Encodable {
        /// The table with the series (default: `input.table`); read with the `[input]` columns.
        package var table: String?
        package var variables: [String]
        /// Earlier periods in an area's space-time neighbourhood (0: each period on its own).
        package var timeWindow: Int = 1
        /// Conditional permutations per area and period (0: normal p-values, as ESRI's tool).
        package var permutations: Int = 199
        package var seed: UInt64 = 1
        /// Significance of a hot or cold spot and of the trend.
        package var alpha: Double = 0.05
        package var dialect = DialectOverride()
        package var resampling = Resampling()

        init(reading t: ConfigReader.Table) {
            table = t.string("table")
            variables = t.requiredStrings("variables", "at least one indicator")
            timeWindow = t.int("time_window", default: timeWindow, range: 0...100)
            permutations = t.int("permutations", default: permutations, range: 0...100_000)
            seed = t.seed("seed", default: seed)
            alpha = t.double("alpha", in: .open(0, 1)) ?? alpha
            dialect = DialectOverride(reading: t)
            resampling = Resampling(reading: t)
            t.finish()
        }
    }
}
