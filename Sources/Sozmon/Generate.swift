import AreaData
import Foundation
import SozmonIO
import Spatial
import Synthetic

/// `sozmon generate`: a synthetic city written as the files a user would bring (docs/report.md §2).
package struct GenerateJob: Sendable {
    package var areaCount: Int
    package var years: ClosedRange<Int>?
    package var quarters: ClosedRange<Period>?
    package var seed: UInt64
    /// Years before this one are written in an earlier area system (`indicators_annual_alt.csv`, pairs of areas
    /// merged) with `crosswalk.csv`, as after Berlin's LOR re-cut; nil = one system throughout.
    package var systemChange: Int?
    package var output: URL
    /// Above this many areas no GeoJSON is written (it would be GBs); the neighbour list always is.
    package static let geometryLimit = 250_000
    /// Cities up to this size get unconstrained Ward in their config (all pairs: 2 000 areas take 16 MB and well under
    /// a second); a fixed number, so that a seed gives the same files on every machine.
    static let unconstrainedWardLimit = 2_000
    /// Cities up to this size get max-p regions (25 000 inhabitants each) in their config (10⁴ areas take seconds).
    static let maxPLimit = 20_000
    /// Cities from this size get emerging hot spots and max-p regions: a few areas have no space-time neighbourhood
    /// smaller than the map, nor 25 000 inhabitants.
    static let regionalAnalysesFrom = 100

    package init(areaCount: Int, years: ClosedRange<Int>? = 2012...2024,
                quarters: ClosedRange<Period>? = Period.quarter(2019, 1)...Period.quarter(2024, 4),
                seed: UInt64 = 1, systemChange: Int? = nil, output: URL) {
        self.areaCount = areaCount
        self.systemChange = systemChange
        self.years = years
        self.quarters = quarters
        self.seed = seed
        self.output = output
    }

    /// Clusters in the generated config: 6, fewer for a city of under 30 areas.
    var clusterCount: Int { min(6, max(2, areaCount / 5)) }
    /// SKATER's smallest region in the generated config: 5 areas, fewer where k regions of 5 would not leave room
    /// for contiguous cuts (at most a third of the areas in the minimum sizes).
    /// Emerging hot spots of S4 over the quarters, from `regionalAnalysesFrom` areas.
    var hotspotsSection: String {
        areaCount < Self.regionalAnalysesFrom ? ""
            : "[hotspots]\ntable = \"indicators_quarterly.csv\"\nvariables = [\"S4\"]\ntime_window = 1\npermutations = 199\nseed = 1\n"
    }

    var hasMaxP: Bool { areaCount >= Self.regionalAnalysesFrom && areaCount <= Self.maxPLimit }

    /// k-means, Ward where all pairs are cheap, contiguity-constrained Ward, SKATER, and max-p up to `maxPLimit`.
    var clusterMethods: [ClusterMethod] {
        [.kmeans] + (areaCount <= Self.unconstrainedWardLimit ? [.ward] : []) + [.regions, .skater]
            + (hasMaxP ? [.maxP] : [])
    }

    var minimumRegionSize: Int { max(1, min(5, areaCount / (3 * clusterCount))) }

    /// Writes the data set into `output` atomically and returns the names of the files written.
    package func run(progress: ProgressLine) throws -> [String] {
        let city = try SyntheticCity(areaCount: areaCount, seed: seed)
        let folder = try AtomicFolder(output)
        do {
            var files: [String] = []
            if let years {
                let cut = legacyYears.map { $0.upperBound + 1 } ?? years.lowerBound
                try writeTable(city, "indicators_annual.csv", periods: (cut...years.upperBound).map { Period.year($0) },
                               indicators: Array(0..<SyntheticCity.indicators.count), folder: folder, progress: progress)
                files.append("indicators_annual.csv")
                if let legacyYears {
                    try writeLegacy(city, years: legacyYears, folder: folder)
                    files += ["indicators_annual_alt.csv", "crosswalk.csv"]
                }
            }
            if let quarters {
                let periods = (quarters.lowerBound.ordinal...quarters.upperBound.ordinal)
                    .map { Period(frequency: .quarterly, ordinal: $0) }
                try writeTable(city, "indicators_quarterly.csv", periods: periods, indicators: [0, 2, 3],
                               folder: folder, progress: progress)
                files.append("indicators_quarterly.csv")
            }
            try writeNeighbours(city, folder: folder)
            files.append("neighbours.csv")
            if areaCount <= Self.geometryLimit {
                try writeGeometry(city, folder: folder)
                try writeFacilities(city, folder: folder)
                files += ["planungsraeume.geojson", "einrichtungen.csv"]
            }
            if years != nil {
                try folder.write(config(city), to: "sozialindex.toml")
                try folder.write(indexConfig(), to: "index.toml")
                files += ["sozialindex.toml", "index.toml"]
            }
            try folder.write(readme(files: files), to: "README.md")
            try folder.commit()
            progress.finish()
            return files + ["README.md"]
        } catch {
            folder.discard()
            progress.finish()
            throw error
        }
    }

    private func writeTable(_ city: SyntheticCity, _ name: String, periods: [Period], indicators: [Int],
                            folder: AtomicFolder, progress: ProgressLine) throws {
        let handle = try folder.create(name)
        defer { try? handle.close() }
        var writer = CSVWriter(handle: handle)
        try writer.writeRow(["PLR_ID", "PLR_NAME", "ZEIT", "EW"] + indicators.map { SyntheticCity.indicators[$0].code })
        for (number, period) in periods.enumerated() {
            progress.update("\(name): \(period) (\(number + 1)/\(periods.count))")
            let values = city.values(in: period)
            let population = city.population(in: period)
            let label = period.description
            for i in 0..<city.areaCount {
                var row = [city.areaIDs[i], city.areaNames[i], label, writer.format(population[i])]
                for j in indicators {
                    switch city.missingReason(area: i, indicator: j, period: period, population: population[i]) {
                    case .secret: row.append(".")
                    case .some: row.append("")
                    case nil: row.append(writer.format(values[i, j], decimals: 2))
                    }
                }
                try writer.writeRow(row)
            }
        }
        try writer.flush()
    }

    /// The years written in the earlier system: those of `years` before `systemChange`, if any.
    var legacyYears: ClosedRange<Int>? {
        guard let years, let change = systemChange, change > years.lowerBound, change <= years.upperBound else { return nil }
        return years.lowerBound...(change - 1)
    }

    /// The earlier system's table (population summed, shares population-weighted over the merged areas, missing
    /// where a member is) and the crosswalk old → new with population weights of the last year before the change.
    private func writeLegacy(_ city: SyntheticCity, years: ClosedRange<Int>, folder: AtomicFolder) throws {
        let legacy = city.legacyAreas()
        let handle = try folder.create("indicators_annual_alt.csv")
        defer { try? handle.close() }
        var writer = CSVWriter(handle: handle)
        let indicators = SyntheticCity.indicators
        try writer.writeRow(["PLR_ID", "PLR_NAME", "ZEIT", "EW"] + indicators.map(\.code))
        for year in years {
            let period = Period.year(year)
            let values = city.values(in: period), population = city.population(in: period)
            for old in legacy {
                let people = old.members.reduce(0.0) { $0 + population[$1] }
                var row = [old.id, "alt " + city.areaNames[old.members[0]], period.description, writer.format(people)]
                for j in indicators.indices {
                    let missing = old.members.contains {
                        city.missingReason(area: $0, indicator: j, period: period, population: population[$0]) != nil
                    }
                    let share = old.members.reduce(0.0) { $0 + population[$1] * values[$1, j] } / people
                    row.append(missing ? "." : writer.format(share, decimals: 2))
                }
                try writer.writeRow(row)
            }
        }
        try writer.flush()
        let last = city.population(in: .year(years.upperBound))
        let crosswalk = try folder.create("crosswalk.csv")
        defer { try? crosswalk.close() }
        var out = CSVWriter(handle: crosswalk)
        try out.writeRow(["old_id", "new_id", "weight"])
        for old in legacy {
            let total = old.members.reduce(0.0) { $0 + last[$1] }
            var remaining = 1.0
            for (k, member) in old.members.enumerated() {
                let weight = k == old.members.count - 1 ? remaining : (last[member] / total * 10_000).rounded() / 10_000
                remaining -= weight
                try out.writeRow([old.id, city.areaIDs[member], out.format(weight, decimals: 4)])
            }
        }
        try out.flush()
    }

    /// The facilities with EPSG:25833 coordinates (`einrichtungen.csv`).
    private func writeFacilities(_ city: SyntheticCity, folder: AtomicFolder) throws {
        let handle = try folder.create("einrichtungen.csv")
        defer { try? handle.close() }
        var writer = CSVWriter(handle: handle)
        try writer.writeRow(["id", "typ", "plaetze", "x", "y"])
        for f in city.facilities() {
            try writer.writeRow([f.id, f.type, writer.format(f.capacity), writer.format(f.location.x, decimals: 1),
                                 writer.format(f.location.y, decimals: 1)])
        }
        try writer.flush()
    }

    private func writeNeighbours(_ city: SyntheticCity, folder: AtomicFolder) throws {
        let handle = try folder.create("neighbours.csv")
        defer { try? handle.close() }
        var writer = CSVWriter(handle: handle)
        try writer.writeRow(["area_id", "neighbour_id"])
        for (i, j) in city.rookNeighbours() {
            try writer.writeRow([city.areaIDs[i], city.areaIDs[j]])
            try writer.writeRow([city.areaIDs[j], city.areaIDs[i]])
        }
        try writer.flush()
    }

    private func writeGeometry(_ city: SyntheticCity, folder: AtomicFolder) throws {
        let layer = GeometryLayer(coordinateSystem: .epsg(25833), areas: (0..<city.areaCount).map {
            AreaGeometry(id: city.areaIDs[$0], polygons: [city.polygon(of: $0)])
        })
        let names = Dictionary(uniqueKeysWithValues: (0..<city.areaCount).map {
            (city.areaIDs[$0], [(name: "PLR_NAME", value: GeoJSON.PropertyValue.text(city.areaNames[$0]))])
        })
        try folder.write(GeoJSON.encode(layer, idProperty: "PLR_ID", properties: names), to: "planungsraeume.geojson")
    }

    /// The indicator catalogue of the config: each indicator's label (its name before ", %") and English label, unit, decimals and
    /// full description, for the human-facing outputs.
    var catalogue: String {
        SyntheticCity.indicators.map { indicator in
            let label = indicator.label.components(separatedBy: ", %").first ?? indicator.label
            return "[indicators.\(indicator.code)]\nlabel = \"\(label)\"\nlabel_en = \"\(indicator.englishLabel)\"\nunit = \"%\"\ndecimals = 2\n"
                + "description = \"\(indicator.label)\"\nsource = \"synthetisch (sozmon generate)\"\n\n"
        }.joined()
    }

    /// The MSS-style edition (docs/methods.md §2) for this data set.
    func config(_ city: SyntheticCity) -> String {
        "# Sozialindex edition on the synthetic city (sozmon generate --areas \(areaCount) --seed \(seed)).\n"
            + edition + analyses.replacingOccurrences(of: "\n[report]\n", with: planning(city) + "\n[report]\n")
    }

    /// The area of `district` without a facility whose status indicators (S1, S3, S4, z-standardised over the city in the
    /// last year) sum highest: where a new facility is most needed (the first area where the data set has no years).
    func neediest(_ city: SyntheticCity, facilities: [SyntheticCity.Facility], in district: String) -> String {
        let members = city.areaIDs.indices.filter { city.areaIDs[$0].hasPrefix(district) }
        guard let years else { return city.areaIDs[members[0]] }
        let values = city.values(in: .year(years.upperBound))
        let columns = ["S1", "S3", "S4"].compactMap { code in SyntheticCity.indicators.firstIndex { $0.code == code } }
        let moments = columns.map { j -> (mean: Double, sd: Double) in
            let x = (0..<city.areaCount).map { values[$0, j] }.filter { !$0.isNaN }
            let mean = x.reduce(0, +) / Double(x.count)
            return (mean, (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(x.count)).squareRoot())
        }
        func score(_ i: Int) -> Double { zip(columns, moments).reduce(0) { $0 + (values[i, $1.0] - $1.1.mean) / $1.1.sd } }
        let served = Set(facilities.compactMap { f in
            members.first { i in
                let p = city.polygon(of: i).exterior.points
                return (p.map(\.x).min()!...p.map(\.x).max()!).contains(f.location.x) && (p.map(\.y).min()!...p.map(\.y).max()!).contains(f.location.y)
            }
        })
        let open = members.filter { !served.contains($0) && !score($0).isNaN }
        return city.areaIDs[(open.isEmpty ? members : open).max { (score($0), $1) < (score($1), $0) }!]
    }

    /// Two scenarios (a facility closes and another grows; a new Familienzentrum) and the location of three new
    /// Stadtteilzentren in Bezirk 05 (or the first area's Bezirk in a smaller city), in a city of planning scale (up to
    /// 2·10⁴ areas: a district's distance matrix of areas × candidates stays below 30 MB).
    func planning(_ city: SyntheticCity) -> String {
        guard areaCount <= 20_000 else { return "" }
        let facilities = city.facilities()
        let district = city.areaIDs.contains { $0.hasPrefix("05") } ? "05" : String(city.areaIDs[0].prefix(2))
        let grows = facilities.count > 2 ? facilities[2].id : nil
        // Three sites, or as many as a small city's district has areas (its candidates).
        let sites = min(3, city.areaIDs.count { $0.hasPrefix(district) })
        let count = sites == 3 ? "Drei" : "\(sites)"
        return """

            # Was wäre, wenn: each scenario against the status quo of [supply] (tables scenario_*, report, workbook,
            # GeoPackage).
            [[scenario]]
            name = "\(facilities[0].id) schließt\(grows.map { ", \($0) wächst" } ?? "")"
            close = ["\(facilities[0].id)"]\(grows.map { "\ncapacity = { \($0) = 150 }" } ?? "")

            [[scenario]]
            name = "Neues Familienzentrum in Bezirk \(district)"
            add = [{ id = "N1", type = "Familienzentrum", capacity = 80, area_id = "\(neediest(city, facilities: facilities, in: district))" }]

            # Where \(sites == 3 ? "three" : "\(sites)") new Stadtteilzentren in Bezirk \(district) reach the most residents in need (population × S4, the
            # share of transfer recipients) within 1 km, the existing Stadtteilzentren kept (maximal covering). The sites
            # become a scenario of their own.
            [locate]
            problem = "mclp"
            type = "Stadtteilzentrum"
            sites = \(sites)
            radius = 1000
            capacity = 120
            within = "\(district)"
            demand = "all"
            weight_indicator = "S4"
            scenario = "\(count) neue Nachbarschaftszentren für Bezirk \(district)"

            """
    }

    /// The index edition alone (no analyses across areas), which also runs in parts (`sozmon part`,
    /// integrations/dask).
    func indexConfig() -> String {
        "# The index edition alone on the synthetic city (sozmon generate --areas \(areaCount) --seed \(seed)): it also\n"
            + "# runs in parts over a cluster (python -m sozmon_dask run index.toml --parts N --local W --out DIR).\n"
            + edition + "[report]\nformats = [\"csv\"]\n"
    }

    /// Title, input, catalogue, eligibility, the status and dynamics indices and the Gesamtindex.
    var edition: String {
        """
        title = "Sozialindex \(years?.upperBound ?? 0) (synthetische Stadt)"

        [input]
        table = "indicators_annual.csv"
        area_id = "PLR_ID"
        area_name = "PLR_NAME"
        population = "EW"
        period = "ZEIT"
        \(areaCount <= Self.geometryLimit ? "geometry = \"planungsraeume.geojson\"\ngeometry_id = \"PLR_ID\"" : "neighbours = \"neighbours.csv\"")
        hierarchy = [2, 4, 6]
        level_names = ["Bezirk", "Prognoseraum", "Bezirksregion"]
        indicators = ["S1", "S2", "S3", "S4", "K1", "K2", "K3", "K4"]

        \(catalogue)[eligibility]
        min_population = 300

        [[index]]
        name = "status"
        preset = "mss-status"
        indicators = ["S1", "S3", "S4"]

        [[index]]
        name = "dynamik"
        preset = "mss-dynamik"
        indicators = ["D1", "D3", "D4"]

        [combined]
        preset = "mss"
        status = "status"
        dynamik = "dynamik"


        """
    }

    /// The analyses of the full edition: maps, comparable areas, trends, hot spots, spatial statistics, clusters,
    /// profiles, the crosswalk, supply and the report's formats.
    var analyses: String {
        """
        [maps]
        variables = ["S1", "S4"]
        classification = "natural-breaks"
        classes = 5

        [similar]
        variables = ["S1", "S3", "S4"]
        k = 5
        scope = "other-districts"

        \(quarters == nil ? "" : """
        [trends]
        table = "indicators_quarterly.csv"
        indicators = ["S1", "S3", "S4"]
        methods = ["ols", "mann-kendall", "theil-sen", "seasonal-mann-kendall"]

        [quarters]
        table = "indicators_quarterly.csv"
        indicators = ["S1", "S3", "S4"]

        \(hotspotsSection)

        """)[spatial]
        variables = ["status_value", "S4"]
        weights = "\(areaCount <= Self.geometryLimit ? "queen" : "neighbours")"
        permutations = 999
        seed = 1

        [clusters]
        variables = ["S1", "S3", "S4"]
        methods = [\(clusterMethods.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))]
        k = \(clusterCount)
        min_region_size = \(minimumRegionSize)
        seed = 1\(hasMaxP ? "\nfloor_variable = \"EW\"\nfloor = 25000" : "")

        [profiles]
        levels = ["Bezirksregion"]
        \(legacyYears == nil ? "" : """

        [crosswalk]
        table = "crosswalk.csv"
        data = "indicators_annual_alt.csv"
        """)\(areaCount > Self.geometryLimit ? "" : """

        [supply]
        facilities = "einrichtungen.csv"
        type = "typ"
        capacity = "plaetze"
        x = "x"
        y = "y"
        crs = "EPSG:25833"
        need_index = "status"
        need_classes = ["niedrig", "sehr niedrig"]
        """)

        [report]
        formats = ["csv", "xlsx", "html"\(areaCount <= Self.geometryLimit ? ", \"geojson\", \"gpkg\"" : "")]

        """
    }

    func readme(files: [String]) -> String {
        let indicatorLines = SyntheticCity.indicators.map { "| `\($0.code)` | \($0.label) |" }.joined(separator: "\n")
        return """
        # Synthetic city: \(areaCount) planning areas, seed \(seed)

        Made by `sozmon generate --areas \(areaCount) --seed \(seed)`\(years.map { " --periods \($0.lowerBound)..\($0.upperBound)" } ?? "")\
        \(quarters.map { " --quarters \($0.lowerBound)..\($0.upperBound)" } ?? "")\(legacyYears == nil ? "" : " --system-change \(systemChange!)"). Not real data: a city of square
        1 km cells (EPSG:25833) along a Hilbert curve, with LOR-style 8-digit ids `BB PP RR LL` (Bezirk, Prognoseraum,
        Bezirksregion, Planungsraum; parents are id prefixes), log-normal population (3 % of areas under 300
        inhabitants), and indicator shares driven by a spatially smooth latent factor (so they correlate and cluster),
        a smooth trend factor, a first-quarter seasonal peak, and yearly noise. About 0.3 % of cells are suppressed
        (`.`) and 0.2 % empty; areas under 30 inhabitants are suppressed entirely.

        Files: \(files.map { "`\($0)`" }.joined(separator: ", ")).

        | column | meaning |
        |---|---|
        | `PLR_ID` | planning area id (quoted, leading zeros) |
        | `PLR_NAME` | a made-up name |
        | `ZEIT` | period (`2024`, `2024Q1`) |
        | `EW` | inhabitants |
        \(indicatorLines)

        The quarterly table has S1, S3 and S4 only. `neighbours.csv` lists rook neighbours (shared edges) in both
        directions.\(areaCount <= Self.geometryLimit ? """
         `einrichtungen.csv` lists made-up social facilities (`id`, `typ`, `plaetze` = capacity, `x`, `y` in
        EPSG:25833), about one per three areas, a few exactly on area edges.
        """ : "")\(legacyYears.map { """
         The years \($0.lowerBound)–\($0.upperBound) are in an earlier area system, as after Berlin's 2021 re-cut:
        `indicators_annual_alt.csv` has pairs of neighbouring areas merged (old id = the first member's id with a
        9 in front), and `crosswalk.csv` (`old_id, new_id, weight`, population weights) carries them to today's areas.
        """ } ?? "")

        """
    }
}

extension GenerateJob {
    /// The quarters of a generated city, first to last.
    package typealias QuarterRange = ClosedRange<Period>

    /// `FROM..TO` with two years, FROM ≤ TO (`--periods 2015..2024`), or nil.
    package static func years(parsing text: String) -> ClosedRange<Int>? {
        periodRange(text, .annual).map { $0.lowerBound.year...$0.upperBound.year }
    }

    /// `FROM..TO` with two quarters, FROM ≤ TO (`--quarters 2019Q1..2024Q4`), or nil.
    package static func quarters(parsing text: String) -> ClosedRange<Period>? { periodRange(text, .quarterly) }

    private static func periodRange(_ text: String, _ frequency: Period.Frequency) -> ClosedRange<Period>? {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, let from = Period(parsing: parts[0]), let to = Period(parsing: parts[1]),
              from.frequency == frequency, to.frequency == frequency, from <= to else { return nil }
        return from...to
    }
}
