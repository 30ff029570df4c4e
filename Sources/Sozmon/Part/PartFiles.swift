import AreaData
import Foundation
import Indicators
import Reporting
import SozmonIO

extension PartJob {
    /// Splits the config's indicator table into `count` parts (`part-0001.csv` …) in `folder` (atomically), by the
    /// top level of the hierarchy: the top-level units in id order, each whole, are dealt to the parts so that each
    /// has about as many rows (a table without hierarchy is cut into runs of rows). Each part has the header and its
    /// records' fields byte for byte (quoted where they must be); `dialect.json` beside them records the table's
    /// dialect, which the parts are read with. Returns the part files' names: fewer than `count` where there are
    /// fewer top-level units (no part is empty).
    public func split(into count: Int, folder output: URL) throws -> [String] {
        guard count >= 1 && count <= 10_000 else {
            throw InputError(file: configURL.path, message: "--parts \(count): give 1 to 10000 parts")
        }
        let url = config.url(config.input.table)
        let detected = try CSVReader(contentsOf: url)
        let dialect = config.input.dialect.applied(to: detected.dialect)
        let reader = dialect == detected.dialect ? detected : try CSVReader(contentsOf: url, dialect: dialect)
        let id = try reader.columnIndex(config.input.areaID)
        // Three reads: the ids' lengths (ids that lost leading zeros in a spreadsheet are read padded, as the panel
        // reader repairs them, so that they join their unit), the rows of each group (its top-level unit, or its run
        // of rows), then the rows into their parts.
        var lengths: [Int: Int] = [:], rows = 0
        var unseen = Set(config.eligibility.exclude)
        try reader.forEachRecord { (record: CSVRecord) throws(InputError) in
            lengths[record.range(id).count, default: 0] += 1
            rows += 1
            if !unseen.isEmpty { unseen.remove(try reader.text(record, id)) }
        }
        guard rows > 0 else { throw InputError(file: url.path, message: "the table has no data rows") }
        if let id = unseen.sorted().first {
            throw InputError(file: configURL.path, message: "eligibility.exclude names area \(id), which the table does not have")
        }
        let common = lengths.max { ($0.value, $0.key) < ($1.value, $1.key) }!.key
        func group(_ record: CSVRecord) throws(InputError) -> String {
            var areaID = try reader.text(record, id)
            if areaID.utf8.count < common && areaID.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
                areaID = String(repeating: "0", count: common - areaID.utf8.count) + areaID
            }
            do { return try hierarchy.parent(of: areaID, level: 0) } catch {
                throw InputError(file: url.path, line: record.line, column: id + 1, message: "\(error)")
            }
        }
        let flat = hierarchy.levelNames.isEmpty
        var rowsPerGroup: [String: Int] = [:]
        if !flat {
            try reader.forEachRecord { (record: CSVRecord) throws(InputError) in rowsPerGroup[try group(record), default: 0] += 1 }
        }
        // Units in id order, dealt by the rows before them: unit u goes to part ⌊rows before u · count / rows⌋. Parts
        // that get no unit (more parts asked than there are units, or a unit larger than a part) are not written:
        // the others are numbered on.
        var partOfGroup: [String: Int] = [:], before = 0
        for g in rowsPerGroup.keys.sorted() {
            partOfGroup[g] = min(count - 1, before * count / rows)
            before += rowsPerGroup[g]!
        }
        let used = flat ? Array(0..<min(count, rows)) : Set(partOfGroup.values).sorted()
        let number = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($1, $0) })
        partOfGroup = partOfGroup.mapValues { number[$0]! }
        let parts = used.count
        let separator = UInt8(ascii: dialect.separator.rawValue.unicodeScalars.first!), quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n")
        func append(_ field: ArraySlice<UInt8>, to buffer: inout [UInt8]) {
            if field.contains(where: { $0 == separator || $0 == quote || $0 == newline || $0 == 13 }) {
                buffer.append(quote)
                for byte in field { if byte == quote { buffer.append(quote) }; buffer.append(byte) }
                buffer.append(quote)
            } else {
                buffer.append(contentsOf: field)
            }
        }
        var header: [UInt8] = []
        for (k, name) in reader.header.enumerated() {
            if k > 0 { header.append(separator) }
            let bytes = dialect.encoding == .utf8 ? Data(name.utf8) : name.data(using: .windowsCP1252) ?? Data(name.utf8)
            append(ArraySlice(bytes), to: &header)
        }
        header.append(newline)
        let folder = try AtomicFolder(output)
        do {
            let names = (1...parts).map { String(format: "part-%04d.csv", $0) }
            let handles = try names.map { try folder.create($0) }
            defer { for handle in handles { try? handle.close() } }
            var buffers = [[UInt8]](repeating: header, count: parts)
            var failure: Error?, r = 0
            // With [spatial]: how the parts' areas interleave in the table (runs of first appearances), for gather.
            var seen = Set<ArraySlice<UInt8>>(), runs: [(part: Int, areas: Int)] = []
            try reader.forEachRecord { (record: CSVRecord) throws(InputError) in
                let p = flat ? min(parts - 1, r * parts / rows) : partOfGroup[try group(record)]!
                r += 1
                if config.spatial != nil && seen.insert(record.field(id)).inserted {
                    if runs.last?.part == p { runs[runs.count - 1].areas += 1 } else { runs.append((p, 1)) }
                }
                for k in 0..<record.count {
                    if k > 0 { buffers[p].append(separator) }
                    append(record.field(k), to: &buffers[p])
                }
                buffers[p].append(newline)
                if buffers[p].count > 1 << 22 && failure == nil {
                    do { try handles[p].write(contentsOf: buffers[p]) } catch { failure = error }
                    buffers[p].removeAll(keepingCapacity: true)
                }
            }
            if let failure { throw OutputError(path: folder.staging.path, writing: failure, action: "write a part") }
            for (handle, buffer) in zip(handles, buffers) { try handle.write(contentsOf: buffer) }
            if config.spatial != nil {
                let handle = try folder.create(Self.orderFile)
                defer { try? handle.close() }
                var writer = ExchangeWriter(handle: handle)
                try writer.row([.text("part"), .text("areas")])
                for run in runs { try writer.row([.number(Double(run.part + 1)), .number(Double(run.areas))]) }
                try writer.flush()
            }
            let recorded = ["separator": dialect.separator.rawValue, "decimal": dialect.decimalMark.rawValue,
                            "thousands": dialect.thousandsSeparator.rawValue, "encoding": dialect.encoding.rawValue]
            try folder.write(String(decoding: try JSONSerialization.data(withJSONObject: recorded, options: [.sortedKeys]),
                                    as: UTF8.self) + "\n", to: "dialect.json")
            try folder.commit()
            return names
        } catch {
            folder.discard()
            throw error
        }
    }

    /// The report folder from the parts' outputs (`apply`), in the order given: each table is the parts' tables one
    /// after the other (their headers must agree), `diagnostics_<index>.csv` from the merged co-moments of `moments`
    /// (where the config asks for diagnostics), and `run.json` naming every part with the checksum of each of its
    /// tables. Written atomically.
    public static func finish(configURL: URL, parts: [URL], moments: PartMoments? = nil, spatial: [URL] = [], gathered: URL? = nil,
                              output: URL) throws -> RunJob.Outcome {
        let job = try PartJob(configURL: configURL)
        guard (job.config.spatial == nil) == spatial.isEmpty, (job.config.spatial == nil) == (gathered == nil),
              spatial.isEmpty || spatial.count == parts.count else {
            throw InputError(file: configURL.path, message: job.config.spatial == nil
                             ? "the config has no [spatial]: finish takes no --spatial or --gathered"
                             : "[spatial]: finish needs --gathered (from gather) and --spatial with the output of part spatial of each of the \(parts.count) parts")
        }
        let (spatialTables, spatialWarnings) = try gathered.map { try job.spatialTables(parts: spatial, gathered: $0) } ?? ([], [])
        // As `sozmon run`: the diagnostics of every index of two or more indicators that has them.
        var diagnostics: [Table] = []
        if let moments, job.config.report.diagnostics {
            for index in job.config.indices where index.indicators.count >= 2 {
                guard let merged = moments.indices[index.name]?.diagnostics else {
                    throw InputError(file: configURL.path, message: "the moments have no index '\(index.name)'")
                }
                if let d = try? IndicatorDiagnostics(merged) {
                    diagnostics.append(Edition.diagnosticsTable(index.name, indicators: index.indicators, d))
                }
            }
        }
        guard let first = parts.first else { throw InputError(file: configURL.path, message: "finish needs the folders of the parts") }
        let names = AtomicFolder.files(in: first.appendingPathComponent("tables")).filter { $0.hasSuffix(".csv") }.sorted()
        guard !names.isEmpty else { throw InputError(file: first.path, message: "no tables/*.csv (the output of sozmon part apply)") }
        var checksums: [[String: String]] = Array(repeating: [:], count: parts.count)
        let warnings = job.notWritten.map { "\($0) are not written by a part run" } + spatialWarnings
        let folder = try AtomicFolder(output)
        do {
            // Each table: the first part's header, then every part's records, byte for byte.
            for name in names {
                let handle = try folder.create("tables/\(name)")
                defer { try? handle.close() }
                var header: Data?
                for (p, part) in parts.enumerated() {
                    let url = part.appendingPathComponent("tables").appendingPathComponent(name)
                    guard let data = try? Data(contentsOf: url, options: .alwaysMapped) else {
                        throw InputError(file: url.path, message: "is missing: every part has the same tables")
                    }
                    checksums[p][name] = SHA256.hex(data)
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
            for table in diagnostics + spatialTables {
                let handle = try folder.create("tables/\(table.name).csv")
                defer { try? handle.close() }
                try table.writeCSV(to: handle, style: job.config.report.csvDialect)
            }
            let tables = (names.map { String($0.dropLast(4)) } + (diagnostics + spatialTables).map(\.name)).sorted()
            let files = (tables.map { "tables/\($0).csv" } + ["run.json"]).sorted()
            let manifest: [String: Any] = [
                "sozmon": Sozmon.version, "config": configURL.path, "mode": "parts",
                "parts": zip(parts, checksums).map { ["folder": $0.path, "tables": $1] }, "files": files, "warnings": warnings]
            try folder.write(String(decoding: try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys]),
                                    as: UTF8.self) + "\n", to: "run.json")
            try folder.commit()
            return RunJob.Outcome(tables: tables, files: files, warnings: warnings)
        } catch {
            folder.discard()
            throw error
        }
    }
}
