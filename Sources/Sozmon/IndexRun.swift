import AreaData
import Foundation
import Indicators
import LinearAlgebra
import Reporting
import SozmonIO
import Spatial
import Trends

/// `sozmon run CONFIG`: reads the inputs, computes every index the config asks for, and writes the report folder
/// (SPEC §5) atomically.
public struct RunJob {
    public private(set) var config: RunConfig
    public let configURL: URL
    /// The levels above the areas: id prefixes, or the explicit table of `input.parents`.
    let hierarchy: AreaHierarchy

    public init(configURL: URL) throws {
        self.configURL = configURL
        let config = try RunConfig.read(configURL)
        self.config = config
        hierarchy = try Self.hierarchy(config)
    }

    /// The hierarchy the config describes. An explicit parent table is a CSV whose first column is the area id and
    /// whose other columns are the parent ids from the top level down (their names are the level names unless
    /// `level_names` is given).
    static func hierarchy(_ config: RunConfig) throws -> AreaHierarchy {
        guard let path = config.input.parents else {
            return try AreaHierarchy(prefixLengths: config.input.hierarchy, levelNames: config.input.levelNames)
        }
        let table = try CSVTable(contentsOf: config.url(path), requiringRows: "areas with their parents")
        guard table.header.count >= 2 else {
            throw InputError(file: config.url(path).path, line: 1,
                             message: "a parent table needs an area id column and at least one parent column")
        }
        var parents: [String: [String]] = [:]
        for (row, line) in zip(table.rows, table.lines) {
            guard parents[row[0]] == nil else {
                throw InputError(file: config.url(path).path, line: line, column: 1, message: "area \(row[0]) is listed twice")
            }
            parents[row[0]] = Array(row.dropFirst())
        }
        let names = config.input.levelNamesGiven ? config.input.levelNames : Array(table.header.dropFirst())
        do { return try AreaHierarchy(parents: parents, levelNames: names) } catch {
            throw InputError(file: config.url(path).path, message: "\(error)")
        }
    }

    /// What a run produced besides its files.
    public struct Outcome: Sendable {
        public let tables: [String]
        /// Every file of the report folder, relative to it and sorted (as listed in `run.json`).
        public let files: [String]
        public let warnings: [String]
    }

    /// Reads and checks the inputs without computing or writing (`sozmon validate`).
    public func validate() throws -> [String] {
        let inputs: Inputs
        do { inputs = try readInputs(timings: Timings()) } catch let error as InputError where error.line > 0 {
            throw everyCellProblem(after: error)
        }
        let edition = try edition(inputs, timings: Timings())
        let trends = try trendReport(inputs)
        let spatial = try spatialReport(inputs, edition: edition)
        _ = try regionProfiles(inputs, edition: edition)
        _ = try supplyReport(inputs, edition: edition)
        return inputs.warnings + (trends?.warnings ?? []) + (spatial?.warnings ?? [])
    }

