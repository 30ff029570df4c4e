import AreaData
import Foundation
import Indicators
import LinearAlgebra
import Parquet
import Reporting
import SozmonIO

extension PartJob {
    /// Splits the config's indicator table into `count` parts (`part-0001.csv` …) in `folder` (atomically), by the
    /// top level of the hierarchy: the top-level units in id order, each whole, are dealt to the parts so that each
    /// has about as many rows (a table without hierarchy is cut into runs of rows). Each part has the header and its
    /// records' fields byte for byte (quoted where they must be); `split.json` beside them records the table's
    /// dialect, which the parts are read with. The tables of `[trends]` and `[quarters]` are split alike, each unit
    /// into the same part (`part-0001.1.csv` …, recorded in `split.json`). Where the single run's order of areas
    /// matters (`[spatial]`, `[trends]`, `[quarters]`), `order.csv` (`order.1.csv` …) records how the parts' areas
    /// interleave in each table. Returns the part files' names: fewer than `count` where there are fewer top-level
    /// units (no part is empty).
    package func split(into count: Int, folder output: URL) throws -> [String] {
        guard count >= 1 && count <= 10_000 else {
            throw config.error(at: nil, "--parts \(count): give 1 to 10000 parts")
        }
        // The indicator table and those of [trends]/[quarters], each read (and then written) on a core of its own.
        let excluded = Set(config.eligibility.exclude), hierarchy = hierarchy
        let sources = [(path: config.input.table, dialect: config.input.dialect)] + sectionTables
        let urls = sources.map { config.url($0.path) }
        let tables = try parallelMap(sources.count) { k in
            try SplitTable(urls[k], override: sources[k].dialect, areaID: config.input.areaID, hierarchy: hierarchy,
                           lookingFor: k == 0 ? excluded : [])
        }
        let main = tables[0]
        if let id = excluded.subtracting(main.found).sorted().first {
            throw config.error(at: "eligibility.exclude", "eligibility.exclude names area \(id), which the table does not have")
        }
        // Units in id order, dealt by the rows before them: unit u goes to part ⌊rows before u · count / rows⌋. Parts
        // that get no unit (more parts asked than there are units, or a unit larger than a part) are not written:
        // the others are numbered on.
        let flat = hierarchy.levelNames.isEmpty
        var partOfGroup: [String: Int] = [:], before = 0
        for g in main.rowsPerGroup.keys.sorted() {
            partOfGroup[g] = min(count - 1, before * count / main.rows)
            before += main.rowsPerGroup[g]!
        }
        let used = flat ? Array(0..<min(count, main.rows)) : Set(partOfGroup.values).sorted()
        let number = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($1, $0) })
        let unitsToParts = partOfGroup.mapValues { number[$0]! }
        let parts = used.count
        let ordered = config.spatial != nil || config.trends != nil || config.quarters != nil
        let folder = try AtomicFolder(output)
        do {
            let names = (1...parts).map { String(format: "part-%04d.csv", $0) }
            // Table k > 0 (a section's) into part-0001.k.csv …, with its own order file; every unit into its part.
            let indicatorTable = config.input.table
            _ = try parallelMap(tables.count) { k in
                let table = tables[k]
                try table.write(into: folder, names: k == 0 ? names : names.map { String($0.dropLast(4)) + ".\(k).csv" },
                                order: k == 0 ? (ordered ? Self.orderFile : nil) : "order.\(k).csv") { (record: CSVRecord, r: Int) throws(InputError) -> Int in
                    if flat { return min(parts - 1, r * parts / table.rows) }
                    let unit = try table.group(record)
                    guard let p = unitsToParts[unit] else {
                        throw InputError(file: table.reader.file, line: record.line, message: "unit \(unit) is not in the indicator table "
                                         + "\(indicatorTable): a part run splits every table by the units of that table")
                    }
                    return p
                }
            }
            var recorded: [String: SplitRecord.Section] = [:]
            for (k, section) in sources.enumerated().dropFirst() {
                recorded[section.path] = SplitRecord.Section(tag: String(k), dialect: tables[k].dialectRecord)
            }
            let digests = try PartRecords.digests(of: folder)
            let record = SplitRecord(config: configSHA256, parts: names.map { SplitRecord.Part(name: $0, sha256: digests[$0]!) },
                                     files: digests.filter { !names.contains($0.key) }, dialect: main.dialectRecord,
                                     sections: recorded)
            try folder.write(String(decoding: try PartRecords.encoded(record), as: UTF8.self) + "\n", to: SplitRecord.file)
            try folder.commit()
            return names
        } catch {
            folder.discard()
            throw error
        }
    }

    /// `parquet/<table>.parquet` of each table the parts wrote (`names`, a row group per part, typed by the evidence
    /// of all parts, as the single run types the whole column) and of the tables finish made whole. The parts' CSV
    /// tables are read back in their dialect: in `excel-de`, numbers keep the 15 significant digits the CSV has.
    /// Returns the files' paths in the report.
    func writeParquet(_ names: [String], of parts: [URL], outputs: [PartOutput], whole: [Table], into folder: AtomicFolder) throws -> [String] {
        let symbol = DisclosureControl.symbol, german = config.report.csvDialect == .excelGerman
        for name in names {
            let evidence = try outputs.map { output in
                guard let e = output.evidence?[name] else {
                    throw InputError(file: output.part, message: "part.json has no Parquet types of \(name): apply the parts with this config")
                }
                return e
            }
            guard evidence.allSatisfy({ $0.count == evidence[0].count }) else {
                throw InputError(file: parts[0].path, message: "part.json records \(name) with other columns than another part's")
            }
            let merged = evidence.dropFirst().reduce(evidence[0]) { zip($0, $1).map { $0.merged(with: $1) } }
            let types = merged.map(StorageType.init)
            let handle = try folder.create("parquet/\(name).parquet")
            defer { try? handle.close() }
            var stream = try ParquetWriter.Stream(handle, evidence: merged, suppressedSymbol: symbol)
            for part in parts {
                let url = part.appendingPathComponent("tables/\(name).csv")
                let csv = try CSVTable(contentsOf: url)
                guard csv.header.count == types.count else {
                    throw InputError(file: url.path, line: 1, message: "has \(csv.header.count) columns; apply recorded \(types.count)")
                }
                var table = Table(name: name, columns: csv.header)
                let cells = try types.indices.map { j in
                    try csv.rows.indices.map { r throws(InputError) -> Table.Cell in
                        try Self.cell(csv.rows[r][j], as: types[j], suppressedSymbol: symbol, german: german) {
                            InputError(file: url.path, line: csv.lines[r], column: j + 1, message: "'\(csv.rows[r][j])' is not \($0)")
                        }
                    }
                }
                table.append(Table.Block(count: csv.rows.count, columns: cells.map { .cells($0) }))
                try stream.append(table)
            }
            try stream.finish(createdBy: "sozmon \(Sozmon.version)")
        }
        for table in whole {
            try folder.write(ParquetWriter.encode(table, suppressedSymbol: symbol, createdBy: "sozmon \(Sozmon.version)"),
                             to: "parquet/\(table.name).parquet")
        }
        return (names + whole.map(\.name)).map { "parquet/\($0).parquet" }
    }

    /// A CSV field of a report table as the cell it was, given its column's type.
    package static func cell(_ field: String, as type: StorageType, suppressedSymbol symbol: String, german: Bool,
                     error: (String) -> InputError) throws(InputError) -> Table.Cell {
        if field.isEmpty { return .empty }
        switch type {
        case .text: return .text(field)
        case .real, .integer:
            if field == symbol { return .text(symbol) }
            guard let value = Double(german ? field.replacingOccurrences(of: ",", with: ".") : field) else { throw error("a number") }
            return .number(value)
        case .boolean:
            switch field {
            case "true", "WAHR": return .bool(true)
            case "false", "FALSCH": return .bool(false)
            default: throw error("true or false")
            }
        }
    }

    /// As `sozmon run`: the diagnostics of every index of two or more indicators that has them, from the merged
    /// co-moments (where the config asks for diagnostics).
    func diagnosticsTables(_ moments: PartMoments) throws -> [Table] {
        guard config.report.diagnostics else { return [] }
        return try config.indices.filter { $0.indicators.count >= 2 }.compactMap { index in
            guard let merged = moments.indices[index.name]?.diagnostics else {
                throw config.error(at: nil, "the moments have no index '\(index.name)'")
            }
            return (try? IndicatorDiagnostics(merged)).map { Edition.diagnosticsTable(index.name, indicators: index.indicators, $0) }
        }
    }

    /// The tables of `[trends]` and `[quarters]` other than the indicator table, each once (path and dialect).
    var sectionTables: [(path: String, dialect: RunConfig.DialectOverride)] {
        var tables: [(path: String, dialect: RunConfig.DialectOverride)] = []
        let trends = config.trends.flatMap { t in t.table.map { ($0, t.dialect) } }
        let quarters = config.quarters.flatMap { q in q.table.map { ($0, q.dialect) } } ?? (config.quarters != nil ? trends : nil)
        for table in [trends, quarters].compactMap({ $0 }) where table.0 != config.input.table && !tables.contains(where: { $0.path == table.0 }) {
            tables.append(table)
        }
        return tables
    }

    /// The report folder from the parts' outputs (`apply`), in the order given: each table is the parts' tables one
    /// after the other (their headers must agree), `diagnostics_<index>.csv` from the merged co-moments of `moments`
    /// (where the config asks for diagnostics), and `run.json` naming every part with the checksum of each of its
    /// tables. Written atomically.
    ///
    /// With `partTablesLeft` the parts' tables are not read and not written: `run.json` lists them with each part's
    /// SHA-256 from its record, and the caller writes each as the parts' `tables/<name>` one after the other (the
    /// header once), checking every part's bytes against those checksums — as `integrations/dask` does, streaming them
    /// from the workers that hold them. Not with `"parquet"` among the formats (finish types the parts' tables).
    package static func finish(configURL: URL, parts: [URL], moments: PartMoments? = nil, spatial: [URL] = [], gathered: URL? = nil,
                              split: URL? = nil, partTablesLeft: Bool = false, output: URL) throws -> RunJob.Outcome {
        let job = try PartJob(configURL: configURL, readsInputs: false)  // reads only what the passes wrote
        if partTablesLeft && job.config.report.formats.contains(.parquet) {
            throw job.config.error(at: "report.formats", "\"parquet\": finish types the parts' tables, so it needs them (leave out --without-part-tables)")
        }
        let trended = job.config.trends != nil || job.config.quarters != nil
        guard !trended || split != nil else {
            throw job.config.error(at: nil, "[trends]/[quarters]: finish needs --split (the folder split wrote)")
        }
        guard (job.config.spatial == nil) == spatial.isEmpty, (job.config.spatial == nil) == (gathered == nil),
              spatial.isEmpty || spatial.count == parts.count else {
            throw job.config.error(at: nil, job.config.spatial == nil
                             ? "the config has no [spatial]: finish takes no --spatial or --gathered"
                             : "[spatial]: finish needs --gathered (from gather) and --spatial with the output of part spatial of each of the \(parts.count) parts")
        }
        // Disclosure control as the single run's: the rows of small populations publish no number.
        let outputs = try job.checkedOutputs(parts, moments: moments) { !partTablesLeft || !$0.hasPrefix(PartOutput.tables) }
        let small = Set(outputs.flatMap(\.smallAreas))
        let (spatialTables, spatialWarnings) = try gathered.map { try job.spatialTables(parts: spatial, gathered: $0) } ?? ([], [])
        let diagnostics = try moments.map(job.diagnosticsTables) ?? []
        guard let first = parts.first else { throw job.config.error(at: nil, "finish needs the folders of the parts") }
        let names = outputs[0].tableNames
        guard !names.isEmpty else { throw InputError(file: first.path, message: "no tables/*.csv (the output of sozmon part apply)") }
        if let p = outputs.indices.first(where: { outputs[$0].tableNames != names }) {
            throw InputError(file: parts[p].path, message: "has other tables than \(parts[0].path): every part has the same tables")
        }
        // Each part's tables as its record has them (checked above, where they are given).
        let checksums = outputs.map { output in
            Dictionary(uniqueKeysWithValues: names.map { ($0, output.files[PartOutput.tables + $0]!) })
        }
        let warnings = job.notWritten.map { "\($0) are not written by a part run" } + spatialWarnings
        let folder = try AtomicFolder(output)
        do {
            // Each table: the first part's header, then every part's records, byte for byte.
            for name in partTablesLeft ? [] : names {
                let handle = try folder.create("tables/\(name)")
                defer { try? handle.close() }
                var header: Data?
                for (p, part) in parts.enumerated() {
                    let url = part.appendingPathComponent("tables").appendingPathComponent(name)
                    guard let data = try? Data(contentsOf: url, options: .alwaysMapped) else {
                        throw InputError(file: url.path, message: "is missing: every part has the same tables")
                    }
                    let end = data.firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? data.endIndex
                    if let header, header != data[data.startIndex..<end] {
                        throw InputError(file: url.path, line: 1, message: "its header differs from that of \(parts[0].path)")
                    }
                    if header == nil {
                        header = data[data.startIndex..<end]
                        try handle.write(contentsOf: header!)
                    }
                    try handle.write(contentsOf: data[end...])
                }
            }
            let trendTables = try split.map { try job.writeTrendTables(parts: parts, splitFolder: $0, into: folder, hiding: small) } ?? []
            let whole = diagnostics + spatialTables.map({ DisclosureControl.suppressingRows(of: small, in: $0) })
            for table in whole {
                let handle = try folder.create("tables/\(table.name).csv")
                defer { try? handle.close() }
                try table.writeCSV(to: handle, style: job.config.report.csvDialect)
            }
            let parquet = job.config.report.formats.contains(.parquet)
                ? try job.writeParquet(names.map { String($0.dropLast(4)) }, of: parts, outputs: outputs, whole: whole, into: folder)
                    + trendTables.map { "parquet/\($0).parquet" } : []
            let tables = (names.map { String($0.dropLast(4)) } + (diagnostics + spatialTables).map(\.name) + trendTables).sorted()
            let files = (tables.map { "tables/\($0).csv" } + parquet + ["run.json"]).sorted()
            // Names, not paths: the same report wherever the passes ran (a worker's folders are gone afterwards).
            let manifest = PartRunManifest(sozmon: Sozmon.version, config: configURL.lastPathComponent, configSha256: job.configSHA256,
                                           parts: zip(parts, checksums).map { .init(folder: $0.lastPathComponent, tables: $1) },
                                           files: files, warnings: warnings)
            try folder.write(String(decoding: try PartRecords.encoded(manifest), as: UTF8.self) + "\n", to: "run.json")
            try folder.commit()
            return RunJob.Outcome(tables: tables, files: files, warnings: warnings)
        } catch {
            folder.discard()
            throw error
        }
    }
}
