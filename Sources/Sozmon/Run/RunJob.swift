import AreaData
import Foundation
import SozmonIO

/// A run of one edition: reads the inputs, computes every index and analysis the config asks for, and returns the
/// results — and writes the report folder (docs/report.md) atomically when given one. `sozmon run CONFIG` is
/// `try RunJob(configURL: url).run(output: folder)`.
///
/// The run is a chain of steps, each a type with a typed result (`RunStep`): `InputStep` reads every input once,
/// `IndexStep` computes the edition, `ProfileStep`, `TrendStep`, `SpatialStep` and `SupplyStep` the analyses on it,
/// and `ReportStep` writes them all.
public struct RunJob: RunStep {
    private(set) var context: RunContext

    /// The run of the config file at `configURL` (its paths are relative to its folder).
    /// - Throws: ``ConfigProblems`` listing every problem of the config (a file it names that does not exist among
    ///   them); `InputError` where the config file itself is missing or not text.
    public init(configURL: URL) throws {
        try self.init(config: try RunConfig.read(configURL), file: configURL)
    }

    /// The run of a config built in code (``RunConfig/init(title:baseFolder:sections:)``) or read.
    public init(config: RunConfig) throws { try self.init(config: config, file: nil) }

    init(config: RunConfig, file: URL?) throws {
        context = RunContext(config: config, configURL: file, hierarchy: try Self.hierarchy(config))
    }

    package var config: RunConfig { context.config }

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

    /// What the report step wrote.
    package struct Outcome: Sendable {
        package let tables: [String]
        /// Every file of the report folder, relative to it and sorted (as listed in `run.json`).
        package let files: [String]
        package let warnings: [String]
    }

    /// Reads and checks the inputs and computes the edition without writing anything (`sozmon validate`).
    /// - Returns: the warnings a run would give.
    /// - Throws: `InputError` (a list of every bad cell of a table, where it finds one).
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

    /// Whether a report folder can be written at `output` (a symbolic link, a file or a foreign folder there is
    /// refused), for the command line to say before the config and its inputs are read.
    package static func checkDestination(_ output: URL) throws { try AtomicFolder.checkDestination(output) }

    /// Runs the edition and returns its results; with `output`, also writes the report folder there (atomically: it
    /// appears whole or not at all, and a folder the run did not make is never replaced).
    /// - Parameters:
    ///   - output: the report folder to write (it must not exist, or be empty, or hold an earlier run's report);
    ///     `nil` to write nothing.
    ///   - progress: called as the run enters each stage, on the caller's thread.
    /// - Throws: `InputError` naming the file, line and column of a bad input, or the config key; `OutputError`
    ///   where the report cannot be written.
    public func run(output: URL? = nil, progress: (RunProgress) -> Void = { _ in }) throws -> RunResult {
        // What a person reads is in `[report] language`, from the first label made to the last page written.
        try ReportLanguage.$current.withValue(config.report.language) { try runInLanguage(output: output, progress: progress) }
    }

    private func runInLanguage(output: URL?, progress: (RunProgress) -> Void) throws -> RunResult {
        if let output { try AtomicFolder.checkDestination(output) }  // before the work, not after it
        let timings = Timings()
        // Every file read, fingerprinted once, on a thread of its own while the run computes.
        let fingerprints = output == nil ? nil : Fingerprints(config.inputFiles.map { ($0, config.url($0)) }
            + (configURL.map { [($0.lastPathComponent, $0)] } ?? []), timings: timings)
        progress(.readingInputs)
        var inputs = try InputStep(context: context).run(timings: timings)
        progress(.computingIndices)
        let edition = try IndexStep(context: context).run(inputs, timings: timings)
        progress(.computingAnalyses)
        if config.similar != nil { progress(.analysis("comparable areas")) }
        let similar = try timings.measure("similar") { try SimilarStep(context: context).run(edition) }
        let history = try timings.measure("history") { try HistoryStep(context: context).run(edition) }
        if config.profiles != nil { progress(.analysis("profiles")) }
        let profiles = try timings.measure("profiles") {
            try ProfileStep(context: context).run(inputs, edition: edition, similar: similar)
        }
        // The indicator table's panel (every period of it) is needed from here on only where [trends] or [quarters]
        // read it; otherwise it goes before they read theirs (at 10⁶ areas × 13 years, a gigabyte).
        if !trendsReadTheIndicatorTable { inputs.panel = .empty }
        // The quarterly table that [trends], [quarters] and [hotspots] share is read once, and let go after them.
        var tables: SectionTables? = SectionTables()
        if config.trends != nil || config.quarters != nil { progress(.analysis("trends")) }
        let trends = try timings.measure("trends") { try TrendStep(context: context).run(inputs, tables: tables!, timings: timings) }
        if config.hotspots != nil { progress(.analysis("emerging hot spots")) }
        let hotspots = try timings.measure("hotspots") { try HotSpotStep(context: context).run(inputs, tables: tables!, timings: timings) }
        tables = nil
        if config.spatial != nil || config.clusters != nil { progress(.analysis("spatial statistics and clusters")) }
        let spatial = try timings.measure("spatial") {
            try SpatialStep(context: context).run(inputs, edition: edition, timings: timings)
        }
        if config.supply != nil { progress(.analysis("need and supply")) }
        let supply = try timings.measure("supply") { try SupplyStep(context: context).run(inputs, edition: edition) }
        let stepWarnings = (history?.warnings ?? []) + (hotspots?.warnings ?? [])
        guard let output, let fingerprints else {
            progress(.finished)
            return RunResult(edition, warnings: inputs.warnings + (trends?.warnings ?? []) + (spatial?.warnings ?? []) + stepWarnings)
        }
        progress(.writingReport)
        let outcome = try ReportStep(context: context).run(
            .init(inputs: inputs, edition: edition, trends: trends, hotspots: hotspots?.report, spatial: spatial, profiles: profiles, supply: supply,
                  similar: similar, history: history?.history, stepWarnings: stepWarnings),
            output: output, fingerprints: fingerprints, timings: timings, progress: progress)
        progress(.finished)
        return RunResult(edition, warnings: outcome.warnings, tables: outcome.tables, files: outcome.files)
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
    /// The version `run.json` records.
    public static let version = "0.1.0"
}

extension RunJob {
    /// This job with the CSV dialect of the tables overridden (`--csv-dialect`).
    package func with(csvDialect: CSVWriter.Style) -> RunJob {
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
    package static func removePreviousReport(at output: URL) throws { try AtomicFolder.removePreviousReport(at: output) }

    /// Removes the partial output of every run in progress (for a signal handler: the process exits next).
    package static func discardPartialOutputs() { AtomicFolder.discardAllOnSignal() }
}
