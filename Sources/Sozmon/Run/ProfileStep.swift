import AreaData
import Foundation
import Indicators
import Reporting
import SozmonIO
import Spatial

/// The region profiles of `[profiles]`.
struct ProfileStep: RunStep {
    let context: RunContext

    /// One `RegionProfiles` per configured level (none without `[profiles]`).
    func run(_ inputs: InputSet, edition: Edition, similar: SimilarReport? = nil) throws -> [RegionProfiles] {
        guard let p = config.profiles else { return [] }
        let panel = inputs.panel
        let cityHierarchy = try AreaHierarchy(parents: Dictionary(uniqueKeysWithValues: panel.areaIDs.map { ($0, ["Stadt"]) }),
                                              levelNames: ["Stadt"])
        let city = try LevelSummary(areaIDs: edition.areaIDs, hierarchy: cityHierarchy, level: 0,
                                    population: edition.population, values: edition.indicatorValues, counts: edition.counts,
                                    sums: Set(edition.indicatorNames.indices.filter { edition.countColumns.contains(edition.indicatorNames[$0]) }))
        guard let lowest = hierarchy.levelNames.last else {
            throw config.error(at: "profiles", "[profiles] needs a level above the areas; the hierarchy has none")
        }
        return try (p.levels ?? [lowest]).map { name in
            guard let level = hierarchy.levelNames.firstIndex(of: name) else {
                throw config.error(at: "profiles.levels", "profiles.levels names \"\(name)\"; the levels are "
                                 + hierarchy.levelNames.joined(separator: ", "))
            }
            var series: RegionProfiles.Series?
            if let population = panel.population, panel.periods.count >= 2 {
                let levels = try panel.periods.indices.map { t in
                    try LevelSummary(areaIDs: panel.areaIDs, hierarchy: hierarchy, level: level,
                                     population: population[t], values: panel.values[t])
                }
                let cities = try panel.periods.indices.map { t in
                    try LevelSummary(areaIDs: panel.areaIDs, hierarchy: cityHierarchy, level: 0,
                                     population: population[t], values: panel.values[t])
                }
                series = RegionProfiles.Series(periods: panel.periods, level: levels, city: cities, recut: inputs.recut)
            }
            return RegionProfiles(edition: edition, level: level, city: city, series: series,
                                  disclosure: disclosureControl(edition), catalogue: config.catalogue(period: edition.period),
                                  similar: similar, alpha: config.trends?.alpha ?? RunConfig.defaultAlpha)
        }
    }
}
