import AreaData
import Foundation
import Indicators
import SozmonIO
import Spatial
import Trends

/// The configuration of a run (`sozmon run CONFIG`), as read from TOML with every default filled in. Its keys are
/// documented in README ("Config reference"); `run.json` records it as read.
public struct RunConfig: Sendable, Encodable {
    /// A table's periods brought to a coarser frequency before the analyses (`frequency`, `aggregate`,
    /// `incomplete`), e.g. monthly unemployment to quarterly means.
    public struct Resampling: Sendable, Encodable, Equatable {
        /// `quarterly`, `half-yearly` or `annual`; `nil`: the table's own.
        public var frequency: String?
        /// `mean`, `sum` or `last` (the end of the period, for stocks).
        public var aggregate = "mean"
        /// `drop`: a period lacking one of its sub-periods has no value; `keep`: the mean (or the sum scaled to the
        /// whole period) of those present.
        public var incomplete = "drop"

        static let frequencies: [String: Period.Frequency] = ["quarterly": .quarterly, "half-yearly": .semiannual, "annual": .annual]
    }

    /// What a section says about the CSV dialect of its table, overriding what is detected in that file (and only
    /// there): `separator`, `decimal`, `thousands`, `encoding`.
    public struct DialectOverride: Sendable, Encodable, Equatable {
        public var separator: String?
        public var decimal: String?
        public var thousands: String?
        public var encoding: String?

        var isEmpty: Bool { self == DialectOverride() }

        /// `detected` with the overrides applied.
        func applied(to detected: CSVDialect) -> CSVDialect {
            var d = detected
            if let s = separator, let value = CSVDialect.Separator(rawValue: s) { d.separator = value }
            if let m = decimal, let value = CSVDialect.DecimalMark(rawValue: m) { d.decimalMark = value }
            if let t = thousands { d.thousandsSeparator = CSVDialect.ThousandsSeparator(rawValue: t) ?? .none }
            if let e = encoding, let value = CSVDialect.Encoding(rawValue: e) { d.encoding = value }
            return d
        }
    }

    public struct Input: Sendable, Encodable {
        public var table: String
        public var layout: String = "wide"
        public var areaID: String
        public var areaName: String?
        public var population: String?
        public var period: String?
        /// The period the edition is computed for (default: the latest in the table).
        public var referencePeriod: String?
        public var geometry: String?
        public var geometryID: String?
        public var duplicateIds: GeoJSON.DuplicateIDs = .error
        public var neighbours: String?
        public var hierarchy: [Int] = [2, 4, 6]
        public var levelNames: [String] = ["Bezirk", "Prognoseraum", "Bezirksregion"]
        /// Whether `level_names` was given (an explicit parent table names its levels by its header otherwise).
        public var levelNamesGiven = false
        /// An explicit parent table (CSV: area id, then the parent ids from the top level down) instead of prefixes.
        public var parents: String?
        /// Overrides of the detected dialect of `table` (each table is detected on its own).
        public var dialect = DialectOverride()
        public var resampling = Resampling()
        /// Indicator columns to read and report besides those the analyses name (default: none). Columns that
        /// neither names are not read at all (a validity flag, a district name, a comment).
        public var indicators: [String] = []
        /// Shares given by counts: indicator → [numerator column, denominator column]; the share is
        /// 100 · numerator / denominator, and higher levels are aggregated from the counts.
        public var counts: [String: [String]] = [:]
    }

    public struct Eligibility: Sendable, Encodable {
        public var minPopulation: Double? = 300
        public var exclude: [String] = []
    }

    public struct Index: Sendable, Encodable {
        public var name: String
        public var preset: String?
        public var indicators: [String]
        public var polarity: [String]
        public var weights: [Double]?
        public var normalization: IndexNormalization = .z
        public var ddof: Int = 0
        public var aggregation: Aggregation = .sum
        public var restandardize: Bool = true
        public var minShare: Double?
        public var classes: IndexClasses
        /// Periods back for derived change indicators (`D1` = `S1(t) − S1(t − lag)`).
        public var lag: Int = 2
        /// Weights from the first principal component of the indicators (over the scored areas) instead of `weights`.
        public var pcaWeights: Bool = false
    }

