import AreaData
import Foundation
import Indicators
import Reporting
import SozmonIO
import Spatial

/// Need against supply (`[supply]`).
struct SupplyStep: RunStep {
    let context: RunContext

    /// Need against supply, its scenarios and the location of new sites, or `nil` without `[supply]`.
    func run(_ inputs: InputSet, edition: Edition) throws -> SupplyReport? {
        guard let s = config.supply else { return nil }
        guard let (facilities, points) = try facilities(s, inputs: inputs, edition: edition) else { return nil }
        let target: [Double]
        if let column = s.target {
            guard let j = edition.indicatorNames.firstIndex(of: column) else {
                throw config.error(at: "supply.target", "supply.target names \(column); the table has "
                                 + edition.indicatorNames.joined(separator: ", "))
            }
            target = edition.areaIDs.indices.map { edition.indicatorValues[$0, j] }
        } else { target = edition.population }
        let highNeed = try highNeed(s.need, edition: edition)
        let statusQuo = FacilitySet(facilities: facilities, points: points)
        let analysis = try analyse(statusQuo, target: target, highNeed: highNeed, lowSupply: s.lowSupply, inputs: inputs,
                                   edition: edition)
        var report = SupplyReport(analysis: analysis, facilities: facilities, areaIDs: edition.areaIDs, hierarchy: hierarchy,
                                  points: points, pointSystem: inputs.geometry?.projectedToMetres().coordinateSystem)
        let planning = PlanningStep(context: context, supply: self, inputs: inputs, edition: edition,
                                    areaIndex: Dictionary(uniqueKeysWithValues: edition.areaIDs.enumerated().map { ($1, $0) }),
                                    statusQuo: statusQuo, before: analysis, target: target, highNeed: highNeed)
        report.location = try planning.location()
        report.scenarios = try planning.scenarios(adding: report.location)
        return report
    }

    /// Facilities and their points (in the geometry's planar system, where known).
    struct FacilitySet {
        var facilities: [SupplyAnalysis.Facility]
        var points: [Point?]
    }

    /// The analysis of `supply` for the target population and high need given (a scenario keeps the status quo's
    /// threshold of low supply, so that a change of supply does not move the bar).
    func analyse(_ supply: FacilitySet, target: [Double], highNeed: [Bool], lowSupply: Double?, inputs: InputSet,
                 edition: Edition) throws -> SupplyAnalysis {
        let s = config.supply!
        return SupplyAnalysis(areaIDs: edition.areaIDs, target: target, highNeed: highNeed, facilities: supply.facilities,
                              lowSupply: lowSupply,
                              access: try access(s, inputs: inputs, edition: edition, target: target,
                                                 facilities: supply.facilities, points: supply.points))
    }

    /// The facilities of the types asked for, each in its area, and their points in the geometry's planar system
    /// (where they have coordinates, for the catchments); `nil` where the geometry has no planar system to place
    /// them in.
    func facilities(_ s: RunConfig.Supply, inputs: InputSet, edition: Edition) throws
        -> (facilities: [SupplyAnalysis.Facility], points: [Point?])? {
        let url = config.url(s.facilities)
        let table = try readTable(url, dialect: s.dialect, requiringRows: "facilities")
        let (idColumn, typeColumn) = (try table.columnIndex(s.id), try table.columnIndex(s.type))
        let capacity = try table.numericColumn(s.capacity)
        let capacityColumn = try table.columnIndex(s.capacity) + 1
        var firstLine: [String: Int] = [:]
        for (k, row) in table.rows.enumerated() {
            if let earlier = firstLine.updateValue(table.lines[k], forKey: row[idColumn]) {
                throw InputError(file: url.path, line: table.lines[k], column: idColumn + 1,
                                 message: "facility id '\(row[idColumn])' is used again (first on line \(earlier)); "
                                     + "each facility needs its own id, or it would be counted twice")
            }
        }
        var points = [Point?](repeating: nil, count: table.rows.count)
        guard let locate = try locator(s, table: table, url: url, inputs: inputs, edition: edition) else { return nil }
        var facilities: [SupplyAnalysis.Facility] = [], facilityPoints: [Point?] = []
        for (k, row) in table.rows.enumerated() where s.types.map({ $0.contains(row[typeColumn]) }) ?? true {
            guard case .value(let c) = capacity[k], c >= 0 else {
                throw InputError(file: url.path, line: table.lines[k], column: capacityColumn,
                                 message: "facility \(row[idColumn]): expected a capacity ≥ 0")
            }
            facilities.append(.init(id: row[idColumn], type: row[typeColumn], capacity: c, area: try locate(k, &points)))
            facilityPoints.append(points[k])
        }
        return (facilities, facilityPoints)
    }

    /// Where each facility (by row) lies: by its area id, or by point in polygon in the geometry's planar system
    /// (storing its point); `nil` where the geometry has no planar system.
    func locator(_ s: RunConfig.Supply, table: CSVTable, url: URL, inputs: InputSet, edition: Edition) throws
        -> ((Int, inout [Point?]) throws -> Int?)? {
        let areaIndex = Dictionary(uniqueKeysWithValues: edition.areaIDs.enumerated().map { ($1, $0) })
        let idColumn = try table.columnIndex(s.id)
        switch s.location {
        case .area(let column):
            let c = try table.columnIndex(column)
            return { k, _ in
                let id = table.rows[k][c]
                guard let a = areaIndex[id] else {
                    throw InputError(file: url.path, line: table.lines[k], column: c + 1,
                                     message: "facility \(table.rows[k][idColumn]) names area \(id), which the table does not have")
                }
                return a
            }
        case .point(let xColumn, let yColumn):
            guard let placer = try placer(s, inputs: inputs, edition: edition, key: "supply.x") else { return nil }
            let xs = try table.numericColumn(xColumn), ys = try table.numericColumn(yColumn)
            return { k, points in
                guard case .value(let x) = xs[k], case .value(let y) = ys[k] else {
                    throw InputError(file: url.path, line: table.lines[k], message: "facility \(table.rows[k][idColumn]) has no coordinates")
                }
                let (point, area) = placer.place(Point(x: x, y: y))
                points[k] = point
                return area
            }
        }
    }

