import AreaData
import LinearAlgebra

/// Areas aggregated to a higher level of the hierarchy (Bezirksregion, Prognoseraum, Bezirk): how many areas and
/// inhabitants it has, and its indicator shares. (Counts per class are the report's: `Reporting`.)
///
/// Shares of a level come from counts where the input has them, `100 · Σ numeratorᵢ / Σ denominatorᵢ` over areas with
/// both (docs/methods.md §2, step 8), else they are population-weighted means of its areas' shares, `Σ pᵢ xᵢ / Σ pᵢ` over areas
/// with a value; areas without population count with weight 0.
public struct LevelSummary: Sendable {
    public struct Unit: Sendable {
        public let id: String
        public let areaCount: Int
        public let population: Double
        /// Population-weighted mean of each indicator (from counts, or the sum of a count column).
        public let indicatorMeans: [Double]
    }

    public let levelName: String
    /// The units, sorted by id.
    public let units: [Unit]

    /// The unit with `id` (binary search: units are sorted).
    public func unit(_ id: String) -> Unit? {
        var low = 0, high = units.count
        while low < high {
            let mid = (low + high) / 2
            if units[mid].id < id { low = mid + 1 } else { high = mid }
        }
        return low < units.count && units[low].id == id ? units[low] : nil
    }

    /// Counts behind a share: per area the numerator and denominator (share = 100 · numerator / denominator).
    public struct Counts: Sendable {
        public let numerator: [Double]
        public let denominator: [Double]
        public init(numerator: [Double], denominator: [Double]) {
            self.numerator = numerator
            self.denominator = denominator
        }
    }

    /// Summarises `values` (areas × indicators) at `level` of `hierarchy`; `counts[j]`, where given, aggregates
    /// indicator j from counts; the indicators in `sums` (counts of people themselves) are summed, `Σ xᵢ` over areas
    /// with a value (a population-weighted mean of a count would give a small one back).
    /// - Throws: `AreaDataError.unknownArea` when an id has no parent at that level.
    public init(areaIDs: [String], hierarchy: AreaHierarchy, level: Int, population: [Double],
                values: Matrix, counts: [Int: Counts] = [:], sums: Set<Int> = []) throws(AreaDataError) {
        levelName = hierarchy.levelNames[level]
        var order: [String] = [], members: [String: [Int]] = [:]
        for (i, id) in areaIDs.enumerated() {
            let parent = try hierarchy.parent(of: id, level: level)
            if members[parent] == nil { order.append(parent) }
            members[parent, default: []].append(i)
        }
        units = order.sorted().map { id in
            let areas = members[id]!
            let people = areas.reduce(0.0) { $0 + (population[$1].isNaN ? 0 : population[$1]) }
            let means = (0..<values.columns).map { j -> Double in
                if let c = counts[j] {
                    var numerator = 0.0, denominator = 0.0
                    for i in areas where !c.numerator[i].isNaN && !c.denominator[i].isNaN {
                        numerator += c.numerator[i]; denominator += c.denominator[i]
                    }
                    return denominator > 0 ? 100 * numerator / denominator : .nan
                }
                if sums.contains(j) {
                    let present = areas.filter { !values[$0, j].isNaN }
                    return present.isEmpty ? .nan : present.reduce(0.0) { $0 + values[$1, j] }
                }
                var sum = 0.0, weights = 0.0
                for i in areas where !values[i, j].isNaN && !population[i].isNaN {
                    sum += population[i] * values[i, j]; weights += population[i]
                }
                return weights > 0 ? sum / weights : .nan
            }
            return Unit(id: id, areaCount: areas.count, population: people, indicatorMeans: means)
        }
    }
}
