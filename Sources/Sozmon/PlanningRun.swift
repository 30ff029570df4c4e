import AreaData
import Foundation
import Indicators
import Reporting
import SozmonIO
import Spatial

/// The planning views of a run: earlier periods carried over by a crosswalk, region profiles, need against supply.
extension RunJob {
    // MARK: - Crosswalk

    /// The panel extended by the periods of `[crosswalk].data` (old area system) that it lacks, and the table of how
    /// much of each carried value came through split old areas (`crosswalk.csv`).
    func extendedByCrosswalk(_ panel: Panel, warnings: inout [String])
        throws -> (Panel, Table?) {
        guard let c = config.crosswalk else { return (panel, nil) }
        let url = config.url(c.table)
        let table = try CSVTable(contentsOf: url, requiringRows: "crosswalk rows")
        let (old, new) = (try table.columnIndex(c.oldID), try table.columnIndex(c.newID))
        let weights = try table.numericColumn(c.weight)
        var entries: [Crosswalk.Entry] = []
        for (k, row) in table.rows.enumerated() {
            guard case .value(let w) = weights[k] else {
                throw InputError(file: url.path, line: table.lines[k], column: try table.columnIndex(c.weight) + 1,
                                 message: "the crosswalk weight of \(row[old]) → \(row[new]) is missing; expected a share in [0, 1]")
            }
            entries.append(.init(old: row[old], new: row[new], weight: w))
        }
        let crosswalk: Crosswalk
        do { crosswalk = try Crosswalk(entries, tolerance: c.tolerance) } catch {
            throw InputError(file: url.path, message: "\(error)")
        }
        let dataURL = config.url(c.data)
        let earlier = try readPanel(dataURL, dialect: c.dialect, repairingIDs: false)  // the old system's ids need not have today's length
        warnings += earlier.warnings
        let known = Set(crosswalk.oldIDs)
        let unknown = earlier.panel.areaIDs.filter { !known.contains($0) }
        if !unknown.isEmpty {
            warnings.append("\(url.path): \(unknown.count) areas of \(c.data) are not in the crosswalk; their values are "
                            + "not carried over (e.g. \(unknown.prefix(3).joined(separator: ", ")))")
        }
        let lacking = crosswalk.oldIDs.filter { earlier.panel.index(ofArea: $0) == nil }
        if !lacking.isEmpty {
            warnings.append("\(dataURL.path): \(lacking.count) old areas of the crosswalk are not in the data; the new "
                            + "areas they feed are missing (e.g. \(lacking.prefix(3).joined(separator: ", ")))")
        }
        let newKnown = Set(crosswalk.newIDs)
        let uncovered = panel.areaIDs.filter { !newKnown.contains($0) }
        if !uncovered.isEmpty {
            warnings.append("\(url.path): \(uncovered.count) areas of the table are not reached by the crosswalk; "
                            + "their earlier periods are missing (e.g. \(uncovered.prefix(3).joined(separator: ", ")))")
        }
        let counts = Set(c.counts + config.input.counts.values.flatMap(\.columns))
        let translation: Crosswalk.Translation
        let extended: Panel
        do {
            translation = try crosswalk.translate(earlier.panel, counts: counts)
            extended = try panel.extended(with: translation.panel)
        } catch { throw InputError(file: dataURL.path, message: "crosswalk: \(error)") }
        var report = Table(name: "crosswalk", columns: ["area_id", "period", "population", "share_through_split"])
        let own = Set(panel.periods)
        for (t, period) in translation.panel.periods.enumerated() where !own.contains(period) {
            for (j, id) in translation.panel.areaIDs.enumerated() where panel.index(ofArea: id) != nil {
                report.append([.text(id), .text(period.description),
                               .value(translation.panel.population?[t][j] ?? .nan), .value(translation.throughSplit[t][j])])
            }
        }
        return (extended, report)
    }

    // MARK: - Region profiles

