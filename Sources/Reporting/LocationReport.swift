import AreaData
import SozmonIO

/// Where `[locate]` puts the new sites and what they serve: the sites (existing ones kept open, new ones chosen),
/// each demand area's serving site before (existing sites only) and after, and the solution's quality.
public struct LocationReport: Sendable {
    public struct Site: Sendable, Equatable {
        /// The candidate's id (its area's id for an area centroid), or the existing facility's.
        public let id: String
        /// The area it lies in.
        public let areaID: String?
        /// In the geometry's planar system (metres).
        public let point: Point
        public let isNew: Bool
        public init(id: String, areaID: String?, point: Point, isNew: Bool) {
            self.id = id; self.areaID = areaID; self.point = point; self.isNew = isNew
        }
    }

    /// `mclp`, `p-median` or `lscp`.
    public let problem: String
    /// `exact` or `heuristic`.
    public let method: String
    public let proven: Bool
    public let objective: Double
    public let bound: Double
    public let gap: Double
    public let radius: Double?
    /// The open sites: the existing ones, then the chosen ones.
    public let sites: [Site]
    /// The demand areas (ids) and their weights.
    public let demandIDs: [String]
    public let weights: [Double]
    /// Per demand area, the site serving it (index into `sites`) and its distance, with the existing sites only and
    /// with the chosen ones too; nil where none serves it (covering: none within the radius; p-median: no site).
    public let before: [(site: Int, distance: Double)?]
    public let after: [(site: Int, distance: Double)?]

    public init(problem: String, method: String, proven: Bool, objective: Double, bound: Double, gap: Double, radius: Double?,
                sites: [Site], demandIDs: [String], weights: [Double], before: [(site: Int, distance: Double)?],
                after: [(site: Int, distance: Double)?]) {
        self.problem = problem; self.method = method; self.proven = proven; self.objective = objective; self.bound = bound
        self.gap = gap; self.radius = radius; self.sites = sites; self.demandIDs = demandIDs; self.weights = weights
        self.before = before; self.after = after
    }

    /// The demand served (weight of the demand areas with a site), of `assignment`.
    func served(_ assignment: [(site: Int, distance: Double)?]) -> Double {
        zip(weights, assignment).reduce(0) { $0 + ($1.1 == nil ? 0 : $1.0) }
    }

    /// The demand-weighted mean distance to the serving site (NaN where nothing is served).
    func meanDistance(_ assignment: [(site: Int, distance: Double)?]) -> Double {
        let pairs = zip(weights, assignment).compactMap { w, a in a.map { (w, $0.distance) } }
        let total = pairs.reduce(0) { $0 + $1.0 }
        return total > 0 ? pairs.reduce(0) { $0 + $1.0 * $1.1 } / total : .nan
    }

    /// `location_sites`, `location_areas`, `location_summary`.
    /// - Parameter withheld: whether an area's target population is withheld by disclosure control: its demand is
    ///   then not published, nor any sum of demand it is part of.
    public func tables(withheld: (String) -> Bool) -> [Table] {
        let secretAreas = Set(demandIDs.filter(withheld))
        let secret = !secretAreas.isEmpty
        let symbol = Table.Cell.text(DisclosureControl.symbol)
        var sitesTable = Table(name: "location_sites", columns: ["site_id", "area_id", "new", "areas_served", "demand_served", "x", "y"],
                               roles: ["site_id": .key, "area_id": .relatedArea])
        var servedBy = [[Int]](repeating: [], count: sites.count)
        for (i, a) in after.enumerated() { if let a { servedBy[a.site].append(i) } }
        for (k, site) in sites.enumerated() {
            let served = servedBy[k]
            let hidden = served.contains { secretAreas.contains(demandIDs[$0]) }
            sitesTable.append([.text(site.id), .optional(site.areaID), .bool(site.isNew), .integer(served.count),
                               hidden ? symbol : .value(served.reduce(0) { $0 + weights[$1] }), .value(site.point.x), .value(site.point.y)])
        }
        var areas = Table(name: "location_areas", columns: ["area_id", "demand", "site_before", "distance_before",
                                                            "site_after", "distance_after"],
                          roles: ["area_id": .areaID, "site_before": .key, "site_after": .key])
        for (i, id) in demandIDs.enumerated() {
            areas.append([.text(id), secretAreas.contains(id) ? symbol : .value(weights[i]),
                          .optional(before[i].map { sites[$0.site].id }), .value(before[i]?.distance ?? .nan),
                          .optional(after[i].map { sites[$0.site].id }), .value(after[i]?.distance ?? .nan)])
        }
        var summary = Table(name: "location_summary", columns: ["problem", "method", "proven_optimal", "new_sites", "existing_sites",
                                                                "radius", "objective", "bound", "optimality_gap", "demand_areas", "demand",
                                                                "served_before", "served_after", "mean_distance_before",
                                                                "mean_distance_after"],
                            roles: ["problem": .key, "method": .key])
        let total = weights.reduce(0, +)
        summary.append([.text(problem), .text(method), .bool(proven), .integer(sites.count { $0.isNew }),
                        .integer(sites.count { !$0.isNew }), .value(radius ?? .nan),
                        secret ? symbol : .value(objective), secret ? symbol : .value(bound), .value(gap),
                        .integer(demandIDs.count), secret ? symbol : .value(total),
                        secret ? symbol : .value(served(before)), secret ? symbol : .value(served(after)),
                        secret ? symbol : .value(meanDistance(before)), secret ? symbol : .value(meanDistance(after))])
        return [sitesTable, areas, summary]
    }
}
