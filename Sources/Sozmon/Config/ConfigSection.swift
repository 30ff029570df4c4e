import AreaData
import Foundation
import Indicators
import SozmonIO
import Spatial
import Trends

extension RunConfig {
    /// One table of a config file, built in code: each case is a TOML table of the file (`.input` is `[input]`,
    /// `.index` one `[[index]]`, `.indicator` one `[indicators.<code>]`), each argument one key, named as the key in
    /// camel case (`areaID` is `area_id`). An argument left `nil` is a key not written: its default comes from where
    /// the file's would. The keys, their defaults and their checks are those of the config reference
    /// (README, "Config reference"); ``RunConfig/init(title:baseFolder:sections:)`` checks them as the file reader does.
    public enum Section: Sendable {
        /// `[input]`: the indicator table, its columns and the area hierarchy.
        case input(table: String, areaID: String, layout: PanelSpec.Layout? = nil, areaName: String? = nil,
                   population: String? = nil, period: String? = nil, referencePeriod: String? = nil,
                   geometry: String? = nil, geometryID: String? = nil, duplicateIDs: GeoJSON.DuplicateIDs? = nil,
                   neighbours: String? = nil, hierarchy: [Int]? = nil, levelNames: [String]? = nil, parents: String? = nil,
                   indicators: [String]? = nil, counts: [String: (numerator: String, denominator: String)]? = nil,
                   totals: [String]? = nil, cityTotal: String? = nil, separator: CSVDialect.Separator? = nil,
                   decimal: CSVDialect.DecimalMark? = nil, thousands: CSVDialect.ThousandsSeparator? = nil,
                   encoding: CSVDialect.Encoding? = nil, frequency: ResamplingFrequency? = nil,
                   aggregate: ResamplingAggregate? = nil, incomplete: IncompletePeriods? = nil)
        /// `[indicators.<code>]`: the catalogue entry of one indicator column.
        case indicator(code: String, label: String, unit: String? = nil, decimals: Int? = nil, description: String? = nil,
                       source: String? = nil, polarity: Polarity? = nil, labelEn: String? = nil)
        /// `[eligibility]`: which areas take part in the indices.
        case eligibility(minPopulation: Double? = nil, exclude: [String]? = nil)
        /// One `[[index]]`: a composite index of standardised indicators (polarities and weights one per indicator).
        case index(name: String, preset: IndexPreset? = nil, indicators: [String]? = nil, polarity: [Polarity]? = nil,
                   weights: [Double]? = nil, normalization: IndexNormalization? = nil, ddof: Int? = nil,
                   aggregation: Aggregation? = nil, restandardize: Bool? = nil, minShare: Double? = nil,
                   classes: IndexClasses? = nil, lag: Int? = nil, pcaWeights: Bool? = nil, winsorize: OutlierTreatment? = nil,
                   winsorizeMax: Int? = nil, impute: Imputation? = nil, imputeLevel: String? = nil, sensitivity: Bool? = nil)
        /// `[combined]`: the Gesamtindex crossing a status index with a dynamics index.
        case combined(status: String, dynamik: String, preset: CombinedPreset? = nil)
        /// `[uncertainty]`: the stability of each area's class under varied weights.
        case uncertainty(runs: Int? = nil, seed: Int? = nil, concentration: Double? = nil)
        /// `[previous]`: the `areas.csv` of the previous edition, for class changes.
        case previous(table: String)
        /// `[trends]`: trend tests per area over the years.
        case trends(indicators: [String], table: String? = nil, methods: [TrendMethod]? = nil, years: Int? = nil,
                    alpha: Double? = nil, higherIsBetter: [String]? = nil)
        /// `[quarters]`: change against the previous quarter and a year earlier.
        case quarters(indicators: [String], table: String? = nil, period: String? = nil, seasonalAdjustment: Bool? = nil)
        /// `[hotspots]`: emerging hot spots (space–time Getis–Ord).
        case hotspots(variables: [String], table: String? = nil, timeWindow: Int? = nil, permutations: Int? = nil,
                      seed: Int? = nil, alpha: Double? = nil)
        /// `[spatial]`: global and local Moran's I.
        case spatial(variables: [String], weights: WeightsKind? = nil, k: Int? = nil, distance: Double? = nil,
                     weightsFile: String? = nil, transform: WeightsTransform? = nil, permutations: Int? = nil,
                     seed: Int? = nil, alpha: Double? = nil, fdr: Bool? = nil)
        /// `[clusters]`: clusters and regions of areas.
        case clusters(variables: [String], methods: [ClusterMethod]? = nil, k: Int? = nil, restarts: Int? = nil,
                      minRegionSize: Int? = nil, seed: Int? = nil, floorVariable: String? = nil, floor: Double? = nil,
                      compareK: [Int]? = nil)
        /// `[profiles]`: one profile page per unit of the named levels.
        case profiles(levels: [String]? = nil)
        /// `[maps]`: choropleth maps in `report.html`.
        case maps(variables: [String], classification: MapClassing? = nil, classes: Int? = nil, breaks: [Double]? = nil)
        /// `[similar]`: the areas most alike each area.
        case similar(variables: [String], k: Int? = nil, scope: SimilarScope? = nil, metric: SimilarAreas.Metric? = nil)
        /// `[history]`: the classes of earlier editions.
        case history(tables: [String], labels: [String]? = nil, index: String? = nil)
        /// `[crosswalk]`: earlier periods carried to this edition's areas.
        case crosswalk(table: String, data: String, oldID: String? = nil, newID: String? = nil, weight: String? = nil,
                       tolerance: Double? = nil, counts: [String]? = nil)
        /// `[supply]`: facilities, their catchments and need against supply.
        case supply(facilities: String, id: String? = nil, type: String? = nil, capacity: String? = nil,
                    areaID: String? = nil, x: String? = nil, y: String? = nil, crs: FacilityCoordinates? = nil,
                    types: [String]? = nil, target: String? = nil, needIndex: String? = nil, needClasses: [String]? = nil,
                    needIndicator: String? = nil, needThreshold: Double? = nil, lowSupply: Double? = nil,
                    method: SupplyMethod? = nil, radius: Double? = nil)
        /// `[[scenario]]`: a change of supply against the status quo of `[supply]` (each may be given several times).
        case scenario(name: String, close: [String]? = nil, capacity: [String: Double]? = nil, add: [FacilityToAdd]? = nil,
                      population: String? = nil, populationAreaID: String? = nil, populationColumn: String? = nil)
        /// `[locate]`: where new facilities of `type` serve the demand best.
        case locate(problem: LocationKind, type: String, capacity: Double, sites: Int? = nil, radius: Double? = nil,
                    candidates: String? = nil, demand: LocateDemand? = nil, weightIndicator: String? = nil,
                    within: String? = nil, method: LocateMethod? = nil, timeLimit: Double? = nil, scenario: String? = nil)
        /// `[names]`: the names of the units of each level (`levels`: level name → name column), from a table with a
        /// row per area.
        case names(table: String, areaID: String, levels: [String: String])
        /// `[report]`: formats, CSV dialect, disclosure control.
        case report(formats: [ReportFormat]? = nil, csvDialect: CSVStyle? = nil, geojsonCRS: GeoJSONCoordinates? = nil,
                    diagnostics: Bool? = nil, disclosureThreshold: Int? = nil, disclosureProtection: Int? = nil,
                    language: ReportLanguage? = nil)
    }