    /// Runs the edition and writes the report into `output`.
    public func run(output: URL, progress: ProgressLine) throws -> Outcome {
        let timings = Timings()
        // Every file read, fingerprinted once, on a thread of its own while the run computes.
        let fingerprinting = Fingerprints(config.inputFiles.map { ($0, config.url($0)) }
                                          + [(configURL.lastPathComponent, configURL)], timings: timings)
        progress.update("reading inputs")
        var inputs = try readInputs(timings: timings)
        progress.update("computing indices")
        let edition = try edition(inputs, timings: timings)
        let profiles = try timings.measure("profiles") { try regionProfiles(inputs, edition: edition) }
        // The indicator table's panel (every period of it) is needed from here on only where [trends] or [quarters]
        // read it; otherwise it goes before they read theirs (at 10⁶ areas × 13 years, a gigabyte).
        if !trendsReadTheIndicatorTable { inputs.panel = .empty }
        let trends = try timings.measure("trends") { try trendReport(inputs, timings: timings) }
        let trendTables = try trends?.tables() ?? []
        let spatial = try timings.measure("spatial") { try spatialReport(inputs, edition: edition, timings: timings) }
        let spatialTables = try spatial?.tables() ?? []
        let supplyTables = try timings.measure("supply") {
            try supplyReport(inputs, edition: edition)?.tables() ?? []
        }
        let control = disclosureControl(edition)
        let (tables, suppressed) = timings.measure("tables") {
            control.apply(to: edition.tables() + trendTables + spatialTables + profiles.map { $0.table() } + supplyTables
                          + (inputs.crosswalk.map { [$0] } ?? []))
        }
        var warnings = inputs.warnings + (trends?.warnings ?? []) + (spatial?.warnings ?? [])
        if suppressed > 0 { warnings.append("disclosure control: \(suppressed) cells suppressed; \(control.footnote)") }
        progress.update("writing the report")
        let folder = try AtomicFolder(output)
        for leftover in folder.removedLeftovers {
            warnings.append("removed \(leftover), the partial output of an earlier run that was interrupted")
        }
        let files: [String]
        do {
            let style = config.report.csvDialect
            try timings.measure("write") {
                // Four independent writers (tables and GeoJSON; region profiles; workbook; HTML report) run side by side.
                let pageIDs = profiles.flatMap { $0.summaryUnitIDs }
                let formats = config.report.formats, title = config.title, geometry = inputs.geometry
                let footnote = suppressed > 0 ? control.footnote : nil
                let classedIndices = edition.indices.compactMap { index in
                    index.definition.classes.map { HTMLReport.ClassedIndex(name: index.definition.name, labels: $0.classes.map(\.label)) }
                }
                let writers: [@Sendable () throws -> Void] = [
                    {
                        try timings.measure("write: tables") {
                            for table in tables {
                                let handle = try folder.create("tables/\(table.name).csv")
                                defer { try? handle.close() }
                                try table.writeCSV(to: handle, style: style)
                            }
                        }
                        if formats.contains(.geojson), let geometry {
                            try timings.measure("write: geojson") {
                                try folder.write(Self.resultsGeoJSON(geometry, tables[0]), to: "results.geojson")
                            }
                        }
                    },
                    {
                        try timings.measure("write: profiles") {
                            for profile in profiles {
                                try profile.writePages(geometry: geometry) { id, html, markdown in
                                    try folder.write(html, to: "profiles/\(id).html")
                                    try folder.write(markdown, to: "profiles/\(id).md")
                                }
                            }
                        }
                    },
                    {
                        if formats.contains(.xlsx) {
                            try timings.measure("write: workbook") { try XLSXWriter.write(tables, to: try folder.url("report.xlsx")) }
                        }
                    },
                    {
                        if formats.contains(.html) {
                            try timings.measure("write: html") {
                                try folder.write(HTMLReport.render(title: title, tables: tables, geometry: geometry,
                                                                   indices: classedIndices, footnote: footnote,
                                                                   profiles: pageIDs), to: "report.html")
                            }
                        }
                    },
                ]
                let failures = FirstError()
                DispatchQueue.concurrentPerform(iterations: writers.count) { k in
                    do { try writers[k]() } catch { failures.record(error) }
                }
                if let error = failures.error { throw error }
            }
            files = (folder.writtenFiles() + ["run.json"]).sorted()
            let fingerprints = timings.measure("fingerprints (waited for)") { fingerprinting.wait() }
            try folder.write(try manifest(tables: tables, files: files, warnings: warnings, timings: timings,
                                          fingerprints: fingerprints), to: "run.json")
            try folder.commit()
        } catch {
            folder.discard()
            throw error
        }
        progress.finish()
        return Outcome(tables: tables.map(\.name), files: files, warnings: warnings)
    }

    /// Whether `[trends]` or `[quarters]` read the indicator table (`input.table`) rather than a table of their own.
    var trendsReadTheIndicatorTable: Bool {
        let own = [config.trends?.table, config.quarters?.table ?? config.trends?.table]
        return zip([config.trends != nil, config.quarters != nil], own).contains { asked, table in
            asked && (table == nil || table == config.input.table)
        }
    }

    // MARK: - Inputs

