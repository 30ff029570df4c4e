import AreaData
import Dispatch
import Foundation
import GeoPackage
import Indicators
import Parquet
import Reporting
import SozmonIO

/// Writes the report folder (docs/report.md §3) atomically from the steps' results: disclosure control over every table, then
/// four writers side by side (CSV tables and GeoJSON; region profiles; workbook; HTML report), then `run.json`.
struct ReportStep: RunStep {
    let context: RunContext

    /// The published tables that are maps too: the areas, and the summary of each entry of `Edition.summaries`.
    struct PublishedTables {
        let areas: Table
        let summaries: [Table]
    }

    /// What the steps computed, as the report publishes it.
    struct Results: Sendable {
        let inputs: InputSet
        let edition: Edition
        let trends: TrendReport?
        let hotspots: HotSpotReport?
        let spatial: SpatialReport?
        let profiles: [RegionProfiles]
        let supply: SupplyReport?
        let similar: SimilarReport?
        let history: ClassHistory?
        /// Warnings of the steps whose reports do not carry them (history, hot spots).
        let stepWarnings: [String]

        var warnings: [String] { inputs.warnings + (trends?.warnings ?? []) + (spatial?.warnings ?? []) + stepWarnings }
    }

    /// What the report publishes, planned before anything is written: every table with disclosure control applied
    /// once, and what the writers render besides (maps, the coordinates of the GeoJSON, the profile pages).
    struct Plan: Sendable {
        let published: PublishedTables
        /// Every table of `tables/`, in the order written, with its title and column labels.
        let tables: [Table]
        /// The words for the codes: the writers that people read (HTML, profiles, the workbook's labels) show them.
        let vocabulary: Vocabulary
        let warnings: [String]
        /// The disclosure footnote, where a cell is withheld.
        let footnote: String?
        /// The geometry `results.geojson` writes: in WGS84 unless the config asks for the input's system.
        let geojsonGeometry: GeometryLayer?
        /// Whether GeoDa's files can hold the area ids (white space separates their fields).
        let galWritable: Bool
        let choropleths: [HTMLReport.Choropleth]
    }

    /// Writes `results` into `output` (replacing a folder an earlier run wrote; leaving nothing when it fails): the
    /// plan, then the writers side by side, then `run.json`.
    /// Everything a person reads is written in `[report] language` (`ReportLanguage.current`, bound by `RunJob` and
    /// again on every writer's thread).
    /// The writers run side by side while the caller's thread reports every half second how many files are written.
    func run(_ results: Results, output: URL, fingerprints: Fingerprints, timings: Timings,
             progress: (RunProgress) -> Void = { _ in }) throws -> RunJob.Outcome {
        let plan = try self.plan(results, timings: timings), language = config.report.language
        let folder = try AtomicFolder(output)
        let warnings = plan.warnings + folder.removedLeftovers.map {
            "removed \($0), the partial output of an earlier run that was interrupted"
        }
        do {
            let writers = try self.writers(plan, results, into: folder, timings: timings)
            try timings.measure("write") {
                let failures = FirstError(), done = DispatchGroup()
                for writer in writers {
                    DispatchQueue.global().async(group: done) {
                        do { try ReportLanguage.$current.withValue(language) { try writer() } } catch { failures.record(error) }
                    }
                }
                while done.wait(timeout: .now() + 0.5) == .timedOut { progress(.writingFiles(folder.filesCreated)) }
                if let error = failures.error { throw error }
            }
            let files = (folder.writtenFiles() + ["run.json"]).sorted()
            let fingerprints = try timings.measure("fingerprints (waited for)") { try fingerprints.verified() }
            try folder.write(try manifest(tables: plan.tables, files: files, warnings: warnings, timings: timings,
                                          fingerprints: fingerprints), to: "run.json")
            try folder.commit()
            return RunJob.Outcome(tables: plan.tables.map(\.name), files: files, warnings: warnings)
        } catch {
            folder.discard()
            throw error
        }
    }