    public struct Combined: Sendable, Encodable {
        public var preset: String = "mss"
        public var status: String
        public var dynamik: String
    }

    public struct Uncertainty: Sendable, Encodable {
        public var runs: Int = 0
        public var seed: UInt64 = 1
        public var concentration: Double = 50
    }

    /// Trends per area and indicator (`tables/trends.csv`).
    public struct Trends: Sendable, Encodable {
        /// The table with the series (default: `input.table`); read with the `[input]` columns.
        public var table: String?
        public var indicators: [String]
        /// Only the last `years` years of periods (default: all).
        public var years: Int?
        public var methods: [TrendMethod]
        public var alpha: Double = 0.05
        /// Indicators for which a rise is an improvement (default: a rise means more need).
        public var higherIsBetter: [String] = []
        public var dialect = DialectOverride()
        public var resampling = Resampling()
    }

    /// Quarter (or month) comparisons of the latest period (`tables/quarters.csv`).
    public struct Quarters: Sendable, Encodable {
        public var table: String?
        public var indicators: [String]
        public var period: String?
        public var seasonalAdjustment: Bool = false
        public var dialect = DialectOverride()
        public var resampling = Resampling()
    }

    /// Spatial autocorrelation of indicators or index values (`spatial_global.csv`, `spatial_local.csv`).
    public struct Spatial: Sendable, Encodable {
        public var variables: [String]
        public var weights: WeightsKind = .queen
        public var k: Int = 6
        public var distance: Double?
        public var transform: WeightsTransform = .rowStandardized
        public var permutations: Int = 999
        public var seed: UInt64 = 1
        public var alpha: Double = 0.05
        public var fdr: Bool = true
    }

    /// Clusters of areas (`clusters.csv`, `clusters_quality.csv`).
    public struct Clusters: Sendable, Encodable {
        public var variables: [String]
        public var methods: [ClusterMethod] = [.kmeans, .ward, .regions]
        public var k: Int = 5
        /// SKATER: the fewest areas a region may have.
        public var minimumRegionSize: Int = 1
        public var restarts: Int = 10
        public var seed: UInt64 = 1
        /// k-means quality for every k in this range as extra rows of `clusters_quality.csv` (to choose k).
        public var compareK: [Int]?
    }

    /// Region profiles (`profiles/<id>.html` and `.md`, and a `profiles_<level>` table per level).
    public struct Profiles: Sendable, Encodable {
        /// Level names (`nil`: the lowest level above the areas that the hierarchy has, e.g. Bezirksregion).
        public var levels: [String]?
    }

    /// Earlier periods in another area system, carried over by a crosswalk so that series continue.
    public struct CrosswalkInput: Sendable, Encodable {
        /// CSV with the columns `old_id`, `new_id`, `weight` (names configurable).
        public var table: String
        public var oldID: String = "old_id"
        public var newID: String = "new_id"
        public var weight: String = "weight"
        public var tolerance: Double = 1e-3
        /// The table in the old system (read with the `[input]` columns and dialect).
        public var data: String
        /// Indicator columns that are counts (allocated), not shares (population-weighted); the columns of
        /// `input.counts` and the population always are counts.
        public var counts: [String] = []
        /// Dialect overrides of `data` (the crosswalk table itself is detected).
        public var dialect = DialectOverride()
    }