    /// A config built in code, checked as the file reader checks a file (every problem at once, each naming its key).
    /// Paths in it are relative to `baseFolder`.
    ///
    /// ```swift
    /// let config = try RunConfig(title: "Sozialindex 2024", baseFolder: folder, sections: [
    ///     .input(table: "indicators.csv", areaID: "area_id", population: "population"),
    ///     .index(name: "status", preset: .mssStatus, indicators: ["S1", "S2", "S3", "S4"]),
    /// ])
    /// ```
    /// - Throws: ``ConfigProblems`` listing every problem.
    public init(title: String? = nil, baseFolder: URL, sections: [Section]) throws {
        var root = TOMLTable(), duplicates: [InputError] = []
        if let title { root.set("title", .string(title), at: .inCode) }
        for section in sections {
            let (name, table) = section.lowered
            switch (section, root[name]) {
            case (.index, .array(let earlier)?), (.scenario, .array(let earlier)?):
                root.set(name, .array(earlier + [.table(table)]), at: .inCode)
            case (.index, _), (.scenario, _): root.set(name, .array([.table(table)]), at: .inCode)
            case (.indicator(let code, _, _, _, _, _, _, _), let catalogue):
                var entries = catalogue?.table ?? TOMLTable()
                if entries[code] != nil { duplicates.append(InputError(file: ConfigOrigin.inCode, message: "[indicators.\(code)] is given twice")) }
                entries.set(code, .table(table), at: .inCode)
                root.set(name, .table(entries), at: .inCode)
            case (_, nil): root.set(name, .table(table), at: .inCode)
            case (_, _?): duplicates.append(InputError(file: ConfigOrigin.inCode, message: "[\(name)] is given twice"))
            }
        }
        guard duplicates.isEmpty else { throw ConfigProblems(problems: duplicates) }
        self = try Self.parse(root, text: "", file: ConfigOrigin.inCode, baseFolder: baseFolder.path, checkingFiles: true)
    }
}

