import AreaData
import Foundation
import Indicators
import LocationAllocation
import Reporting
import SozmonIO

/// `[[scenario]]` and `[locate]`: changes of supply, each analysed as the status quo of `[supply]` is and compared
/// with it; the sites `[locate]` chooses become a scenario of their own.
struct PlanningStep: RunStep {
    let context: RunContext
    let supply: SupplyStep
    let inputs: InputSet
    let edition: Edition
    /// Each area's index in the edition, by id.
    let areaIndex: [String: Int]
    let statusQuo: SupplyStep.FacilitySet
    let before: SupplyAnalysis
    let target: [Double]
    let highNeed: [Bool]

    /// The scenarios of the config, then the one of the location's new sites.
    func scenarios(adding location: LocationReport?) throws -> [ScenarioComparison] {
        var result = try config.scenarios.enumerated().map { try scenario($1, path: "scenario[\($0 + 1)]") }
        if let location, let locate = config.locate {
            let new = location.sites.filter(\.isNew)
            let added = new.map {
                SupplyAnalysis.Facility(id: "neu-\($0.id)", type: locate.type, capacity: locate.capacity,
                                        area: $0.areaID.flatMap { areaIndex[$0] })
            }
            result.append(try compare(locate.scenarioName, SupplyStep.FacilitySet(facilities: statusQuo.facilities + added,
                                                                                    points: statusQuo.points + new.map(\.point)),
                                      target: target, added: added, addedPoints: new.map(\.point), closed: [], changed: []))
        }
        return result
    }

    func compare(_ name: String, _ changed: SupplyStep.FacilitySet, target: [Double], added: [SupplyAnalysis.Facility],
                 addedPoints: [Point?], closed: [SupplyAnalysis.Facility], changed capacities: [ScenarioComparison.CapacityChange])
        throws -> ScenarioComparison {
        let after = try supply.analyse(changed, target: target, highNeed: highNeed, lowSupply: before.lowSupply, inputs: inputs,
                                       edition: edition)
        return ScenarioComparison(name: name, before: before, after: after, added: added, addedPoints: addedPoints,
                                  closed: closed, changed: capacities)
    }

    /// One `[[scenario]]`: its facilities closed, changed and added, and its target population.
    func scenario(_ s: RunConfig.Scenario, path: String) throws -> ScenarioComparison {
        var facilities = statusQuo.facilities
        let index = Dictionary(facilities.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        func known(_ id: String, key: String) throws -> Int {
            guard let k = index[id] else {
                throw config.error(at: "\(path).\(key)", "scenario \"\(s.name)\" names facility \(id), which is not among the "
                                 + "facilities of [supply]" + (config.supply?.types.map { " (types \($0.joined(separator: ", ")))" } ?? ""))
            }
            return k
        }
        let closed = Set(try s.close.map { try known($0, key: "close") })
        var changes: [ScenarioComparison.CapacityChange] = []
        for (id, capacity) in s.capacity.sorted(by: { $0.key < $1.key }) {
            let k = try known(id, key: "capacity")
            if closed.contains(k) {
                throw config.error(at: "\(path).capacity", "scenario \"\(s.name)\" both closes facility \(id) and changes its capacity")
            }
            changes.append(.init(id: id, from: facilities[k].capacity, to: capacity))
            let f = facilities[k]
            facilities[k] = .init(id: f.id, type: f.type, capacity: capacity, area: f.area)
        }
        // Points are placed by one point locator for all of the scenario's facilities (made only when one has coordinates).
        let placer = s.add.contains { if case .point = $0.location { true } else { false } }
            ? try supply.placer(config.supply!, inputs: inputs, edition: edition, key: "\(path).add") : nil
        var added: [SupplyAnalysis.Facility] = [], addedPoints: [Point?] = []
        for f in s.add {
            if index[f.id] != nil {
                throw config.error(at: "\(path).add", "scenario \"\(s.name)\" adds facility \(f.id), but the facilities table has that id")
            }
            switch f.location {
            case .area(let id):
                guard let a = areaIndex[id] else {
                    throw config.error(at: "\(path).add", "scenario \"\(s.name)\" adds facility \(f.id) in area \(id), which the table does not have")
                }
                added.append(.init(id: f.id, type: f.type, capacity: f.capacity, area: a))
                addedPoints.append(nil)
            case .point(let x, let y):
                guard let placer else {
                    throw config.error(at: "\(path).add", "scenario \"\(s.name)\": the geometry has no EPSG system to place facility \(f.id) in")
                }
                let (point, area) = placer.place(Point(x: x, y: y))
                added.append(.init(id: f.id, type: f.type, capacity: f.capacity, area: area))
                addedPoints.append(point)
            }
        }
        let kept = facilities.indices.filter { !closed.contains($0) }
        let changed = SupplyStep.FacilitySet(facilities: kept.map { facilities[$0] } + added,
                                        points: kept.map { statusQuo.points[$0] } + addedPoints)
        return try compare(s.name, changed, target: try s.population.map { try forecast(s, path: path, file: $0) } ?? target,
                           added: added, addedPoints: addedPoints, closed: closed.sorted().map { statusQuo.facilities[$0] },
                           changed: changes)
    }

    /// The target population of a scenario's forecast table; areas it does not list keep the status quo's.
    func forecast(_ s: RunConfig.Scenario, path: String, file: String) throws -> [Double] {
        let url = config.url(file)
        let table = try readTable(url, dialect: RunConfig.DialectOverride(), requiringRows: "areas")
        let idColumn = try table.columnIndex(s.populationAreaID ?? config.input.areaID)
        let name = s.populationColumn ?? config.supply?.target ?? config.input.population ?? ""
        let column = try table.columnIndex(name), values = try table.numericColumn(name)
        var result = target, seen: [String: Int] = [:]
        for (k, row) in table.rows.enumerated() {
            let id = row[idColumn]
            guard let a = areaIndex[id] else {
                throw InputError(file: url.path, line: table.lines[k], column: idColumn + 1,
                                 message: "area \(id) is not in the indicator table (scenario \"\(s.name)\")")
            }
            if let earlier = seen.updateValue(table.lines[k], forKey: id) {
                throw InputError(file: url.path, line: table.lines[k], column: idColumn + 1,
                                 message: "area \(id) is listed again (first on line \(earlier))")
            }
            guard case .value(let v) = values[k], v >= 0 else {
                throw InputError(file: url.path, line: table.lines[k], column: column + 1,
                                 message: "area \(id): expected a population ≥ 0 in column \(name)")
            }
            result[a] = v
        }
        return result
    }
}