    /// Need against supply (`supply_areas.csv`, `supply_<level>.csv`, `facilities.csv`).
    public struct Supply: Sendable, Encodable {
        public var facilities: String
        public var id: String = "id"
        public var type: String = "type"
        public var capacity: String = "capacity"
        /// Either an area id column, or coordinate columns with their system.
        public var areaID: String?
        public var x: String?
        public var y: String?
        public var crs: String = "EPSG:4326"
        /// Only facilities of these types (default: all).
        public var types: [String]?
        /// The target group: a count column of the table (default: the population).
        public var target: String?
        /// High need: an index's classes …
        public var needIndex: String?
        public var needClasses: [String] = []
        /// … or an indicator at or above a threshold.
        public var needIndicator: String?
        public var needThreshold: Double?
        /// Capacity per 1 000 of the target group below which supply is low (default: the city-wide rate).
        public var lowSupply: Double?
        /// Dialect overrides of the facilities table.
        public var dialect = DialectOverride()
    }

    public struct Report: Sendable, Encodable {
        public var formats: [ReportFormat] = [.csv]
        public var csvDialect: CSVWriter.Style = .plain
        public var diagnostics: Bool = true
        /// Population counts below this are suppressed in the published tables (0: off).
        public var disclosureThreshold: Double = 3
    }

    public var title: String
    public var input: Input
    public var eligibility: Eligibility
    public var indices: [Index]
    public var combined: Combined?
    public var uncertainty: Uncertainty
    public var previous: String?
    public var trends: Trends?
    public var quarters: Quarters?
    public var spatial: Spatial?
    public var clusters: Clusters?
    public var profiles: Profiles?
    public var crosswalk: CrosswalkInput?
    public var supply: Supply?
    public var report: Report
    /// The folder the config lies in: paths are relative to it.
    public var baseFolder: String

