import AreaData
import Foundation
import GeoPackage
import Reporting
import SozmonIO
import Spatial

/// `results.gpkg`: the areas layer with every `areas.csv` column and the report's class maps as QGIS styles (the
/// first classified index is the default), a layer per level with its summary (a unit drawn as its outline, the
/// exact merge of its areas' shared edges, or as its areas' polygons where they do not share their vertices), the
/// facilities as points where the input gives their coordinates, and every other published table as an attribute
/// table.
struct GeoPackageLayers {
    let edition: Edition
    let geometry: GeometryLayer
    let published: ReportStep.PublishedTables
    let supply: SupplyReport?

    func write(to url: URL, tables: [Table]) throws {
        let writer = try GeoPackageWriter(path: url.path, coordinateSystem: geometry.coordinateSystem,
                                          suppressedSymbol: DisclosureControl.symbol)
        let shapes = Dictionary(geometry.areas.map { ($0.id, $0.polygons) }, uniquingKeysWith: { first, _ in first })
        try writer.addLayer(published.areas, geometry: { shapes[$0] }, styles: styles)
        for (summary, table) in zip(edition.summaries, published.summaries) {
            guard let level = edition.levelNames.firstIndex(of: summary.levelName) else { continue }
            var units: [String: [Polygon]] = [:]
            for (i, id) in edition.areaIDs.enumerated() { units[edition.parents[i][level], default: []] += shapes[id] ?? [] }
            try writer.addLayer(table, geometry: { units[$0].map { AreaGeometry.dissolved($0) ?? $0 } })
        }
        var layers = Set([published.areas.name] + published.summaries.map(\.name))
        if let points = supply.flatMap({ inGeometrySystem($0.points) }), let facilities = tables.first(where: { $0.name == "facilities" }) {
            try writer.addPointLayer(facilities, points: points)
            layers.insert(facilities.name)
        }
        // A scenario's rows per area drawn with the areas (QGIS filters by scenario); the chosen sites as points.
        if let scenarios = tables.first(where: { $0.name == "scenario_areas" }) {
            try writer.addLayer(scenarios, geometry: { shapes[$0] })
            layers.insert(scenarios.name)
        }
        if let location = supply?.location, let sites = tables.first(where: { $0.name == "location_sites" }),
           let points = inGeometrySystem(location.sites.map(\.point)) {
            try writer.addPointLayer(sites, points: points)
            layers.insert(sites.name)
        }
        for table in tables where !layers.contains(table.name) { try writer.addTable(table) }
        try writer.finish()
    }

    /// Points of the supply's planar system (facilities, chosen sites) in the GeoPackage's system (projected back
    /// where they were placed in the UTM zone of a WGS84 geometry), or nil where none has coordinates.
    func inGeometrySystem(_ points: [Point?]) -> [Point?]? {
        guard points.contains(where: { $0 != nil }), let from = supply?.pointSystem else { return nil }
        if from == geometry.coordinateSystem { return points }
        guard geometry.coordinateSystem == .wgs84, case .epsg(let code) = from, (25828...25838).contains(code) else { return nil }
        let utm = UTMProjection(zone: code - 25800)
        return points.map { $0.map(utm.unproject) }
    }

    /// The maps of report.html as QGIS styles: each classified index's classes in their colours, the combined
    /// classes, and the areas of particular attention.
    var styles: [GeoPackageWriter.Style] {
        let none = GeoPackageWriter.Category(value: nil, label: tr("ohne Zuordnung"), colour: "#ffffff")
        var styles = HTMLReport.Areas(edition).indices.map { index in
            GeoPackageWriter.Style(name: index.caption, column: "\(index.name)_class", categories: index.palette.map {
                GeoPackageWriter.Category(value: $0.label, label: tr($0.label), colour: $0.colour)
            } + [none])
        }
        if let combined = edition.combined {
            let classes = Dictionary(combined.compactMap { $0.map { ($0.code, $0.label) } }, uniquingKeysWith: { a, _ in a })
                .sorted { $0.key < $1.key }.map(\.value)
            let palette = HTMLReport.ClassedIndex(name: "combined", labels: classes, classes: []).palette
            styles.append(GeoPackageWriter.Style(name: tr("Gesamtindex: Klassen"), column: "combined_class", categories: palette.map {
                GeoPackageWriter.Category(value: $0.label, label: $0.label, colour: $0.colour)
            } + [none]))
            // By an expression: QGIS reads a GeoPackage BOOLEAN as true/false or 1/0 depending on its version; an area
            // without a combined class has NULL, which falls to "ohne Zuordnung" (not to "nein").
            styles.append(GeoPackageWriter.Style(name: tr("Besonderer Aufmerksamkeitsbedarf"),
                                                 column: "if(\"attention\" IS NULL, NULL, if(\"attention\", 'ja', 'nein'))", categories: [
                GeoPackageWriter.Category(value: "ja", label: tr("ja"), colour: "#d7191c"),
                GeoPackageWriter.Category(value: "nein", label: tr("nein"), colour: "#eeeeee"),
                none,
            ]))
        }
        return styles
    }
}