    struct Inputs {
        var panel: Panel
        var geometry: GeometryLayer?
        var warnings: [String]
        var previousClasses: [String: [String: String]]?
        /// How the earlier periods came through the crosswalk (`crosswalk.csv`), when one is configured.
        var crosswalk: Table?
    }

    func readInputs(timings: Timings) throws -> Inputs {
        let input = config.input
        var warnings: [String] = []
        let tableURL = config.url(input.table)
        let reading = try timings.measure("read table") {
            try readPanel(tableURL, dialect: config.input.dialect, resampling: config.input.resampling)
        }
        warnings += reading.warnings
        // What `input.indicators` lists must be there (the other names are checked where they are used).
        if let lacking = input.indicators.first(where: { !reading.panel.indicators.contains($0) }) {
            throw InputError(file: tableURL.path, line: 1, message: "no column '\(lacking)' (listed in input.indicators); "
                             + "the table's indicators are \(reading.panel.indicators.joined(separator: ", "))")
        }
        if input.population == nil && config.eligibility.minPopulation != nil {
            warnings.append("\(configURL.path): no input.population column, so eligibility.min_population is not applied")
        }
        var geometry: GeometryLayer?
        if let path = input.geometry {
            let url = config.url(path)
            let layer = try timings.measure("read geometry") {
                try GeoJSON.read(url, idProperty: input.geometryID ?? input.areaID,
                                 duplicateIDs: input.duplicateIds)
            }
            warnings += layer.warnings
            let known = Set(layer.layer.areas.map(\.id))
            let lacking = reading.panel.areaIDs.filter { !known.contains($0) }
            if !lacking.isEmpty {
                warnings.append("\(url.path): \(lacking.count) areas of the table have no geometry (e.g. \(lacking.prefix(3).joined(separator: ", ")))")
            }
            geometry = layer.layer
        }
        var previous: [String: [String: String]]?
        if let path = config.previous {
            let url = config.url(path)
            let table = try CSVTable(contentsOf: url, requiringRows: "areas of the previous edition")
            let id = try table.columnIndex("area_id")
            var classes: [String: [String: String]] = [:]
            for row in table.rows {
                var byIndex: [String: String] = [:]
                for index in config.indices {
                    if let column = table.header.firstIndex(of: "\(index.name)_class"), !row[column].isEmpty {
                        byIndex[index.name] = row[column]
                    }
                }
                classes[row[id]] = byIndex
            }
            previous = classes
        }
        let (panel, crosswalk) = try timings.measure("crosswalk") {
            try extendedByCrosswalk(reading.panel, warnings: &warnings)
        }
        return Inputs(panel: panel, geometry: geometry, warnings: warnings,
                      previousClasses: previous, crosswalk: crosswalk)
    }

    /// When reading a data table stopped at a bad cell, every bad cell of that table (up to 50, then how many
    /// more), so that `validate` lists them all; other errors as they are.
    func everyCellProblem(after error: InputError) -> Error {
        let tables = [(config.input.table, config.input.dialect)]
            + [config.trends.flatMap { t in t.table.map { ($0, t.dialect) } }, config.quarters.flatMap { q in q.table.map { ($0, q.dialect) } }]
            .compactMap { $0 }
        guard let (path, dialect) = tables.first(where: { config.url($0.0).path == error.file }),
              let (reader, spec) = try? panelReader(config.url(path), dialect: dialect) else { return error }
        let (problems, more) = reader.cellProblems(spec, limit: 50)
        guard problems.count > 1 else { return error }
        let rest = more > 0 ? [InputError(file: error.file, message: "and \(more) more problems")] : []
        return ConfigProblems(problems: problems + rest)
    }

    /// Reads a table with the `[input]` columns and `dialect`. Reference dates that are all month (quarter, year)
    /// ends are read as months (quarters, years); then the section's `frequency` aggregates it.
    func readPanel(_ tableURL: URL, dialect: RunConfig.DialectOverride, resampling: RunConfig.Resampling = .init(),
                   section: String = "[input]", repairingIDs: Bool = true) throws -> PanelReading {
        let (reader, spec) = try panelReader(tableURL, dialect: dialect, repairingIDs: repairingIDs)
        let reading = try reader.panel(spec)
        let panel = try resampled(reading.panel.readingStichtage() ?? reading.panel, resampling, section: section)
        return PanelReading(panel: panel, warnings: reading.warnings)
    }