    /// One `RegionProfiles` per configured level.
    func regionProfiles(_ inputs: Inputs, edition: Edition) throws -> [RegionProfiles] {
        guard let p = config.profiles else { return [] }
        let panel = inputs.panel
        let cityHierarchy = try AreaHierarchy(parents: Dictionary(uniqueKeysWithValues: panel.areaIDs.map { ($0, ["Stadt"]) }),
                                              levelNames: ["Stadt"])
        let city = try LevelSummary(areaIDs: edition.areaIDs, hierarchy: cityHierarchy, level: 0,
                                    population: edition.population, values: edition.indicatorValues, counts: edition.counts)
        guard let lowest = hierarchy.levelNames.last else {
            throw InputError(file: configURL.path, line: 0, message: "[profiles] needs a level above the areas; the hierarchy has none")
        }
        return try (p.levels ?? [lowest]).map { name in
            guard let level = hierarchy.levelNames.firstIndex(of: name) else {
                throw InputError(file: configURL.path, line: 0, message: "profiles.levels names \"\(name)\"; the levels are "
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
                series = RegionProfiles.Series(periods: panel.periods, level: levels, city: cities)
            }
            return RegionProfiles(edition: edition, level: level, city: city, series: series,
                                  disclosure: disclosureControl(edition))
        }
    }

    // MARK: - Need against supply

    func supplyReport(_ inputs: Inputs, edition: Edition) throws -> SupplyReport? {
        guard let s = config.supply else { return nil }
        let url = config.url(s.facilities)
        let table = try readTable(url, dialect: s.dialect, requiringRows: "facilities")
        let (idColumn, typeColumn) = (try table.columnIndex(s.id), try table.columnIndex(s.type))
        let capacity = try table.numericColumn(s.capacity)
        let capacityColumn = try table.columnIndex(s.capacity) + 1
        let areaIndex = Dictionary(uniqueKeysWithValues: edition.areaIDs.enumerated().map { ($1, $0) })

        // Where each facility lies: by id, or by point in polygon in the geometry's planar system.
        var locate: (Int) throws -> Int?
        if let column = s.areaID {
            let c = try table.columnIndex(column)
            locate = { k in
                let id = table.rows[k][c]
                guard let a = areaIndex[id] else {
                    throw InputError(file: url.path, line: table.lines[k], column: c + 1,
                                     message: "facility \(table.rows[k][idColumn]) names area \(id), which the table does not have")
                }
                return a
            }
        } else {
            guard let layer = inputs.geometry else {
                throw InputError(file: configURL.path, line: 0,
                                 message: "supply: facilities with coordinates need input.geometry to find their areas")
            }
            let planar = layer.projectedToMetres()
            guard case .epsg(let code) = planar.coordinateSystem else { return nil }
            let transform: (Point) -> Point
            if s.crs == .wgs84 && (25828...25838).contains(code) {
                transform = UTMProjection(zone: code - 25800).project
            } else if s.crs.epsg == code {
                transform = { $0 }
            } else {
                throw InputError(file: configURL.path, line: 0, message: "supply.crs is \(s.crs.rawValue) but the geometry is in "
                                 + "EPSG:\(code); give the facilities in EPSG:\(code) or, for an ETRS89/UTM geometry, "
                                 + "in EPSG:4326 (ogr2ogr can convert)")
            }
            let xs = try table.numericColumn(s.x!), ys = try table.numericColumn(s.y!)
            let locator = PointLocator(layer: planar, tolerance: 1e-3)
            locate = { k in
                guard case .value(let x) = xs[k], case .value(let y) = ys[k] else {
                    throw InputError(file: url.path, line: table.lines[k], message: "facility \(table.rows[k][idColumn]) has no coordinates")
                }
                return locator.area(containing: transform(Point(x: x, y: y))).flatMap { areaIndex[planar.areas[$0].id] }
            }
        }
        var facilities: [SupplyAnalysis.Facility] = [], firstLine: [String: Int] = [:]
        for (k, row) in table.rows.enumerated() {
            if let earlier = firstLine.updateValue(table.lines[k], forKey: row[idColumn]) {
                throw InputError(file: url.path, line: table.lines[k], column: idColumn + 1,
                                 message: "facility id '\(row[idColumn])' is used again (first on line \(earlier)); "
                                     + "each facility needs its own id, or it would be counted twice")
            }
        }
        for (k, row) in table.rows.enumerated() where s.types.map({ $0.contains(row[typeColumn]) }) ?? true {
            guard case .value(let c) = capacity[k], c >= 0 else {
                throw InputError(file: url.path, line: table.lines[k], column: capacityColumn,
                                 message: "facility \(row[idColumn]): expected a capacity ≥ 0")
            }
            facilities.append(.init(id: row[idColumn], type: row[typeColumn], capacity: c, area: try locate(k)))
        }

        let target: [Double]
        if let column = s.target {
            guard let j = edition.indicatorNames.firstIndex(of: column) else {
                throw InputError(file: configURL.path, line: 0, message: "supply.target names \(column); the table has "
                                 + edition.indicatorNames.joined(separator: ", "))
            }
            target = edition.areaIDs.indices.map { edition.indicatorValues[$0, j] }
        } else { target = edition.population }

        let highNeed: [Bool]
        if let name = s.needIndex, let index = edition.indices.first(where: { $0.definition.name == name }) {
            let labels = index.definition.classes?.classes.map(\.label) ?? []
            for label in s.needClasses where !labels.contains(label) {
                throw InputError(file: configURL.path, line: 0, message: "supply.need_classes has \"\(label)\"; index "
                                 + "\(name) has the classes \(labels.joined(separator: ", "))")
            }
            highNeed = index.classes.map { $0.map { s.needClasses.contains($0.label) } ?? false }
        } else {
            guard let name = s.needIndicator, let j = edition.indicatorNames.firstIndex(of: name) else {
                throw InputError(file: configURL.path, line: 0, message: "supply.need_indicator names "
                                 + "\(s.needIndicator ?? ""); the table has \(edition.indicatorNames.joined(separator: ", "))")
            }
            highNeed = edition.areaIDs.indices.map { edition.indicatorValues[$0, j] >= s.needThreshold! }
        }
        let analysis = SupplyAnalysis(areaIDs: edition.areaIDs, target: target, highNeed: highNeed,
                                      facilities: facilities, lowSupply: s.lowSupply)
        return SupplyReport(analysis: analysis, facilities: facilities, areaIDs: edition.areaIDs, hierarchy: hierarchy)
    }
}