    /// Reads and checks `url`.
    /// - Throws: `ConfigProblems` listing every problem with its line; `InputError` when the file is missing.
    public static func read(_ url: URL) throws -> RunConfig {
        let handle = try InputFile.open(url, what: "the config file")
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd() ?? Data() else {
            throw InputError(file: url.path, message: "the config file cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: url.path, message: "the config is not UTF-8 text")
        }
        return try parse(text, file: url.path, baseFolder: url.deletingLastPathComponent().path)
    }

    public static func parse(_ text: String, file: String, baseFolder: String) throws -> RunConfig {
        let root: TOMLTable
        do { root = try TOMLParser.parse(text) } catch {
            throw ConfigProblems(problems: [InputError(file: file, line: error.position.line,
                                                       column: error.position.column, message: error.message)])
        }
        let reader = ConfigReader(file: file, text: text, root: root)
        let top = reader.table(root, path: nil)
        let title = top.string("title", default: "sozmon")

        var input = Input(table: "", areaID: "")
        if let t = top.subtable("input") {
            if let table = t.string("table") { input.table = table } else {
                reader.problem("'input.table' is required: the indicator table to read", line: reader.line(of: nil, in: "input"))
            }
            input.layout = t.choice("layout", PanelSpec.Layout.allCases.map(\.rawValue), default: "wide")
            if let id = t.string("area_id") { input.areaID = id } else {
                reader.problem("'input.area_id' is required: the id column", line: reader.line(of: nil, in: "input"))
            }
            input.areaName = t.string("area_name")
            input.population = t.string("population")
            input.period = t.string("period")
            input.referencePeriod = t.string("reference_period")
            if let p = input.referencePeriod, Period(parsing: p) == nil {
                reader.problem("'input.reference_period' must be a period such as 2024 or 2024Q4, not \"\(p)\"",
                               line: reader.line(of: "reference_period", in: "input"))
            }
            input.geometry = t.string("geometry")
            input.geometryID = t.string("geometry_id")
            input.duplicateIds = t.choice("duplicate_ids", default: GeoJSON.DuplicateIDs.error)
            input.neighbours = t.string("neighbours")
            if let h = t.integers("hierarchy", in: 1...64) { input.hierarchy = h }
            if let names = t.safeNames("level_names") { input.levelNames = names; input.levelNamesGiven = true }
            input.parents = t.string("parents")
            if input.parents == nil && input.levelNames.count != input.hierarchy.count {
                reader.problem("'input.level_names' has \(input.levelNames.count) names for \(input.hierarchy.count) levels",
                               line: reader.line(of: "level_names", in: "input"))
            }
            input.indicators = t.strings("indicators") ?? []
            input.dialect = t.dialect()
            input.resampling = t.resampling()
            if let counts = t.subtable("counts") {
                for key in counts.table.keys.sorted() {
                    guard let pair = counts.strings(key), pair.count == 2 else {
                        reader.problem("'input.counts.\(key)' must be [\"numerator column\", \"denominator column\"]",
                                       line: reader.line(of: key, in: "input.counts"))
                        continue
                    }
                    input.counts[key] = pair
                }
                counts.finish()
            }
            t.finish()
        } else {
            reader.problem("the [input] table is required (table, area_id, …)")
        }

        var eligibility = Eligibility()
        if let t = top.subtable("eligibility") {
            eligibility.minPopulation = t.double("min_population", in: .closed(0, 1e9)) ?? 300
            eligibility.exclude = t.strings("exclude") ?? []
            t.finish()
        }

        var indices: [Index] = []
        for t in top.subtables("index") {
            if !t.has("name") { reader.problem("every [[index]] needs a name", line: reader.line(of: nil, in: t.path)) }
            let name = t.safeName("name") ?? ""
            let preset = t.has("preset") ? t.choice("preset", ["mss-status", "mss-dynamik"], default: "mss-status") : nil
            let indicators = t.strings("indicators") ?? []
            if indicators.isEmpty {
                reader.problem("'\(t.path!).indicators' must list at least one indicator", line: reader.line(of: nil, in: t.path))
            }
            var index = Index(name: name, preset: preset, indicators: indicators,
                              polarity: indicators.map { _ in Polarity.higherIsWorse.rawValue },
                              classes: preset.flatMap(IndexClasses.init(rawValue:)) ?? .unclassified)
            if let polarity = t.perIndicator("polarity", indicators: indicators, fallback: Polarity.higherIsWorse.rawValue,
                                             expected: "higher_is_worse or higher_is_better",
                                             { $0.string.flatMap { Polarity(rawValue: $0)?.rawValue } }) {
                index.polarity = polarity
            }
            let weightRange = NumberRange.above(0, atMost: 1e6)
            if let weights = t.perIndicator("weights", indicators: indicators, fallback: 1.0, expected: "a weight \(weightRange)",
                                            { ($0.double ?? $0.int.map(Double.init)).flatMap { weightRange.contains($0) ? $0 : nil } }) {
                index.weights = weights
            }
            index.normalization = t.choice("normalization", default: IndexNormalization.z)
            index.ddof = t.int("ddof", default: 0, range: 0...1)
            index.aggregation = t.choice("aggregation", default: Aggregation.sum)
            index.restandardize = t.bool("restandardize", default: true)
            index.minShare = t.double("min_share", in: .above(0, atMost: 1))
            index.classes = t.choice("classes", default: index.classes)
            index.lag = t.int("lag", default: 2, range: 1...1000)
            index.pcaWeights = t.bool("pca_weights", default: false)
            if index.pcaWeights && index.weights != nil {
                reader.problem("'\(t.path!)': give weights or pca_weights = true, not both",
                               line: reader.line(of: "pca_weights", in: t.path))
            }
            t.finish()
            if indices.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                reader.problem("two indices are named '\(name)'", line: reader.line(of: nil, in: t.path))
            }
            indices.append(index)
        }

        var combined: Combined?
        if let t = top.subtable("combined") {
            let preset = t.choice("preset", ["mss"], default: "mss")
            let status = t.string("status") ?? "", dynamik = t.string("dynamik") ?? ""
            for (key, name) in [("status", status), ("dynamik", dynamik)] {
                guard let index = indices.first(where: { $0.name == name }) else {
                    reader.problem("'combined.\(key)' must name an [[index]], not \"\(name)\"", line: reader.line(of: key, in: "combined"))
                    continue
                }
                // The Gesamtindex crosses the 4 status classes with the 3 dynamics classes.
                let scheme: IndexClasses = key == "status" ? .mssStatus : .mssDynamik
                if index.classes != scheme {
                    reader.problem("'combined.\(key)' names index \"\(name)\" with classes \"\(index.classes.rawValue)\"; "
                                   + "the combined MSS preset needs an index with classes \"\(scheme.rawValue)\"",
                                   line: reader.line(of: key, in: "combined"))
                }
            }
            if status == dynamik {
                reader.problem("'combined.status' and 'combined.dynamik' name the same index", line: reader.line(of: "dynamik", in: "combined"))
            }
            combined = Combined(preset: preset, status: status, dynamik: dynamik)
            t.finish()
        }

        var uncertainty = Uncertainty()
        if let t = top.subtable("uncertainty") {
            uncertainty.runs = t.int("runs", default: 0, range: 0...1_000_000)
            uncertainty.seed = UInt64(t.int("seed", default: 1, range: 0...Int.max))
            uncertainty.concentration = t.double("concentration", in: .closed(1, 1e6)) ?? 50
            t.finish()
        }

        var previous: String?
        if let t = top.subtable("previous") {
            previous = t.string("table")
            t.finish()
        }

        var trends: Trends?
        if let t = top.subtable("trends") {
            let indicators = t.strings("indicators") ?? []
            if indicators.isEmpty {
                reader.problem("'trends.indicators' must list at least one indicator", line: reader.line(of: nil, in: "trends"))
            }
            var value = Trends(table: t.string("table"), indicators: indicators,
                               methods: t.choices("methods", default: [.ols, .mannKendall, .theilSen]))
            if t.has("years") { value.years = t.int("years", default: 5, range: 1...1000) }
            value.alpha = t.double("alpha", in: .open(0, 1)) ?? 0.05
            value.higherIsBetter = t.strings("higher_is_better") ?? []
            value.dialect = t.dialect()
            value.resampling = t.resampling()
            trends = value
            t.finish()
        }

        var quarters: Quarters?
        if let t = top.subtable("quarters") {
            let indicators = t.strings("indicators") ?? []
            if indicators.isEmpty {
                reader.problem("'quarters.indicators' must list at least one indicator", line: reader.line(of: nil, in: "quarters"))
            }
            quarters = Quarters(table: t.string("table"), indicators: indicators, period: t.string("period"),
                                seasonalAdjustment: t.bool("seasonal_adjustment", default: false), dialect: t.dialect(),
                                resampling: t.resampling())
            if let p = quarters?.period, Period(parsing: p) == nil {
                reader.problem("'quarters.period' must be a period such as 2024Q4, not \"\(p)\"",
                               line: reader.line(of: "period", in: "quarters"))
            }
            t.finish()
        }

        var spatial: Spatial?
        if let t = top.subtable("spatial") {
            var value = Spatial(variables: t.strings("variables") ?? [])
            if value.variables.isEmpty {
                reader.problem("'spatial.variables' must list at least one indicator or <index>_value",
                               line: reader.line(of: nil, in: "spatial"))
            }
            value.weights = t.choice("weights", default: WeightsKind.queen)
            value.k = t.int("k", default: 6, range: 1...1000)
            value.distance = t.double("distance", in: .above(0, atMost: 1e7))
            if value.weights == .distance && !(value.distance.map { $0 > 0 } ?? false) {
                reader.problem("'spatial.distance' (metres, > 0) is needed for weights = \"distance\"",
                               line: reader.line(of: "weights", in: "spatial"))
            }
            value.transform = t.choice("transform", default: WeightsTransform.rowStandardized)
            value.permutations = t.int("permutations", default: 999, range: 0...100_000)
            value.seed = UInt64(t.int("seed", default: 1, range: 0...Int.max))
            value.alpha = t.double("alpha", in: .open(0, 1)) ?? 0.05
            value.fdr = t.bool("fdr", default: true)
            spatial = value
            t.finish()
        }

        var clusters: Clusters?
        if let t = top.subtable("clusters") {
            var value = Clusters(variables: t.strings("variables") ?? [])
            if value.variables.isEmpty {
                reader.problem("'clusters.variables' must list at least one indicator", line: reader.line(of: nil, in: "clusters"))
            }
            value.methods = t.choices("methods", default: value.methods)
            value.k = t.int("k", default: 5, range: 2...10_000)
            value.restarts = t.int("restarts", default: 10, range: 1...1000)
            value.minimumRegionSize = t.int("min_region_size", default: 1, range: 1...10_000_000)
            value.seed = UInt64(t.int("seed", default: 1, range: 0...Int.max))
            if let range = t.integers("compare_k", in: 2...10_000) {
                if range.count != 2 || range[1] < range[0] {
                    reader.problem("'clusters.compare_k' must be [from, to] with 2 ≤ from ≤ to ≤ 10000",
                                   line: reader.line(of: "compare_k", in: "clusters"))
                } else { value.compareK = range }
            }
            clusters = value
            t.finish()
        }

        var profiles: Profiles?
        if let t = top.subtable("profiles") {
            // Without `levels`: the lowest level above the areas, of the levels the data has (an explicit parent
            // table names its own), resolved when the hierarchy is read.
            let levels = t.safeNames("levels")
            if input.parents == nil && input.levelNames.isEmpty {
                reader.problem("'profiles' needs a level above the areas; 'input.level_names' has none",
                               line: reader.line(of: nil, in: "profiles"))
            }
            if input.parents == nil, let levels {
                for level in levels where !input.levelNames.contains(level) {
                    reader.problem("'profiles.levels' has \"\(level)\"; the levels are \(input.levelNames.joined(separator: ", "))",
                                   line: reader.line(of: "levels", in: "profiles"))
                }
            }
            profiles = Profiles(levels: levels)
            t.finish()
        }

        var crosswalk: CrosswalkInput?
        if let t = top.subtable("crosswalk") {
            let table = t.string("table"), data = t.string("data")
            if table == nil || data == nil {
                reader.problem("'crosswalk' needs table (the crosswalk) and data (the table in the old area system)",
                               line: reader.line(of: nil, in: "crosswalk"))
            }
            var value = CrosswalkInput(table: table ?? "", data: data ?? "")
            value.oldID = t.string("old_id") ?? value.oldID
            value.newID = t.string("new_id") ?? value.newID
            value.weight = t.string("weight") ?? value.weight
            value.tolerance = t.double("tolerance", in: .from(0, below: 0.5)) ?? value.tolerance
            value.counts = t.strings("counts") ?? []
            value.dialect = t.dialect()
            crosswalk = value
            t.finish()
        }

        var supply: Supply?
        if let t = top.subtable("supply") {
            var value = Supply(facilities: t.string("facilities") ?? "")
            if value.facilities.isEmpty {
                reader.problem("'supply.facilities' is required: the facilities table", line: reader.line(of: nil, in: "supply"))
            }
            value.id = t.string("id") ?? value.id
            value.type = t.string("type") ?? value.type
            value.capacity = t.string("capacity") ?? value.capacity
            value.areaID = t.string("area_id")
            value.x = t.string("x")
            value.y = t.string("y")
            if (value.areaID == nil) == (value.x == nil || value.y == nil) {
                reader.problem("'supply' locates facilities by area_id or by x and y, exactly one of them",
                               line: reader.line(of: nil, in: "supply"))
            }
            value.crs = t.choice("crs", ["EPSG:4326", "EPSG:25832", "EPSG:25833"], default: "EPSG:4326")
            value.types = t.strings("types")
            value.target = t.string("target")
            value.needIndex = t.string("need_index")
            value.needClasses = t.strings("need_classes") ?? []
            value.needIndicator = t.string("need_indicator")
            value.needThreshold = t.double("need_threshold", in: .finite)
            if let index = value.needIndex {
                if !indices.contains(where: { $0.name == index }) {
                    reader.problem("'supply.need_index' must name an [[index]], not \"\(index)\"",
                                   line: reader.line(of: "need_index", in: "supply"))
                }
                if value.needClasses.isEmpty {
                    reader.problem("'supply.need_classes' must list the classes of high need, e.g. [\"niedrig\", \"sehr niedrig\"]",
                                   line: reader.line(of: "need_index", in: "supply"))
                }
            }
            if (value.needIndex == nil) == (value.needIndicator == nil) {
                reader.problem("'supply' defines high need by need_index (with need_classes) or by need_indicator "
                               + "(with need_threshold), exactly one of them", line: reader.line(of: nil, in: "supply"))
            }
            if value.needIndicator != nil && value.needThreshold == nil {
                reader.problem("'supply.need_threshold' is needed with need_indicator",
                               line: reader.line(of: "need_indicator", in: "supply"))
            }
            value.lowSupply = t.double("low_supply", in: .closed(0, 1e9))
            value.dialect = t.dialect()
            supply = value
            t.finish()
        }
        if profiles != nil && indices.isEmpty {
            reader.problem("[profiles] needs an [[index]] (a profile shows the classes of its areas)",
                           line: reader.line(of: nil, in: "profiles"))
        }

        var report = Report()
        if let t = top.subtable("report") {
            report.formats = t.choices("formats", default: [.csv])
            report.csvDialect = t.choice("csv_dialect", default: CSVWriter.Style.plain)
            report.diagnostics = t.bool("diagnostics", default: true)
            // 0: off; a count of people, so an integer with a bound that no footnote or comparison can overflow.
            report.disclosureThreshold = Double(t.int("disclosure_threshold", default: 3, range: 0...1_000_000))
            t.finish()
        }
        top.finish()
        if indices.isEmpty && trends == nil && quarters == nil && spatial == nil && clusters == nil && supply == nil {
            reader.problem("nothing to compute: give at least one [[index]], [trends], [quarters], [spatial], "
                           + "[clusters] or [supply]")
        }
        guard reader.problems.isEmpty else { throw ConfigProblems(problems: reader.problems) }
        return RunConfig(title: title, input: input, eligibility: eligibility, indices: indices, combined: combined,
                         uncertainty: uncertainty, previous: previous, trends: trends, quarters: quarters,
                         spatial: spatial, clusters: clusters, profiles: profiles, crosswalk: crosswalk, supply: supply,
                         report: report, baseFolder: baseFolder)
    }