    /// The tables as published (disclosure control over all of them at once) and what goes with them.
    func plan(_ results: Results, timings: Timings) throws -> Plan {
        let edition = results.edition
        let control = disclosureControl(edition)
        let catalogue = config.catalogue(period: edition.period)
        let vocabulary = Vocabulary(catalogue: catalogue, levelNames: edition.levelNames, indices: edition.indices.map { index in
            (index.definition.name, index.definition.classes?.classes.map(\.label) ?? [])
        })
        let (published, tables, suppressed) = try timings.measure("tables") {
            let (areas, inAreas) = control.apply(to: edition.areasTable())
            let (attention, inAttention) = control.apply(to: edition.attentionTables())
            let (summaries, inSummaries) = control.apply(to: edition.summaryTables())
            let (others, inOthers) = control.apply(to: edition.furtherTables() + (try results.trends?.tables() ?? [])
                                                   + (results.hotspots.map { [$0.table()] } ?? [])
                                                   + (try results.spatial?.tables() ?? []) + results.profiles.map { $0.table() }
                                                   + (try results.supply?.tables(withheld: {
                                                       control.isSuppressed("target_population", area: $0) || control.isSuppressed("population", area: $0)
                                                   }) ?? []) + (results.similar.map { [$0.table()] } ?? [])
                                                   + (results.history?.tables(areaIDs: edition.areaIDs) ?? [])
                                                   + (results.inputs.crosswalk.map { [$0] } ?? []))
            return (PublishedTables(areas: vocabulary.labelled(areas), summaries: summaries.map(vocabulary.labelled)),
                    ([areas] + attention + summaries + others).map(vocabulary.labelled), inAreas + inAttention + inSummaries + inOthers)
        }
        var warnings = results.warnings
        // RFC 7946's coordinates unless the config asks for the geometry's own.
        var geojsonGeometry = results.inputs.geometry
        if config.report.formats.contains(.geojson), config.report.geojsonCRS == .wgs84, let geometry = geojsonGeometry {
            if let wgs84 = geometry.inWGS84() { geojsonGeometry = wgs84 } else {
                warnings.append("results.geojson keeps \(geometry.coordinateSystem) (sozmon converts ETRS89/UTM to WGS84, not this "
                                + "system); convert it with ogr2ogr -t_srs EPSG:4326, or set [report] geojson_crs = \"input\"")
            }
        }
        let galWritable = !(results.spatial?.weights?.ids ?? []).contains { $0.contains(where: \.isWhitespace) }
        if config.report.formats.contains(.gal) && !galWritable {
            warnings.append("weights.gal and weights.gwt are not written: some area ids contain spaces, which GeoDa's formats cannot hold")
        }
        if suppressed > 0 { warnings.append("disclosure control: \(suppressed) cells suppressed; \(control.footnote)") }
        return Plan(published: published, tables: tables, vocabulary: vocabulary, warnings: warnings,
                    footnote: suppressed > 0 ? control.footnote : nil,
                    geojsonGeometry: geojsonGeometry, galWritable: galWritable,
                    choropleths: config.report.formats.contains(.html) ? try choropleths(edition, published: published.areas, catalogue: catalogue) : [])
    }

    /// The writers of the formats the config asks for, each rendering the plan into `folder`; they run side by side.
    func writers(_ plan: Plan, _ results: Results, into folder: AtomicFolder, timings: Timings) throws -> [@Sendable () throws -> Void] {
        let formats = config.report.formats, geometry = results.inputs.geometry
        var writers: [@Sendable () throws -> Void] = [{ try writeTables(plan, results, into: folder, timings: timings) }]
        if formats.contains(.gpkg), let geometry {
            writers.append {
                try timings.measure("write: gpkg") {
                    try GeoPackageLayers(edition: results.edition, geometry: geometry, published: plan.published,
                                         supply: results.supply)
                        .write(to: try folder.url("results.gpkg"), tables: plan.tables)
                }
            }
        }
        writers.append {
            try timings.measure("write: profiles") {
                for profile in results.profiles {
                    try profile.writePages(geometry: geometry, linkingTo: formats.contains(.html) ? "report.html" : nil) { id, html, markdown in
                        try folder.write(html, to: "profiles/\(id).html")
                        try folder.write(markdown, to: "profiles/\(id).md")
                    }
                }
            }
        }
        if formats.contains(.xlsx) {
            let title = config.title, catalogue = plan.vocabulary.catalogue
            writers.append {
                try timings.measure("write: workbook") {
                    try XLSXWriter.write(plan.tables, to: try folder.url("report.xlsx"), title: title,
                                         application: "sozmon \(Sozmon.version)", catalogue: catalogue)
                }
            }
        }
        if formats.contains(.parquet) {
            writers.append {
                try timings.measure("write: parquet") {
                    for table in plan.tables {
                        let bytes = ParquetWriter.encode(table, suppressedSymbol: DisclosureControl.symbol,
                                                         createdBy: "sozmon \(Sozmon.version)")
                        try folder.write(bytes, to: "parquet/\(table.name).parquet")
                    }
                }
            }
        }
        if formats.contains(.html) {
            let page = try htmlReport(plan, results)
            writers.append { try timings.measure("write: html") { try folder.write(page(), to: "report.html") } }
        }
        return writers
    }

