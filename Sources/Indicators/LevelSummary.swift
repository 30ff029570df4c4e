import AreaData
import LinearAlgebra

/// Areas aggregated to a higher level of the hierarchy (Bezirksregion, Prognoseraum, Bezirk): how many areas and
/// inhabitants fall in each class, and the indicator shares of the level.
///
/// Shares of a level are population-weighted means of its areas' shares, `Σ pᵢ xᵢ / Σ pᵢ` over areas with a value
/// (the published rule where counts are not given); areas without population count with weight 0.
public struct LevelSummary: Sendable {
    public struct Unit: Sendable {
        public let id: String
        public let areaCount: Int
        public let population: Double
        /// Areas per class label (absent labels: 0), plus `""` for unclassified areas.
        public let areasByClass: [String: Int]
        public let populationByClass: [String: Double]
        /// Population-weighted mean of each indicator.
        public let indicatorMeans: [Double]
    }

    public let levelName: String
    public let units: [Unit]

    /// Summarises `values` (areas × indicators) and the areas' `classLabels` at `level` of `hierarchy`.
    /// - Throws: `AreaDataError.unknownArea` when an id has no parent at that level.
    public init(areaIDs: [String], hierarchy: AreaHierarchy, level: Int, population: [Double],
                classLabels: [String?], values: Matrix) throws(AreaDataError) {
        levelName = hierarchy.levelNames[level]
        var order: [String] = [], members: [String: [Int]] = [:]
        for (i, id) in areaIDs.enumerated() {
            let parent = try hierarchy.parent(of: id, level: level)
            if members[parent] == nil { order.append(parent) }
            members[parent, default: []].append(i)
        }
        units = order.sorted().map { id in
            let areas = members[id]!
            var byClass: [String: Int] = [:], peopleByClass: [String: Double] = [:]
            var people = 0.0
            for i in areas {
                let weight = population[i].isNaN ? 0 : population[i]
                people += weight
                let label = classLabels[i] ?? ""
                byClass[label, default: 0] += 1
                peopleByClass[label, default: 0] += weight
            }
            let means = (0..<values.columns).map { j -> Double in
                var sum = 0.0, weights = 0.0
                for i in areas where !values[i, j].isNaN && !population[i].isNaN {
                    sum += population[i] * values[i, j]; weights += population[i]
                }
                return weights > 0 ? sum / weights : .nan
            }
            return Unit(id: id, areaCount: areas.count, population: people, areasByClass: byClass,
                        populationByClass: peopleByClass, indicatorMeans: means)
        }
    }
}