    /// Points given in `supply.crs`, placed in the geometry's planar system and in their areas (point in polygon).
    struct Placer {
        let transform: (Point) -> Point
        let locator: PointLocator
        let layer: GeometryLayer
        let areaIndex: [String: Int]

        /// The point in the planar system and the index of the edition's area it lies in (nil: none).
        func place(_ point: Point) -> (point: Point, area: Int?) {
            let planar = transform(point)
            return (planar, locator.area(containing: planar).flatMap { areaIndex[layer.areas[$0].id] })
        }
    }

    /// The placer of `supply.crs` into the geometry; `nil` where the geometry has no planar EPSG system.
    /// - Throws: without a geometry (naming `key`), or where `supply.crs` cannot be converted to the geometry's.
    func placer(_ s: RunConfig.Supply, inputs: InputSet, edition: Edition, key: String) throws -> Placer? {
        guard let layer = inputs.geometry else {
            throw config.error(at: key, "\(key): points need input.geometry to find their areas")
        }
        let planar = layer.projectedToMetres()
        guard case .epsg(let code) = planar.coordinateSystem else { return nil }
        let transform: (Point) -> Point
        if s.crs == .wgs84 && (25828...25838).contains(code) {
            transform = UTMProjection(zone: code - 25800).project
        } else if s.crs.epsg == code {
            transform = { $0 }
        } else {
            throw config.error(at: "supply.crs", "supply.crs is \(s.crs.rawValue) but the geometry is in "
                             + "EPSG:\(code); give the points in EPSG:\(code) or, for an ETRS89/UTM geometry, "
                             + "in EPSG:4326 (ogr2ogr can convert)")
        }
        return Placer(transform: transform, locator: PointLocator(layer: planar, tolerance: 1e-3), layer: planar,
                      areaIndex: Dictionary(uniqueKeysWithValues: edition.areaIDs.enumerated().map { ($1, $0) }))
    }

    /// Per area, whether its need is high: in the classes of the index, or the indicator at or above the threshold.
    func highNeed(_ need: RunConfig.HighNeed, edition: Edition) throws -> [Bool] {
        switch need {
        case .indexClasses(let name, let classes):
            guard let index = edition.indices.first(where: { $0.definition.name == name }) else {
                throw config.error(at: "supply.need_index", "supply.need_index names \(name), which is not an index")
            }
            let labels = index.definition.classes?.classes.map(\.label) ?? []
            for label in classes where !labels.contains(label) {
                throw config.error(at: "supply.need_classes", "supply.need_classes has \"\(label)\"; index "
                                 + "\(name) has the classes \(labels.joined(separator: ", "))")
            }
            return index.classes.map { $0.map { classes.contains($0.label) } ?? false }
        case .indicator(let name, let threshold):
            guard let j = edition.indicatorNames.firstIndex(of: name) else {
                throw config.error(at: "supply.need_indicator", "supply.need_indicator names "
                                 + "\(name); the table has \(edition.indicatorNames.joined(separator: ", "))")
            }
            return edition.areaIDs.indices.map { edition.indicatorValues[$0, j] >= threshold }
        }
    }

    /// Capacity per 1 000 reachable by the floating catchment of `method`, or nil for `area`: areas at their
    /// centroids in the geometry's planar system, facilities at their coordinates (else at their area's centroid).
    func access(_ s: RunConfig.Supply, inputs: InputSet, edition: Edition, target: [Double],
                facilities: [SupplyAnalysis.Facility], points: [Point?]) throws -> [Double]? {
        guard s.method != .area, let radius = s.radius else { return nil }
        guard let layer = inputs.geometry?.projectedToMetres() else {
            throw config.error(at: "supply.method", "supply.method = \"\(s.method.rawValue)\" needs input.geometry "
                             + "(the areas' centroids)")
        }
        let areas = centroids(layer, edition: edition)
        let located = facilities.indices.compactMap { k -> (Point, Double)? in
            guard let point = points[k] ?? facilities[k].area.map({ areas[$0] }), !point.x.isNaN else { return nil }
            return (point, facilities[k].capacity)
        }
        return CatchmentAccess.perThousand(areas: areas, target: target, facilities: located.map(\.0),
                                           capacity: located.map(\.1), radius: radius,
                                           decay: s.method == .enhancedTwoStep ? .gaussian : .none)
    }

    /// Each area's centroid in the planar layer (NaN where the geometry lacks the area).
    func centroids(_ layer: GeometryLayer, edition: Edition) -> [Point] {
        let centroid = Dictionary(layer.areas.map { ($0.id, $0.centroid) }, uniquingKeysWith: { first, _ in first })
        return edition.areaIDs.map { centroid[$0] ?? Point(x: .nan, y: .nan) }
    }
}