    /// `panel` at the frequency `resampling` asks for (unchanged when it has that frequency already).
    func resampled(_ panel: Panel, _ resampling: RunConfig.Resampling, section: String) throws -> Panel {
        guard let name = resampling.frequency?.rawValue, let target = resampling.frequency?.frequency,
              let source = panel.periods.first?.frequency, source != target else { return panel }
        guard source != .daily else {
            throw InputError(file: configURL.path, message: "\(section) frequency = \"\(name)\": the table's periods are "
                             + "days (\(panel.periods[0])) that are not all month ends; give months (2024-03) or month-end dates")
        }
        do {
            return try panel.aggregated(to: target, by: resampling.aggregate.rule, minimumShare: resampling.incomplete == .keep ? 0 : 1)
        } catch {
            throw InputError(file: configURL.path, message: "\(section) frequency = \"\(name)\": the table's periods are "
                             + "\(source.rawValue) (\(panel.periods[0])); they can be aggregated only to a coarser frequency")
        }
    }

    /// A small table read whole, its detected dialect overridden as its section says.
    func readTable(_ url: URL, dialect: RunConfig.DialectOverride, requiringRows rows: String) throws -> CSVTable {
        if dialect.isEmpty { return try CSVTable(contentsOf: url, requiringRows: rows) }
        let detected = try CSVReader(contentsOf: url).dialect
        return try CSVTable(contentsOf: url, dialect: dialect.applied(to: detected), requiringRows: rows)
    }

    /// The reader of a table with its section's dialect overrides, and what to read of it (the `[input]` columns).
    func panelReader(_ tableURL: URL, dialect override: RunConfig.DialectOverride, repairingIDs: Bool = true) throws
        -> (CSVReader, PanelSpec) {
        let input = config.input
        let detected = try CSVReader(contentsOf: tableURL)
        let dialect = override.applied(to: detected.dialect)
        let reader = dialect == detected.dialect ? detected : try CSVReader(contentsOf: tableURL, dialect: dialect)
        // Only the columns the config names are read (in the table's order); the others may hold anything.
        let named = config.namedColumns.subtracting([input.areaID, input.areaName, input.population, input.period].compactMap { $0 })
        return (reader, PanelSpec(
            layout: input.layout, areaIDColumn: input.areaID,
            areaNameColumn: input.areaName, populationColumn: input.population, periodColumn: input.period,
            indicatorColumns: reader.header.filter(named.contains), hierarchy: repairingIDs ? hierarchy : nil))
    }

    // MARK: - Computation