    /// `tables/*.csv`, and GeoDa's weights and `results.geojson` where asked for.
    func writeTables(_ plan: Plan, _ results: Results, into folder: AtomicFolder, timings: Timings) throws {
        let style = config.report.csvDialect, formats = config.report.formats
        try timings.measure("write: tables") {
            for table in plan.tables {
                let handle = try folder.create("tables/\(table.name).csv")
                defer { try? handle.close() }
                try table.writeCSV(to: handle, style: style)
            }
        }
        if formats.contains(.gal) && plan.galWritable, let weights = results.spatial?.weights {
            try timings.measure("write: gal") {
                let layer = config.input.geometry.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent } ?? "areas"
                try folder.write(GeoDaWeights.gal(ids: weights.ids, neighbours: weights.neighbours, layer: layer,
                                                  key: config.input.areaID), to: "weights.gal")
                try folder.write(GeoDaWeights.gwt(ids: weights.ids, neighbours: weights.neighbours, weights: weights.weights,
                                                  layer: layer, key: config.input.areaID), to: "weights.gwt")
            }
        }
        if formats.contains(.geojson), let geometry = plan.geojsonGeometry {
            try timings.measure("write: geojson") {
                try folder.write(Self.resultsGeoJSON(geometry, plan.published.areas), to: "results.geojson")
            }
        }
    }

    /// `report.html` as a function that renders it (on a writer's thread): what it shows is gathered here.
    func htmlReport(_ plan: Plan, _ results: Results) throws -> @Sendable () -> String {
        let catalogue = plan.vocabulary.catalogue, title = config.title, formats = config.report.formats
        let geometry = results.inputs.geometry
        let downloads = [(ReportFormat.xlsx, "report.xlsx"), (.gpkg, "results.gpkg"), (.geojson, "results.geojson")]
            .filter { formats.contains($0.0) && (geometry != nil || $0.0 == .xlsx) }.map(\.1)
        let deteriorations = try results.trends?.deteriorations() ?? []
        // "25 000 Einwohnern" (the population column) or "25 000 <label of the variable>".
        let floorText = config.clusters?.maxPFloor.map { floor in
            HTMLReport.shownNumber(floor.minimum, decimals: 0) + " "
                + (floor.variable == config.input.population ? tr("Einwohnern") : catalogue.heading(floor.variable) ?? floor.variable)
        } ?? ""
        let categoryMaps = (results.hotspots?.maps(catalogue: catalogue) ?? []) + (results.spatial?.regionsMaps(floorText: floorText) ?? [])
        let front = FrontMatter(period: results.edition.period.shown,
                                sources: Array(Set(catalogue.entries.values.compactMap(\.source))).sorted(), created: Self.today())
        return {
            HTMLReport.render(title: title, areas: HTMLReport.Areas(results.edition), choropleths: plan.choropleths,
                              deteriorations: deteriorations, supply: results.supply, categoryMaps: categoryMaps,
                              history: results.history, tables: plan.tables, geometry: geometry, footnote: plan.footnote,
                              profiles: results.profiles.flatMap(\.pageLinks), vocabulary: plan.vocabulary, downloads: downloads,
                              edition: front)
        }
    }

    /// The maps of `[maps]`: each variable's values over the edition's areas as `areas.csv` publishes them (a value
    /// disclosure control withholds there is no value on the map, nor in its class bounds), classed as mapclassify
    /// does, titled and printed by the catalogue.
    func choropleths(_ edition: Edition, published areas: Table, catalogue: IndicatorCatalogue) throws -> [HTMLReport.Choropleth] {
        guard let maps = config.maps else { return [] }
        return try maps.variables.map { name in
            var column = try values(of: name, in: edition, section: "[maps]")
            if let cells = areas.column(named: name) {
                for (i, cell) in cells.enumerated() where cell == .text(DisclosureControl.symbol) { column[i] = .nan }
            }
            do {
                return HTMLReport.Choropleth(title: catalogue.heading(name) ?? name, values: column,
                                             bounds: try maps.scheme.upperBounds(of: column),
                                             decimals: catalogue.decimals(name) ?? 2)
            } catch {
                throw config.error(at: "maps.variables", "[maps] \(name): \(error)")
            }
        }
    }

    /// The day of the run in the report's language (`7. Dezember 2026`, `7 December 2026`), or of `SOURCE_DATE_EPOCH` where it is set (a report made
    /// again from the same inputs is then the same byte for byte).
    static func today() -> String {
        let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(TimeInterval.init)
        let date = epoch.map { Date(timeIntervalSince1970: $0) } ?? Date()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Berlin") ?? .current
        let parts = calendar.dateComponents([.day, .month, .year], from: date)
        let month = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                     "November", "Dezember"][(parts.month ?? 1) - 1]
        return tr("{0}. {1} {2}", parts.day ?? 1, tr(month), parts.year ?? 1970)
    }

    /// The geometries with every `areas.csv` column as properties, in the table's order; a suppressed count is
    /// `null` followed by `<column>_suppressed: true`, so that GIS tools keep the column numeric.
    static func resultsGeoJSON(_ layer: GeometryLayer, _ areas: Table) -> String {
        var properties: [String: [(name: String, value: GeoJSON.PropertyValue)]] = [:]
        for row in areas.rows {
            guard case .text(let id) = row[0] else { continue }
            var p: [(name: String, value: GeoJSON.PropertyValue)] = []
            for (column, cell) in zip(areas.columns, row) {
                switch cell {
                case .text(DisclosureControl.symbol): p += [(column, .null), (column + "_suppressed", .bool(true))]
                case .text(let s): p.append((column, .text(s)))
                case .number(let d): p.append((column, .number(d)))
                case .integer(let i): p.append((column, .number(Double(i))))
                case .bool(let b): p.append((column, .bool(b)))
                case .empty: p.append((column, .null))
                }
            }
            properties[id] = p
        }
        return GeoJSON.encode(layer, idProperty: "area_id", properties: properties)
    }

    func manifest(tables: [Table], files: [String], warnings: [String], timings: Timings,
                  fingerprints: [String: String]) throws -> String {
        struct Manifest: Encodable {
            let sozmonVersion: String
            let config: RunConfig
            let configFile: String
            let inputsSha256: [String: String]
            let seeds: [String: UInt64]
            let rowCounts: [String: Int]
            /// Every file of the folder: a later run replaces the folder only while it holds exactly these.
            let files: [String]
            let warnings: [String]
            let timingsSeconds: [String: Double]
        }
        var seeds: [String: UInt64] = [:]
        if config.uncertainty.runs > 0 { seeds["uncertainty"] = config.uncertainty.seed }
        if let s = config.spatial, s.permutations > 0 { seeds["spatial"] = s.seed }
        if let c = config.clusters { seeds["clusters"] = c.seed }
        let manifest = Manifest(
            sozmonVersion: Sozmon.version, config: config, configFile: config.origin.file, inputsSha256: fingerprints,
            seeds: seeds,
            rowCounts: Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0.rowCount) }),
            files: files, warnings: warnings, timingsSeconds: timings.values)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(manifest), as: UTF8.self) + "\n"
    }
}