    /// The data columns this config reads: `input.indicators`, the indicators of the indices (and the S-column a
    /// derived change `D<n>` comes from), counts, the variables of trends, quarters, spatial statistics and
    /// clusters, and the supply's target and need indicator. Any other column of a table is ignored.
    public var namedColumns: Set<String> {
        var names = Set(input.indicators)
        for index in indices {
            names.formUnion(index.indicators)
            names.formUnion(index.indicators.compactMap(DerivedIndicator.changeBase))
        }
        names.formUnion(input.counts.values.joined())
        names.formUnion((trends?.indicators ?? []) + (quarters?.indicators ?? []))
        names.formUnion((spatial?.variables ?? []) + (clusters?.variables ?? []))
        names.formUnion([supply?.target, supply?.needIndicator].compactMap { $0 })
        names.formUnion(crosswalk?.counts ?? [])
        return names
    }

    /// Every input file the config names (as written in it), each once.
    public var inputFiles: [String] {
        let paths = [input.table, input.geometry, input.neighbours, input.parents, previous, trends?.table, quarters?.table,
                     crosswalk?.table, crosswalk?.data, supply?.facilities]
        var seen: Set<String> = []
        return paths.compactMap { $0 }.filter { seen.insert($0).inserted }
    }

    /// A path from the config, relative to its folder.
    public func url(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: baseFolder).appendingPathComponent(path)
    }
}

/// Every problem found in a config or its inputs, one per line.
public struct ConfigProblems: Error, CustomStringConvertible {
    public let problems: [InputError]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