    func edition(_ inputs: Inputs, timings: Timings) throws -> Edition {
        let panel = inputs.panel
        let file = config.url(config.input.table).path
        guard let latest = panel.periods.last else { throw InputError(file: file, message: "the table has no data rows") }
        let period = config.input.referencePeriod ?? latest
        guard let t = panel.periods.firstIndex(of: period) else {
            throw InputError(file: file, message: "reference period \(period) is not in the table (it has "
                             + "\(panel.periods.first!)…\(latest))")
        }
        let n = panel.areaCount
        var parents: [[String]] = []
        for id in panel.areaIDs {
            do { parents.append(try (0..<hierarchy.levelNames.count).map { try hierarchy.parent(of: id, level: $0) }) }
            catch { throw InputError(file: file, message: "\(error)") }
        }
        let population = panel.population?[t] ?? [Double](repeating: .nan, count: n)
        let rule = EligibilityRule(minimumPopulation: panel.population == nil ? nil : config.eligibility.minPopulation,
                                   excludedAreas: Set(config.eligibility.exclude))
        for id in config.eligibility.exclude where panel.index(ofArea: id) == nil {
            throw InputError(file: configURL.path, line: 0,
                             message: "eligibility.exclude names area \(id), which the table does not have")
        }
        let reasons = panel.areaIDs.indices.map { rule.reason(area: panel.areaIDs[$0], population: population[$0])?.rawValue }
        let eligible = reasons.map { $0 == nil }
        if !config.indices.isEmpty && eligible.allSatisfy({ !$0 }) {
            let largest = population.filter { !$0.isNaN }.max().map { " (the largest population is \($0.plainText))" } ?? ""
            throw InputError(file: configURL.path, line: 0, message: "no area is eligible in \(period): "
                             + "eligibility.min_population = \((config.eligibility.minPopulation ?? 0).plainText) and "
                             + "eligibility.exclude leave none\(largest)")
        }

        // Indicator columns: those of the table, then the shares from counts and the changes the indices ask for.
        var indicators = ReferenceIndicators(panel: panel, period: t)
        do {
            for (name, pair) in config.input.counts.sorted(by: { $0.key < $1.key }) {
                try indicators.addShare(name, numerator: pair.numerator, denominator: pair.denominator)
            }
            for index in config.indices {
                for name in index.indicators { try indicators.require(name, lag: index.lag) }
            }
        } catch {
            let tableColumns = panel.indicators.joined(separator: ", ")
            switch error {
            case let .countsNotInTable(share, numerator, denominator):
                throw InputError(file: file, line: 1, message: "input.counts.\(share) names columns \(numerator) and "
                                 + "\(denominator); the table has \(tableColumns)")
            case .unknownIndicator(let name):
                let index = config.indices.first { $0.indicators.contains(name) }!.name
                throw InputError(file: configURL.path, line: 0, message: "index '\(index)' uses indicator '\(name)', "
                                 + "which the table does not have (columns: \(tableColumns))")
            case let .periodLacking(change, base, now, earlier):
                let index = config.indices.first { $0.indicators.contains(change) }!.name
                throw InputError(file: file, message: "index '\(index)': \(change) = \(base)(\(now)) − \(base)(\(earlier)) "
                                 + "needs period \(earlier), which the table lacks")
            }
        }
        let names = indicators.names, columns = indicators.columns, counts = indicators.counts
        let values = Matrix(columns: columns)

        var results: [IndexResult] = []
        var diagnostics: [(index: String, diagnostics: IndicatorDiagnostics)] = []
        var uncertainty: [(index: String, analysis: UncertaintyAnalysis)] = []
        for index in config.indices {
            var definition = index.definition
            let subset = Matrix(columns: index.indicators.map { columns[names.firstIndex(of: $0)!] })
            if index.pcaWeights {
                let complete = (0..<n).filter { i in eligible[i] && (0..<subset.columns).allSatisfy { !subset[i, $0].isNaN } }
                do { definition.weights = try IndicatorDiagnostics(values: subset.selectingRows(complete)).firstComponentWeights }
                catch { throw InputError(file: configURL.path, message: "index '\(index.name)': PCA weights: \(error)") }
            }
            let result = try timings.measure("index \(index.name)") {
                try definition.compute(values: subset, eligible: eligible, population: population)
            }
            results.append(result)
            if config.report.diagnostics && index.indicators.count >= 2 {
                let scoredRows = (0..<n).filter { result.scored[$0] }
                if let d = try? IndicatorDiagnostics(values: subset.selectingRows(scoredRows)) {
                    diagnostics.append((index.name, d))
                }
            }
            if config.uncertainty.runs > 0 {
                let analysis = try timings.measure("uncertainty \(index.name)") {
                    try UncertaintyAnalysis(definition: definition, values: subset, eligible: eligible,
                                            runs: config.uncertainty.runs, seed: config.uncertainty.seed,
                                            weightConcentration: config.uncertainty.concentration)
                }
                uncertainty.append((index.name, analysis))
            }
        }
        // Eligibility (who takes part) and scoring (who has what a class needs) are kept apart.
        let unscored: [String?] = (0..<n).map { i in
            guard results.contains(where: { !$0.scored[i] }) else { return nil }
            return eligible[i] ? "indicator_missing" : "not_eligible"
        }
        var combined: [CombinedClass?]?
        if let c = config.combined {
            let status = results.first { $0.definition.name == c.status }!
            let dynamik = results.first { $0.definition.name == c.dynamik }!
            combined = (0..<n).map { i in
                guard let s = status.classes[i], let d = dynamik.classes[i] else { return nil }
                return CombinedClass(status: s, dynamics: d)
            }
        }
        let summaries = try (0..<hierarchy.levelNames.count).reversed().map { level in
            try LevelSummary(areaIDs: panel.areaIDs, hierarchy: hierarchy, level: level, population: population,
                             values: values, counts: counts)
        }
        var edition = Edition(title: config.title, period: period, areaIDs: panel.areaIDs, areaNames: panel.areaNames,
                              levelNames: hierarchy.levelNames, parents: parents, population: population,
                              eligible: eligible, exclusionReasons: reasons, indicatorNames: names, indicatorValues: values,
                              missing: indicators.missing, indices: results, combined: combined, summaries: summaries,
                              diagnostics: diagnostics, uncertainty: uncertainty, previousClasses: inputs.previousClasses)
        edition.counts = counts
        edition.unscoredReasons = unscored
        return edition
    }

