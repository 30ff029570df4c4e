import AreaData
import Foundation
import Reporting
import Spatial
import SozmonIO

/// Emerging hot spots (`[hotspots]`) of the variables over every period of their table.
struct HotSpotStep: RunStep {
    let context: RunContext

    /// The hot spot report and its warnings, or `nil` without `[hotspots]`. Areas without a value in some period are
    /// left out of that variable's analysis, with the links to them (as `[spatial]` leaves out areas without a value).
    /// - Parameter tables: the tables other sections read (the quarterly table of `[trends]` is not read again).
    func run(_ inputs: InputSet, tables: SectionTables = SectionTables(), timings: Timings = Timings()) throws
        -> (report: HotSpotReport, warnings: [String])? {
        guard let settings = config.hotspots else { return nil }
        let panel = try timings.measure("hotspots: read table") {
            try sectionPanel(settings.table, dialect: settings.dialect, resampling: settings.resampling, section: "[hotspots]",
                             inputs: inputs, tables: tables)
        }
        guard let first = panel.periods.first, let last = panel.periods.last, panel.periods.count >= 3 else {
            throw config.error(at: "hotspots.table", "[hotspots] needs a table with at least 3 periods; "
                             + "\(settings.table ?? config.input.table) has \(panel.periods.count)")
        }
        let spatial = SpatialStep(context: context)
        let weights = try timings.measure("hotspots: weights") {
            try spatial.weights(config.neighbourWeights.weights, inputs: inputs, ids: panel.areaIDs)
        }
        var variables: [HotSpotReport.Variable] = [], warnings: [String] = []
        for name in settings.variables {
            guard let j = panel.indicators.firstIndex(of: name) else {
                throw config.error(at: "hotspots.variables", "[hotspots] names indicator '\(name)', which the table does "
                                 + "not have (columns: \(panel.indicators.joined(separator: ", ")))")
            }
            let complete = panel.areaIDs.indices.filter { i in
                panel.periods.indices.allSatisfy { !panel.value(area: i, indicator: j, period: $0).isNaN }
            }
            if complete.count < panel.areaIDs.count {
                let left = Set(complete)
                let example = panel.areaIDs.indices.filter { !left.contains($0) }.prefix(3).map { panel.areaIDs[$0] }
                warnings.append("[hotspots] \(name): \(panel.areaIDs.count - complete.count) areas lack a value in some period "
                                + "and are left out (e.g. \(example.joined(separator: ", ")))")
            }
            let values = panel.periods.indices.map { t in complete.map { panel.value(area: $0, indicator: j, period: t) } }
            do {
                let result = try timings.measure("hotspots: \(name)") {
                    let cube = try SpaceTimeGetisOrd(values, weights: weights.subset(complete), timeWindow: settings.timeWindow,
                                                     permutations: settings.permutations, seed: settings.seed)
                    return try EmergingHotSpots(cube, alpha: settings.alpha)
                }
                variables.append(HotSpotReport.Variable(name: name, areaIDs: complete.map { panel.areaIDs[$0] }, result: result))
            } catch {
                throw config.error(at: "hotspots.variables", "[hotspots] \(name): \(error)")
            }
        }
        return (HotSpotReport(variables: variables, first: first, last: last, timeWindow: settings.timeWindow,
                              permutations: settings.permutations), warnings)
    }
}
