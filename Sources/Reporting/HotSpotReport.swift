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
            let hot = labels.filter { $0.hasPrefix("Hot Spot") }.count, cold = labels.filter { $0.hasPrefix("Cold Spot") }.count
            let window = timeWindow == 0 ? "je Periode" : "mit den \(timeWindow == 1 ? "Werten der Vorperiode" : "\(timeWindow) Vorperioden")"
            return HTMLReport.CategoryMap(
                heading: "Aufkommende Hot Spots: \(catalogue.heading(variable.name) ?? variable.name)",
                intro: "\(hot) Hot Spots und \(cold) Cold Spots, \(first) bis \(last): Getis-Ord G* \(window), "
                    + "Trend nach Mann-Kendall, Kategorien nach ESRI (Signifikanzniveau \(HTMLReport.germanNumber(variable.result.alpha * 100)) %).",
                caption: "Muster je Gebiet", ids: variable.areaIDs, categories: labels, legend: Self.legend)
        }
    }

    /// German names of the patterns, in ESRI's order.
    static let patternNames: [EmergingHotSpots.Category.Pattern: String] = [
        .new: "neu", .consecutive: "fortlaufend", .intensifying: "sich verstärkend", .persistent: "beständig",
        .diminishing: "abnehmend", .sporadic: "sporadisch", .oscillating: "oszillierend", .historical: "historisch"]

    static func label(_ category: EmergingHotSpots.Category) -> String {
        guard let pattern = category.pattern, let kind = category.kind else { return "kein Muster" }
        return (kind == .hot ? "Hot Spot: " : "Cold Spot: ") + patternNames[pattern]!
    }

    /// Reds for hot spots and blues for cold spots, darkest where the pattern is strongest and growing.
    static let legend: [(label: String, colour: String)] = {
        let hot = ["#fcbba1", "#fc9272", "#a50f15", "#de2d26", "#fb6a4a", "#fee0d2", "#c994c7", "#d4b9b9"]
        let cold = ["#c6dbef", "#9ecae1", "#08519c", "#3182bd", "#6baed6", "#deebf7", "#a6bddb", "#b9c4d4"]
        return EmergingHotSpots.Kind.allCases.flatMap { kind in
            zip(EmergingHotSpots.Category.Pattern.allCases, kind == .hot ? hot : cold).map { pattern, colour in
                (label(EmergingHotSpots.Category(pattern: pattern, kind: kind)), colour)
            }
        } + [("kein Muster", "#eeeeee")]
    }()
}
