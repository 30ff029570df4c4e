import SozmonIO

/// What of a table the printed report holds (docs/report.md, "Print"): a Sozialbericht prints the overviews and the
/// areas with their key columns (fitting an A4 page), the small tables whole; the tables with a row per area and
/// method, period or neighbour stay on screen, in the workbook and in the CSV files.
enum PrintPlan: Equatable {
    case all
    /// Only these columns (by number): the id, the name, the population, index values and classes.
    case keyColumns([Int])
    case none

    /// Tables with several rows per area, or a row per area of a detail: not printed.
    static let screenOnly: Set<String> = ["trends", "quarters", "spatial_local", "clusters", "similar", "hotspots",
                                          "supply_areas", "facilities", "crosswalk", "class_history", "location_areas"]
    /// Planning tables too wide for the page: printed with these columns.
    static let printedColumns: [String: Set<String>] = [
        "scenarios": ["scenario", "capacity_change", "areas_gaining", "areas_losing", "gap_areas_before", "gap_areas_after"],
        "location_summary": ["problem", "method", "new_sites", "objective", "optimality_gap", "served_before", "served_after"],
        "location_sites": ["site_id", "area_id", "new", "areas_served", "demand_served"],
    ]
    /// Tables of the areas: printed with their key columns.
    static let keyed: Set<String> = ["areas", "attention_areas"]

    init(_ table: Table) {
        // A scenario's rows per area or unit (a row per scenario each): its comparison table `scenarios` prints.
        if Self.screenOnly.contains(table.name) || table.name.hasPrefix("profiles_") || table.name.hasPrefix("scenario_") {
            self = .none
        } else if Self.keyed.contains(table.name) {
            self = .keyColumns(table.columns.indices.filter { Self.isKey(table.columns[$0]) })
        } else if table.name.hasPrefix("summary_") {
            // The unit, its areas and population, and its areas in each class of each index.
            self = .keyColumns(table.columns.indices.filter { j in
                let code = table.columns[j]
                return j == 0 || code.hasSuffix("_name") || code == "areas" || code == "population"
                    || (code.hasSuffix("_areas") && j > 2)
            })
        } else if let columns = Self.printedColumns[table.name] {
            self = .keyColumns(table.columns.indices.filter { columns.contains(table.columns[$0]) })
        } else if table.name == "spatial_global" {
            self = .keyColumns(table.columns.indices.filter {
                ["statistic", "variable", "n", "value", "expected", "z_rand", "p_rand", "p_sim"].contains(table.columns[$0])
            })
        } else {
            self = .all
        }
    }

    /// A key column of an areas table.
    static func isKey(_ code: String) -> Bool {
        ["area_id", "area_name", "population", "combined_class", "attention"].contains(code)
            || code.hasSuffix("_value") || code.hasSuffix("_class")
    }
}

/// The title block of the report: what it is, its Stichtag, its sources, when it was made.
public struct FrontMatter: Sendable {
    /// The edition's period (its Stichtag), as the tables print it.
    public var period: String
    /// The sources of the indicators (the catalogue's `source`), each once.
    public var sources: [String]
    /// The day the report was made (`7. Dezember 2026`).
    public var created: String

    public init(period: String = "", sources: [String] = [], created: String = "") {
        self.period = period
        self.sources = sources
        self.created = created
    }

    func titleBlock(title: String) -> String {
        let e = HTMLReport.escape
        var lines: [String] = []
        if !period.isEmpty { lines.append(e(tr("Stand der Daten: {0}", period))) }
        if !sources.isEmpty { lines.append(e(tr("Quellen: {0}", sources.joined(separator: "; ")))) }
        if !created.isEmpty { lines.append(e(tr("Erstellt am {0} mit sozmon", created))) }
        return "<header class=\"titleblock\"><h1>\(e(title))</h1>"
            + (lines.isEmpty ? "" : "<p>" + lines.joined(separator: "<br>") + "</p>") + "</header>"
    }
}