    // MARK: - Outputs

    /// Disclosure control with the configured threshold; areas grouped by their lowest-level unit; the columns of
    /// `input.counts` (with the shares computed from them) and `crosswalk.counts` are counts of people.
    func disclosureControl(_ edition: Edition) -> DisclosureControl {
        let groups = Dictionary(zip(edition.areaIDs, edition.parents.map { $0.last ?? "" }), uniquingKeysWith: { a, _ in a })
        var counts: [String: [String]] = [:]
        for (share, pair) in config.input.counts { for column in pair.columns { counts[column, default: []].append(share) } }
        for column in config.crosswalk?.counts ?? [] { counts[column, default: []] += [] }
        return DisclosureControl(threshold: config.report.disclosureThreshold, groupOfArea: groups, counts: counts)
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
            sozmonVersion: Sozmon.version, config: config, configFile: configURL.path, inputsSha256: fingerprints,
            seeds: seeds,
            rowCounts: Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0.rowCount) }),
            files: files, warnings: warnings, timingsSeconds: timings.values)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(manifest), as: UTF8.self) + "\n"
    }
}

/// Wall-clock time per step, for `run.json` (and only there: tables stay byte-identical between runs).
/// Steps that run side by side (the writers) are measured each on its own.
final class Timings: @unchecked Sendable {
    private let lock = NSLock()
    private var measured: [String: Double] = [:]
    var values: [String: Double] { lock.withLock { measured } }

    func measure<T>(_ step: String, _ body: () throws -> T) rethrows -> T {
        let start = Date()
        defer {
            let seconds = Date().timeIntervalSince(start)
            lock.withLock { measured[step, default: 0] += seconds }
        }
        return try body()
    }
}

/// The SHA-256 of every input for `run.json`, computed on a thread of its own (timed as "fingerprints").
final class Fingerprints: @unchecked Sendable {
    private let done = DispatchGroup()
    private var values: [String: String] = [:]

    init(_ files: [(name: String, url: URL)], timings: Timings) {
        DispatchQueue.global().async(group: done) { [self] in
            timings.measure("fingerprints") {
                for (name, url) in files { values[name] = SHA256.hex(fileAt: url) ?? "unreadable" }
            }
        }
    }

    /// The fingerprints by file name, once all are computed.
    func wait() -> [String: String] {
        done.wait()
        return values
    }
}

/// The first error thrown by any of several concurrent writers.
final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var first: Error?
    func record(_ error: Error) { lock.withLock { if first == nil { first = error } } }
    var error: Error? { lock.withLock { first } }
}

/// The library's version.
public enum Sozmon {
    public static let version = "0.1.0"
}

extension RunJob {
    /// This job with the CSV dialect of the tables overridden (`--csv-dialect`).
    public func with(csvDialect: CSVWriter.Style) -> RunJob {
        var copy = self
        copy.config.report.csvDialect = csvDialect
        return copy
    }
}
