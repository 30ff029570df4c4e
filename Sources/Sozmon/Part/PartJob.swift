import AreaData
import Foundation
import Indicators
import Parquet
import Reporting
import SozmonIO
import Statistics

/// One edition computed on parts of the areas in passes (`sozmon part …`; driven over a Dask cluster by
/// `integrations/dask`), equal to `sozmon run` on the whole table up to rounding in the last digits:
///
/// 1. `split`: the indicator table into parts by the top level of the hierarchy (a Bezirk is never cut, so every
///    unit of every level, and every group of disclosure control, lies in one part);
/// 2. `stats` on each part: each index's indicator moments and co-moments over the part's complete eligible areas;
///    `merge` them (Chan et al.'s update, parts in order);
/// 3. `stats` again with those moments: the moments of each index's aggregate over the part's scored areas; `merge`;
/// 4. `apply` on each part with both: the part's rows of `areas.csv` and `attention_areas.csv`, and the summaries of
///    its units, with disclosure control;
/// 5. `finish`: the parts' tables one after the other into a report folder, the diagnostics from the merged
///    co-moments, and `run.json` naming every part and the checksum of each of its tables.
///
/// `[spatial]` adds a gather, a pass per part and its tables at finish (`PartSpatial.swift`); `[trends]` and
/// `[quarters]` are computed by apply and put together with their q-values by finish (`PartTrends.swift`).
///
/// What needs more than that stays with `sozmon run` and is refused here, naming the section: hot spots, clusters
/// (optimisation over the whole map), comparable areas,
/// supply, profiles, maps, history, uncertainty, and indices with min–max, percentile-rank or robust
/// normalisation, a geometric mean, PCA weights, winsorising, imputation or sensitivity.
package struct PartJob: RunStep {
    private(set) var context: RunContext
    /// The SHA-256 of the config file, which every record of the run names.
    let configSHA256: String
    /// For a job on a part: its split's record (checked: this config, the part unchanged), that record's SHA-256
    /// and the part's entry.
    let origin: (record: SplitRecord, sha256: String, entry: SplitRecord.Part)?

    /// The job on `part` (a table `split` wrote), or on the config's own table (for `split` and `finish`); with
    /// `readsInputs` false (`spatial` and `finish`, which read only what other passes wrote; `gather` and
    /// `split --tables-only`, given on a worker just the map or the tables they read) the files the config names are
    /// not checked up front, so that a worker without the client's files can run it; a file that is read and missing
    /// is still named then.
    package init(configURL: URL, part: URL? = nil, readsInputs: Bool = true) throws {
        var config = try RunConfig.read(configURL, checkingFiles: part == nil && readsInputs)
        let problems = Self.problems(config)
        guard problems.isEmpty else {
            throw config.error(at: nil, "a part run cannot compute this config: "
                             + problems.joined(separator: "; ") + ". Run it with sozmon run")
        }
        let configSHA256 = try PartRecords.sha256(configURL)
        self.configSHA256 = configSHA256
        origin = try part.map { try SplitRecord.checked(part: $0, config: configSHA256) }
        if let part {
            // A part has the dialect of the table it was split from (split.json beside it); only the table is read.
            let record = origin!.record
            config.input.table = part.path
            config.input.dialect = record.dialect.override
            // The part's pieces of the tables of [trends] and [quarters], in their dialects.
            func piece(_ path: String?) -> (String, RunConfig.DialectOverride)? {
                guard let path, let section = record.sections[path] else { return nil }
                return (part.deletingPathExtension().path + ".\(section.tag).csv", section.dialect.override)
            }
            if let (path, dialect) = piece(config.trends?.table) { config.trends!.table = path; config.trends!.dialect = dialect }
            if let (path, dialect) = piece(config.quarters?.table) { config.quarters!.table = path; config.quarters!.dialect = dialect }
            config.input.geometry = nil
            config.input.neighbours = nil
            config.report.diagnostics = false  // over all areas: from the merged co-moments, by finish
        }
        context = RunContext(config: config, configURL: configURL, hierarchy: try RunJob.hierarchy(config))
    }

    /// What the config asks for that a part run cannot compute.
    static func problems(_ config: RunConfig) -> [String] {
        var problems: [String] = []
        let sections: [(String, Bool)] = [
            ("[hotspots]", config.hotspots != nil),
            ("[clusters]", config.clusters != nil), ("[similar]", config.similar != nil),
            ("[supply]", config.supply != nil), ("[profiles]", config.profiles != nil), ("[maps]", config.maps != nil),
            ("[history]", config.history != nil), ("[previous]", config.previous != nil), ("[crosswalk]", config.crosswalk != nil),
            ("[uncertainty] runs", config.uncertainty.runs > 0)]
        problems += sections.filter(\.1).map { "\($0.0) is not distributed" }
        if config.indices.isEmpty { problems.append("there is no [[index]] to compute") }
        for index in config.indices {
            if !index.definition.isMergeable {
                problems.append("index '\(index.name)' needs normalization z or z-weighted and a sum or mean")
            }
            if index.pcaWeights || index.winsorize != .none || index.impute != .none || index.sensitivity {
                problems.append("index '\(index.name)': pca_weights, winsorize, impute and sensitivity need all areas at once")
            }
        }
        return problems
    }

    /// Files `sozmon run` writes and a part run does not, said in `run.json` and on stderr.
    var notWritten: [String] {
        let others = config.report.formats.filter { $0 != .csv && $0 != .parquet }
        return others.isEmpty ? [] : ["\(others.map(\.rawValue).joined(separator: ", ")) (part runs write the CSV tables and Parquet)"]
    }

    // MARK: Passes

    /// Pass 1 (`moments` nil): each index's indicator moments over this part; pass 2 (the merged moments of pass 1):
    /// each index's aggregate moments over this part.
    package func stats(moments: PartMoments? = nil) throws -> PartMoments {
        let inputs = try InputStep(context: context).run(timings: Timings())
        let step = IndexStep(context: context)
        let prepared = try step.prepare(inputs, wholeCity: false)
        var indices: [String: PartMoments.Index] = [:]
        for index in config.indices {
            let (definition, values, _) = try step.indexInputs(index, prepared)
            if let moments {
                try check(moments, pass: 1)
                guard let merged = moments.indices[index.name] else {
                    throw config.error(at: nil, "the second pass needs the merged moments of the first "
                                     + "(sozmon part merge of the first pass), with index '\(index.name)'")
                }
                let aggregate = try definition.aggregateMoments(values: values, eligible: prepared.eligible,
                                                                population: prepared.population, indicators: merged.indicators)
                indices[index.name] = PartMoments.Index(indicators: merged.indicators, diagnostics: merged.diagnostics,
                                                        aggregate: aggregate)
            } else {
                indices[index.name] = PartMoments.Index(
                    indicators: definition.indicatorMoments(values: values, eligible: prepared.eligible, population: prepared.population),
                    diagnostics: CoMoments(values, include: definition.completeRows(values: values, eligible: prepared.eligible)),
                    aggregate: nil)
            }
        }
        return PartMoments(pass: moments == nil ? 1 : 2, config: configSHA256, split: origin!.sha256, parts: [origin!.entry.name],
                           indices: indices)
    }

    /// Refuses `moments` unless they are the merged moments of `pass` over every part of this job's split.
    func check(_ moments: PartMoments, pass: Int) throws {
        guard let origin else { throw config.error(at: nil, "a pass on a part needs --part") }
        try moments.check(pass: pass, config: configSHA256, split: origin.sha256, parts: origin.record.parts.map(\.name),
                          file: config.origin.file)
    }

    /// This part's tables with the merged moments of both passes, written into `output` (atomically): `tables/*.csv`
    /// and `part.json`. A folder that holds this very output already (a retried task) is left as it is.
    package func apply(moments: PartMoments, output: URL) throws -> [String] {
        try check(moments, pass: 2)
        let momentsChecksum = try moments.computedChecksum()
        if let done = try? PartOutput.read(output), done.config == configSHA256, done.split == origin!.sha256,
           done.partSha256 == origin!.entry.sha256, done.moments == momentsChecksum, done.filesUnchanged(in: output) {
            return done.warnings
        }
        var known: [String: IndexMoments] = [:]
        for index in config.indices {
            guard let m = moments.indices[index.name], let aggregate = m.aggregate else {
                throw config.error(at: nil, "the moments have no index '\(index.name)'")
            }
            guard aggregate.count >= 2 else {
                throw config.error(at: config.path(ofIndex: index.name), "index '\(index.name)': \(aggregate.count) areas are scored in all "
                                 + "parts together; an index needs at least 2")
            }
            known[index.name] = IndexMoments(indicators: m.indicators, aggregate: aggregate)
        }
        let inputs = try InputStep(context: context).run(timings: Timings())
        let edition = try IndexStep(context: context).run(inputs, timings: Timings(), known: known)
        let report = ReportStep(context: context)
        let control = report.disclosureControl(edition)
        let (tables, suppressed) = control.apply(to: [edition.areasTable()] + edition.attentionTables() + edition.summaryTables())
        let folder = try AtomicFolder(output)
        do {
            for table in tables {
                let handle = try folder.create("tables/\(table.name).csv")
                defer { try? handle.close() }
                try table.writeCSV(to: handle, style: config.report.csvDialect)
            }
            try writeSpatialValues(edition, to: folder)
            try writeTrendRows(inputs, to: folder)
            let files = try PartRecords.digests(of: folder)
            let record = PartOutput(sozmon: Sozmon.version, config: configSHA256, split: origin!.sha256, part: origin!.entry.name,
                                    partSha256: origin!.entry.sha256, partsOfSplit: origin!.record.parts.map(\.name),
                                    moments: momentsChecksum, areas: edition.areaIDs.count,
                                    scored: Dictionary(uniqueKeysWithValues: edition.indices.map { ($0.definition.name, $0.scored.filter { $0 }.count) }),
                                    suppressedCells: suppressed, smallAreas: control.smallAreas, warnings: inputs.warnings, files: files,
                                    evidence: config.report.formats.contains(.parquet) ? Dictionary(uniqueKeysWithValues: tables.map {
                                        ($0.name, ParquetWriter.evidence(of: $0, suppressedSymbol: DisclosureControl.symbol))
                                    }) : nil)
            try folder.write(String(decoding: try PartRecords.encoded(record), as: UTF8.self) + "\n", to: PartOutput.file)
            try folder.commit()
        } catch {
            folder.discard()
            throw error
        }
        return inputs.warnings
    }
}
