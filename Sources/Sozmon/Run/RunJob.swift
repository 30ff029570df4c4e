import AreaData
import Foundation
import SozmonIO

/// `sozmon run CONFIG`: reads the inputs, computes every index the config asks for, and writes the report folder
/// (docs/report.md §3) atomically.
///
/// The run is a chain of steps, each a type with a typed result (`RunStep`): `InputStep` reads every input once,
/// `IndexStep` computes the edition, `ProfileStep`, `TrendStep`, `SpatialStep` and `SupplyStep` the analyses on it,
/// and `ReportStep` writes them all.
public struct RunJob: RunStep {
    private(set) var context: RunContext

    public init(configURL: URL) throws {
        let config = try RunConfig.read(configURL)
        context = RunContext(config: config, configURL: configURL, hierarchy: try Self.hierarchy(config))
    }

    public var config: RunConfig { context.config }
    public var configURL: URL { context.configURL }

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
        let inputs: InputSet
        do { inputs = try InputStep(context: context).run(timings: Timings()) } catch let error as InputError where error.line > 0 {
            throw InputStep(context: context).everyCellProblem(after: error)
        }
        let edition = try IndexStep(context: context).run(inputs, timings: Timings())
        let tables = SectionTables()
        let trends = try TrendStep(context: context).run(inputs, tables: tables)
        let hotspots = try HotSpotStep(context: context).run(inputs, tables: tables)
        let spatial = try SpatialStep(context: context).run(inputs, edition: edition)
        _ = try ProfileStep(context: context).run(inputs, edition: edition, similar: try SimilarStep(context: context).run(edition))
        _ = try SupplyStep(context: context).run(inputs, edition: edition)
        let history = try HistoryStep(context: context).run(edition)
        return (history?.warnings ?? []) + inputs.warnings + (trends?.warnings ?? []) + (hotspots?.warnings ?? [])
            + (spatial?.warnings ?? [])
    }

    /// Runs the edition and writes the report into `output`.
    public func run(output: URL, progress: ProgressLine) throws -> Outcome {
        try AtomicFolder.checkDestination(output)  // before the work, not after it
        let timings = Timings()
        // Every file read, fingerprinted once, on a thread of its own while the run computes.
        let fingerprints = Fingerprints(config.inputFiles.map { ($0, config.url($0)) }
                                        + [(configURL.lastPathComponent, configURL)], timings: timings)
        progress.update("reading inputs")
        var inputs = try InputStep(context: context).run(timings: timings)
        progress.update("computing indices")
        let edition = try IndexStep(context: context).run(inputs, timings: timings)
        let similar = try timings.measure("similar") { try SimilarStep(context: context).run(edition) }
        let history = try timings.measure("history") { try HistoryStep(context: context).run(edition) }
        let profiles = try timings.measure("profiles") {
            try ProfileStep(context: context).run(inputs, edition: edition, similar: similar)
        }
        // The indicator table's panel (every period of it) is needed from here on only where [trends] or [quarters]
        // read it; otherwise it goes before they read theirs (at 10⁶ areas × 13 years, a gigabyte).
        if !trendsReadTheIndicatorTable { inputs.panel = .empty }
        // The quarterly table that [trends], [quarters] and [hotspots] share is read once, and let go after them.
        var tables: SectionTables? = SectionTables()
        let trends = try timings.measure("trends") { try TrendStep(context: context).run(inputs, tables: tables!, timings: timings) }
        let hotspots = try timings.measure("hotspots") { try HotSpotStep(context: context).run(inputs, tables: tables!, timings: timings) }
        tables = nil
        let spatial = try timings.measure("spatial") {
            try SpatialStep(context: context).run(inputs, edition: edition, timings: timings)
        }
        let supply = try timings.measure("supply") { try SupplyStep(context: context).run(inputs, edition: edition) }
        progress.update("writing the report")
        let outcome = try ReportStep(context: context).run(
            .init(inputs: inputs, edition: edition, trends: trends, hotspots: hotspots?.report, spatial: spatial, profiles: profiles, supply: supply,
                  similar: similar, history: history?.history,
                  stepWarnings: (history?.warnings ?? []) + (hotspots?.warnings ?? [])),
            output: output, fingerprints: fingerprints, timings: timings)
        progress.finish()
        return outcome
    }

    /// Whether `[trends]`, `[quarters]` or `[hotspots]` read the indicator table (`input.table`) rather than a table
    /// of their own.
    var trendsReadTheIndicatorTable: Bool {
        let own = [config.trends?.table, config.quarters?.table ?? config.trends?.table, config.hotspots?.table]
        return zip([config.trends != nil, config.quarters != nil, config.hotspots != nil], own).contains { asked, table in
            asked && (table == nil || table == config.input.table)
        }
    }
}

/// The library's version.
public enum Sozmon {
    public static let version = "0.1.0"
}

extension RunJob {
    /// This job with the CSV dialect of the tables overridden (`--csv-dialect`).
    public func with(csvDialect: CSVWriter.Style) -> RunJob {
        var copy = self
        copy.context.config.report.csvDialect = csvDialect
        return copy
    }
}

/// How the tables' CSV is written (`--csv-dialect`, `[report] csv_dialect`).
public typealias CSVStyle = CSVWriter.Style

extension RunJob {
    /// Removes a report folder that an earlier run wrote at `output` (its `run.json` lists exactly its files), so
    /// that the demo can be run again; anything else there is refused.
    public static func removePreviousReport(at output: URL) throws { try AtomicFolder.removePreviousReport(at: output) }

    /// Removes the partial output of every run in progress (for a signal handler: the process exits next).
    public static func discardPartialOutputs() { AtomicFolder.discardAllOnSignal() }
}
