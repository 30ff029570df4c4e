import AreaData
import Indicators
import SozmonIO

/// The tables of a need-against-supply analysis: `supply_areas` (per area: facilities, capacity, target population,
/// rates, high need, low supply, gap), `supply_<level>` per level, and `facilities` (each facility with the area it
/// was assigned to).
public struct SupplyReport: Sendable {
    public let analysis: SupplyAnalysis
    public let facilities: [SupplyAnalysis.Facility]
    public let areaIDs: [String]
    public let hierarchy: AreaHierarchy
    /// Each facility's point where the input gives coordinates, in `pointSystem` (for the GeoPackage's point layer).
    public let points: [Point?]
    public let pointSystem: CoordinateSystem?
    /// `[locate]`: the sites chosen (also the last of `scenarios`).
    public var location: LocationReport?
    /// `[[scenario]]` and the `[locate]` sites, each against the status quo.
    public var scenarios: [ScenarioComparison] = []

    public init(analysis: SupplyAnalysis, facilities: [SupplyAnalysis.Facility], areaIDs: [String], hierarchy: AreaHierarchy,
                points: [Point?] = [], pointSystem: CoordinateSystem? = nil) {
        self.analysis = analysis; self.facilities = facilities; self.areaIDs = areaIDs; self.hierarchy = hierarchy
        self.points = points; self.pointSystem = pointSystem
    }

    static let rateColumns = ["facilities", "capacity", "target_population", "capacity_per_1000", "facilities_per_1000"]
    /// The target group is a count of people; the rates per 1 000 of it would give a suppressed one back.
    static let rateRoles: [String: ColumnRole] = [
        "target_population": .count(of: "target_population"), "capacity_per_1000": .rate, "facilities_per_1000": .rate,
    ]

    static func rateCells(_ u: SupplyAnalysis.Unit) -> [Table.Cell] {
        [.integer(u.facilities), .value(u.capacity), .value(u.target), .value(u.capacityPer1000), .value(u.facilitiesPer1000)]
    }

    /// - Parameter withheld: whether an area's target population is withheld by disclosure control (sums of the
    ///   scenarios and the location that contain it are then withheld too).
    public func tables(withheld: (String) -> Bool = { _ in false }) throws -> [Table] {
        // With a floating catchment, `access` (capacity per 1 000 reachable) beside the area's own rate defines low supply.
        let access = analysis.access
        var areas = Table(name: "supply_areas", columns: ["area_id"] + Self.rateColumns + (access == nil ? [] : ["access"])
                          + ["high_need", "low_supply", "gap", "low_supply_threshold"],
                          roles: Self.rateRoles.merging(["area_id": .areaID, "access": .rate]) { a, _ in a }
                              .filter { access != nil || $0.key != "access" })
        for (i, unit) in analysis.areas.enumerated() {
            areas.append([.text(unit.id)] + Self.rateCells(unit) + (access.map { [.value($0[i])] } ?? [])
                         + [.bool(analysis.highNeed[i]), .bool(analysis.lowSupply(area: i)), .bool(analysis.gap(area: i)),
                            .value(analysis.lowSupply)])
        }
        var result = [areas]
        for level in hierarchy.levelNames.indices.reversed() {
            let column = Edition.idColumn(of: hierarchy.levelNames[level])
            var table = Table(name: "supply_\(column.dropLast(3))", columns: [column] + Self.rateColumns + ["gap_areas"],
                              roles: Self.rateRoles.merging([column: .unit(level: level)]) { a, _ in a })
            var gaps: [String: Int] = [:]
            for i in areaIDs.indices where analysis.gap(area: i) {
                gaps[try hierarchy.parent(of: areaIDs[i], level: level), default: 0] += 1
            }
            for unit in try analysis.units(hierarchy: hierarchy, level: level) {
                table.append([.text(unit.id)] + Self.rateCells(unit) + [.integer(gaps[unit.id] ?? 0)])
            }
            table.append([.text(DisclosureControl.city)] + Self.rateCells(analysis.city) + [.integer(gaps.values.reduce(0, +))])
            result.append(table)
        }
        var list = Table(name: "facilities", columns: ["facility_id", "type", "capacity", "area_id"],
                         roles: ["facility_id": .key, "area_id": .areaID])
        for f in facilities {
            list.append([.text(f.id), .text(f.type), .value(f.capacity), .optional(f.area.map { areaIDs[$0] })])
        }
        result.append(list)
        return result + (try ScenarioComparison.tables(scenarios, hierarchy: hierarchy, withheld: withheld))
            + (location?.tables(withheld: withheld) ?? [])
    }
}
