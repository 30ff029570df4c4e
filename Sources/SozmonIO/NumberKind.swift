/// How a column's numbers are shown to a reader, decided by what the column holds (docs/report.md, "Numbers"): counts
/// whole, probabilities to three decimals (smaller ones as "< 0,001"), indicators with their catalogue's decimals,
/// z-values and index values with two, other statistics with three on a page (General in the workbook, where a slope
/// of 0.0123 must keep its digits). Every cell of a column has the same decimals.
public enum NumberKind: Equatable, Sendable {
    case count
    case probability
    case decimals(Int)
    case statistic

    /// Columns of whole numbers that are not counts of people: numbers of areas, ranks, permutations, seeds, k.
    static let wholeNumbers: Set<String> = ["areas", "n", "permutations", "seed", "rank", "rank_in_district", "k", "cluster",
                                            "facilities", "units", "gap_areas", "row",
                                            // Planning (#32): facilities, places, areas and sites counted.
                                            "facilities_added", "facilities_closed", "capacities_changed", "capacity_change",
                                            "capacity_before", "capacity_after", "areas_gaining", "areas_losing",
                                            "gap_areas_before", "gap_areas_after", "gap_target_before", "gap_target_after",
                                            "new_sites", "existing_sites", "areas_served"]
    /// Metres and sums of people weighted by a share (planning): shown whole.
    static let wholeMeasures: Set<String> = ["radius", "x", "y", "distance_before", "distance_after", "mean_distance_before",
                                             "mean_distance_after", "demand", "demand_served", "served_before", "served_after",
                                             "objective", "bound"]

    /// The kind of column `j` of `table`; `catalogueDecimals` are those of an indicator column.
    public init(_ table: Table, column j: Int, catalogueDecimals: Int? = nil) {
        let code = table.columns[j]
        switch table.roles[j] {
        case .count, .classPopulation: self = .count; return
        case .zValue, .index: self = .decimals(2); return
        default: break
        }
        if code.hasPrefix("p_") || code.hasPrefix("q_") || code == "p_sim" || code.hasSuffix("_p") {
            self = .probability
        } else if Self.wholeNumbers.contains(code) || code.hasSuffix("_areas") || code.hasSuffix("_population")
                    || code == "population" || code == "capacity" || code == "target_population" {
            self = .count
        } else if Self.wholeMeasures.contains(code) {
            self = .decimals(0)
        } else if let catalogueDecimals {
            self = .decimals(catalogueDecimals)
        } else if code.hasPrefix("z_") || code.hasSuffix("_z") || code.hasSuffix("_value") || code.hasSuffix("_sum") || code == "z" {
            self = .decimals(2)
        } else {
            self = .statistic
        }
    }

    /// The decimals shown.
    public var decimals: Int {
        switch self {
        case .count: 0
        case .probability: 3
        case .decimals(let d): d
        case .statistic: 3
        }
    }
}
