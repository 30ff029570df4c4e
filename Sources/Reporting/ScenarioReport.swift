import AreaData
import Indicators
import SozmonIO

/// A scenario of supply (`[[scenario]]`, or the sites `[locate]` chose) against the status quo: the same analysis
/// on the changed facilities (and target population), with the status quo's threshold of low supply.
public struct ScenarioComparison: Sendable {
    public struct CapacityChange: Sendable, Equatable {
        public let id: String
        public let from: Double
        public let to: Double
        public init(id: String, from: Double, to: Double) { self.id = id; self.from = from; self.to = to }
    }

    public let name: String
    public let before: SupplyAnalysis
    public let after: SupplyAnalysis
    public let added: [SupplyAnalysis.Facility]
    /// The added facilities' points, where they have some (for the GeoPackage).
    public let addedPoints: [Point?]
    public let closed: [SupplyAnalysis.Facility]
    public let changed: [CapacityChange]

    public init(name: String, before: SupplyAnalysis, after: SupplyAnalysis, added: [SupplyAnalysis.Facility],
                addedPoints: [Point?], closed: [SupplyAnalysis.Facility], changed: [CapacityChange]) {
        self.name = name; self.before = before; self.after = after; self.added = added; self.addedPoints = addedPoints
        self.closed = closed; self.changed = changed
    }

    /// Per area the change of supply (capacity per 1 000, reachable or in the area): after − before.
    public var change: [Double] { before.areas.indices.map { after.supply(area: $0) - before.supply(area: $0) } }

    /// The target population of the areas with high need and low supply (NaN counted as 0).
    static func peopleInGaps(_ analysis: SupplyAnalysis) -> Double {
        analysis.areas.indices.filter(analysis.gap(area:)).reduce(0) { $0 + (analysis.areas[$1].target.isNaN ? 0 : analysis.areas[$1].target) }
    }

    /// Changes of supply smaller than this (capacity per 1 000) are rounding, not a gain or a loss.
    static let tolerance = 1e-9

    /// The scenario tables: `scenario_areas` (per area and scenario), `scenario_<level>` (per unit, with the city),
    /// and `scenarios` (a row per scenario: what changes, areas gaining and losing, gap areas and the people in them
    /// before and after).
    /// - Parameter withheld: whether an area's target population is withheld by disclosure control; the people in
    ///   gap areas are then withheld too where such an area is among them (its count would follow by difference).
    public static func tables(_ scenarios: [ScenarioComparison], hierarchy: AreaHierarchy,
                              withheld: (String) -> Bool) throws -> [Table] {
        guard !scenarios.isEmpty else { return [] }
        let rates: [String: ColumnRole] = ["supply_before": .rate, "supply_after": .rate, "supply_change": .rate]
        var areas = Table(name: "scenario_areas", columns: ["area_id", "scenario", "target_population", "supply_before",
                                                            "supply_after", "supply_change", "low_supply_before",
                                                            "low_supply_after", "gap_before", "gap_after"],
                          roles: rates.merging(["area_id": .areaID, "scenario": .key,
                                                "target_population": .count(of: "target_population")]) { a, _ in a })
        var summary = Table(name: "scenarios", columns: ["scenario", "facilities_added", "facilities_closed",
                                                         "capacities_changed", "capacity_change", "areas_gaining",
                                                         "areas_losing", "gap_areas_before", "gap_areas_after",
                                                         "gap_target_before", "gap_target_after"],
                            roles: ["scenario": .key])
        for s in scenarios {
            let change = s.change
            for (i, unit) in s.after.areas.enumerated() {
                areas.append([.text(unit.id), .text(s.name), .value(unit.target), .value(s.before.supply(area: i)),
                              .value(s.after.supply(area: i)), .value(change[i]), .bool(s.before.lowSupply(area: i)),
                              .bool(s.after.lowSupply(area: i)), .bool(s.before.gap(area: i)), .bool(s.after.gap(area: i))])
            }
            let gapsBefore = s.before.areas.indices.filter(s.before.gap(area:)), gapsAfter = s.after.areas.indices.filter(s.after.gap(area:))
            let secret = (gapsBefore + gapsAfter).contains { withheld(s.before.areas[$0].id) }
            let capacityChange = s.after.city.capacity - s.before.city.capacity
            summary.append([.text(s.name), .integer(s.added.count), .integer(s.closed.count), .integer(s.changed.count),
                            .value(capacityChange), .integer(change.count { $0 > tolerance }),
                            .integer(change.count { $0 < -tolerance }), .integer(gapsBefore.count), .integer(gapsAfter.count),
                            secret ? .text(DisclosureControl.symbol) : .value(peopleInGaps(s.before)),
                            secret ? .text(DisclosureControl.symbol) : .value(peopleInGaps(s.after))])
        }
        var result = [areas]
        for level in hierarchy.levelNames.indices.reversed() {
            let column = Edition.idColumn(of: hierarchy.levelNames[level])
            var table = Table(name: "scenario_\(column.dropLast(3))",
                              columns: [column, "scenario", "target_population", "capacity_before", "capacity_after",
                                        "supply_before", "supply_after", "supply_change", "gap_areas_before", "gap_areas_after"],
                              roles: rates.merging([column: .unit(level: level), "scenario": .key,
                                                    "target_population": .count(of: "target_population")]) { a, _ in a })
            for s in scenarios {
                let before = try s.before.units(hierarchy: hierarchy, level: level) + [s.before.city]
                let after = try s.after.units(hierarchy: hierarchy, level: level) + [s.after.city]
                var gaps: [String: (Int, Int)] = [:]
                for i in s.before.areas.indices {
                    let unit = try hierarchy.parent(of: s.before.areas[i].id, level: level)
                    let (b, a) = gaps[unit] ?? (0, 0)
                    gaps[unit] = (b + (s.before.gap(area: i) ? 1 : 0), a + (s.after.gap(area: i) ? 1 : 0))
                }
                let total = gaps.values.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
                for (b, a) in zip(before, after) {
                    let id = b.id == "city" ? DisclosureControl.city : b.id
                    let (gb, ga) = b.id == "city" ? total : gaps[b.id] ?? (0, 0)
                    table.append([.text(id), .text(s.name), .value(a.target), .value(b.capacity), .value(a.capacity),
                                  .value(b.capacityPer1000), .value(a.capacityPer1000),
                                  .value(a.capacityPer1000 - b.capacityPer1000), .integer(gb), .integer(ga)])
                }
            }
            result.append(table)
        }
        return result + [summary]
    }
}