extension RunStep {
    /// Disclosure control with the configured threshold over the edition's linked sums: the population (with its class
    /// populations), each count column, and the supply's target group.
    func disclosureControl(_ edition: Edition) -> DisclosureControl {
        let classes = edition.indices.filter { $0.definition.classes != nil }.map { index in
            (index: index.definition.name, labels: edition.areaIDs.indices.map { index.classes[$0]?.label ?? "" })
        }
        let areas = DisclosureControl.Areas(ids: edition.areaIDs, levelNames: edition.levelNames, parents: edition.parents,
                                            classes: classes)
        var counts = ["population": edition.population]
        for name in edition.countColumns { counts[name] = edition.values(of: name) }
        if let supply = config.supply { counts["target_population"] = supply.target.flatMap(edition.values(of:)) ?? edition.population }
        var derived: [String: [String]] = [:]
        for (share, pair) in config.input.counts {
            // The share, its changes D<k> = S<k>(t) − S<k>(t − lag), and the other count of the pair.
            let shares = [share] + edition.indicatorNames.filter { DerivedIndicator.changeBase(of: $0) == share }
            derived[pair.numerator, default: []] += shares + [pair.denominator]
            derived[pair.denominator, default: []] += shares + [pair.numerator]
        }
        return DisclosureControl(threshold: config.report.disclosureThreshold, protection: config.report.disclosureProtection,
                                 areas: areas, counts: counts, derived: derived,
                                 pairs: config.input.counts.values.map(\.columns), referencePeriod: edition.period.description)
    }
}