extension RunConfig.Section {
    /// The TOML table this section stands for, and its name in the file.
    var lowered: (name: String, table: TOMLTable) {
        let mirror = Mirror(reflecting: self)
        guard let (label, payload) = mirror.children.first.map({ ($0.label ?? "", $0.value) }) else { return ("", TOMLTable()) }
        var table = TOMLTable()
        let arguments = Mirror(reflecting: payload)
        // A case of one argument reflects as that argument, without its label.
        let keyed: [(String, Any)] = arguments.displayStyle == .tuple
            ? arguments.children.map { ($0.label ?? "", $0.value) } : [(label == "profiles" ? "levels" : "table", payload)]
        for (key, value) in keyed where key != "code" {
            if let value = Self.toml(value) { table.set(Self.snakeCase(key), value, at: .inCode) }
        }
        return (label == "indicator" ? "indicators" : label, table)
    }

    /// A key as the file writes it: `areaID` → `area_id`, `duplicateIDs` → `duplicate_ids`, `geojsonCRS` → `geojson_crs`.
    static func snakeCase(_ name: String) -> String {
        var key = ""
        var previous: Character? = nil
        for c in name {
            if c.isUppercase, let p = previous, p.isLowercase { key.append("_") }
            key += c.lowercased()
            previous = c
        }
        return key
    }

    /// An argument as a TOML value: `nil` for an absent optional (a key not written).
    static func toml(_ value: Any) -> TOMLValue? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional { return mirror.children.first.flatMap { toml($0.value) } }
        switch value {
        case let text as String: return .string(text)
        case let flag as Bool: return .boolean(flag)
        case let number as Int: return .integer(number)
        case let number as Double: return .float(number)
        case let choice as any RawRepresentable: return (choice.rawValue as? String).map(TOMLValue.string)
        default: break
        }
        switch mirror.displayStyle {
        case .collection?, .tuple?: return .array(mirror.children.compactMap { toml($0.value) })
        case .struct?:
            var table = TOMLTable()
            for child in mirror.children {
                if let key = child.label, let value = toml(child.value) { table.set(snakeCase(key), value, at: .inCode) }
            }
            return .table(table)
        case .dictionary?:
            var table = TOMLTable()
            for pair in mirror.children {
                let entry = Array(Mirror(reflecting: pair.value).children)
                if let key = entry.first?.value as? String, let value = toml(entry[1].value) { table.set(key, value, at: .inCode) }
            }
            return .table(table)
        default: return nil
        }
    }
}

extension TOMLPosition {
    /// The place of a key of a config built in code: none (line 0).
    static let inCode = TOMLPosition(line: 0, column: 0)
}

extension RunConfig {
    /// A facility a `[[scenario]]` adds: at coordinates `x`, `y` (in `supply.crs`) or in the area `areaID`.
    public struct FacilityToAdd: Sendable {
        public var id: String
        public var type: String
        public var capacity: Double
        public var areaID: String?
        public var x: Double?
        public var y: Double?
        public init(id: String, type: String, capacity: Double, areaID: String? = nil, x: Double? = nil, y: Double? = nil) {
            self.id = id; self.type = type; self.capacity = capacity; self.areaID = areaID; self.x = x; self.y = y
        }
    }
}
