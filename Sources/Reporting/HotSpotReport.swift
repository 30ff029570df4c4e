import AreaData
import Spatial
import SozmonIO

/// Emerging hot spots (`[hotspots]`) as published: `tables/hotspots.csv` and a map per variable in report.html.
public struct HotSpotReport: Sendable {
    public struct Variable: Sendable {
        public let name: String
        /// The areas with a value in every period (the others are left out, with a warning).
        public let areaIDs: [String]
        public let result: EmergingHotSpots
        public init(name: String, areaIDs: [String], result: EmergingHotSpots) {
            self.name = name; self.areaIDs = areaIDs; self.result = result
        }
    }

    public let variables: [Variable]
    /// The periods analysed, first and last, and the settings, for the map's sentence.
    public let first: Period, last: Period
    public let timeWindow: Int, permutations: Int

    public init(variables: [Variable], first: Period, last: Period, timeWindow: Int, permutations: Int) {
        self.variables = variables; self.first = first; self.last = last
        self.timeWindow = timeWindow; self.permutations = permutations
    }

    /// `hotspots.csv`: area_id, variable, category (ESRI's, e.g. "intensifying hot spot"), the shares of periods
    /// that are significant hot and cold spots, and the Mann–Kendall τ and p of the area's G* z-values.
    public func table() -> Table {
        var table = Table(name: "hotspots", columns: ["area_id", "variable", "category", "hot_share", "cold_share", "tau", "p_value"],
                          roles: ["area_id": .areaID, "variable": .key])
        for variable in variables {
            for (id, area) in zip(variable.areaIDs, variable.result.areas) {
                table.append([.text(id), .text(variable.name), .text(area.category.description), .number(area.hotShare),
                              .number(area.coldShare), .number(area.tau), .number(area.pValue)])
            }
        }
        return table
    }

    /// A map of the categories of each variable, titled by the catalogue.
    public func maps(catalogue: IndicatorCatalogue) -> [HTMLReport.CategoryMap] {
        variables.map { variable in
            let labels = variable.result.areas.map { Self.label($0.category) }
            let kinds = variable.result.areas.map { $0.category.pattern == nil ? nil : $0.category.kind }
            let hot = kinds.filter { $0 == .hot }.count, cold = kinds.filter { $0 == .cold }.count
            let window = timeWindow == 0 ? tr("je Periode") : timeWindow == 1 ? tr("mit den Werten der Vorperiode")
                : tr("mit den {0} Vorperioden", timeWindow)
            return HTMLReport.CategoryMap(
                heading: tr("Aufkommende Hot Spots: {0}", catalogue.heading(variable.name) ?? variable.name),
                intro: tr("{0} Hot Spots und {1} Cold Spots, {2} bis {3}: Getis-Ord G* {4}, Trend nach Mann-Kendall, "
                          + "Kategorien nach ESRI (Signifikanzniveau {5} %).", hot, cold, first, last, window,
                          HTMLReport.shownNumber(variable.result.alpha * 100)),
                caption: tr("Muster je Gebiet"), ids: variable.areaIDs, categories: labels, legend: Self.legend)
        }
    }

    /// German names of the patterns, in ESRI's order.
    static let patternNames: [EmergingHotSpots.Category.Pattern: String] = [
        .new: "neu", .consecutive: "fortlaufend", .intensifying: "sich verstärkend", .persistent: "beständig",
        .diminishing: "abnehmend", .sporadic: "sporadisch", .oscillating: "oszillierend", .historical: "historisch"]

    static func label(_ category: EmergingHotSpots.Category) -> String {
        guard let pattern = category.pattern, let kind = category.kind else { return tr("kein Muster") }
        return tr(kind == .hot ? "Hot Spot: {0}" : "Cold Spot: {0}", tr(patternNames[pattern]!))
    }

    /// Warm colours for hot spots and cool ones for cold spots, darkest where the pattern is strongest and growing
    /// (intensifying, persistent), each pair of the legend (with the white of "ohne Zuordnung") at least 12 apart in
    /// CIELAB (ΔE*76; a test checks it), so that no two categories look alike.
    static var legend: [(label: String, colour: String)] {
        // In the order of `Pattern`: new, consecutive, intensifying, persistent, diminishing, sporadic, oscillating, historical.
        let hot = ["#fdae6b", "#f16913", "#67000d", "#cb181d", "#fcbba1", "#fee391", "#c51b8a", "#a1887f"]
        let cold = ["#a1dab4", "#41b6c4", "#08306b", "#2171b5", "#c6dbef", "#e0f3db", "#6a51a3", "#90a4ae"]
        return EmergingHotSpots.Kind.allCases.flatMap { kind in
            zip(EmergingHotSpots.Category.Pattern.allCases, kind == .hot ? hot : cold).map { pattern, colour in
                (label(EmergingHotSpots.Category(pattern: pattern, kind: kind)), colour)
            }
        } + [(tr("kein Muster"), "#d9d9d9")]
    }
}
