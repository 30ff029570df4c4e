import AreaData

/// Need against supply (Bedarfe und Angebote abgleichen): facilities and their capacity per 1 000 residents of the
/// target group, per area and per level, and the areas where need is high and supply low.
///
/// Per unit u (an area or a region): `capacity_per_1000(u) = 1000 · Σ capacity / Σ target` and
/// `facilities_per_1000(u) = 1000 · #facilities / Σ target`, sums over the facilities located in u and the target
/// population of its areas (NaN where the target population is 0 or missing). Supply is low where
/// `capacity_per_1000 < lowSupply` (default: the city-wide rate, i.e. below-average supply); a gap is high need and
/// low supply. Facilities in the catchment of neighbouring areas are not counted (no distance decay: the simple,
/// stated rule of the planning offices' tables).
public struct SupplyAnalysis: Sendable {
    public struct Facility: Sendable, Equatable {
        public let id: String
        public let type: String
        public let capacity: Double
        /// The area (index) it lies in, or nil when it lies in none.
        public let area: Int?
        public init(id: String, type: String, capacity: Double, area: Int?) {
            self.id = id; self.type = type; self.capacity = capacity; self.area = area
        }
    }

    public struct Unit: Sendable, Equatable {
        public let id: String
        public let facilities: Int
        public let capacity: Double
        public let target: Double
        public var capacityPer1000: Double { target > 0 ? 1000 * capacity / target : .nan }
        public var facilitiesPer1000: Double { target > 0 ? 1000 * Double(facilities) / target : .nan }
    }

    /// Per area, in the order given.
    public let areas: [Unit]
    /// The whole city.
    public let city: Unit
    /// The threshold below which supply counts as low (capacity per 1 000 of the target group).
    public let lowSupply: Double
    public let highNeed: [Bool]
    /// Facilities that lie in no area (ids).
    public let unassigned: [String]
    /// Capacity per 1 000 of each area's target group reachable by the floating catchment (`CatchmentAccess`), which
    /// then defines low supply; nil: the capacity of the area itself does.
    public let access: [Double]?

    /// - Parameters:
    ///   - target: per area the target population (e.g. residents, or children under 6); NaN = unknown.
    ///   - highNeed: per area whether need is high (by an index class or an indicator threshold).
    ///   - lowSupply: the threshold; nil = the city-wide capacity per 1 000.
    ///   - access: reachable capacity per 1 000 per area (floating catchment), which low supply is then judged by.
    public init(areaIDs: [String], target: [Double], highNeed: [Bool], facilities: [Facility], lowSupply: Double?,
                access: [Double]? = nil) {
        self.access = access
        precondition(target.count == areaIDs.count && highNeed.count == areaIDs.count, "one value per area")
        var count = [Int](repeating: 0, count: areaIDs.count), capacity = [Double](repeating: 0, count: areaIDs.count)
        var unassigned: [String] = []
        for facility in facilities {
            guard let a = facility.area else { unassigned.append(facility.id); continue }
            count[a] += 1
            capacity[a] += facility.capacity
        }
        areas = areaIDs.indices.map { Unit(id: areaIDs[$0], facilities: count[$0], capacity: capacity[$0], target: target[$0]) }
        city = Self.sum(areas, id: "city")
        self.lowSupply = lowSupply ?? city.capacityPer1000
        self.highNeed = highNeed
        self.unassigned = unassigned
    }

    /// The supply an area is judged by: the capacity per 1 000 reachable by the catchment, else in the area itself.
    public func supply(area i: Int) -> Double { access?[i] ?? areas[i].capacityPer1000 }
    /// Whether supply in an area is low (NaN rates, i.e. no target population, are not low).
    public func lowSupply(area i: Int) -> Bool { supply(area: i) < lowSupply }
    public func gap(area i: Int) -> Bool { highNeed[i] && lowSupply(area: i) }

    /// The units of a higher level: facilities, capacity and target population summed over their areas.
    /// - Throws: `AreaDataError.unknownArea` when an id has no parent at that level.
    public func units(hierarchy: AreaHierarchy, level: Int) throws(AreaDataError) -> [Unit] {
        var members: [String: [Unit]] = [:]
        for unit in areas { members[try hierarchy.parent(of: unit.id, level: level), default: []].append(unit) }
        return members.keys.sorted().map { Self.sum(members[$0]!, id: $0) }
    }

    /// Target population sums skip unknown (NaN) values.
    static func sum(_ units: [Unit], id: String) -> Unit {
        Unit(id: id, facilities: units.reduce(0) { $0 + $1.facilities }, capacity: units.reduce(0) { $0 + $1.capacity },
             target: units.reduce(0) { $0 + ($1.target.isNaN ? 0 : $1.target) })
    }
}
