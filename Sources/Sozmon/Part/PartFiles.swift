import AreaData
import Foundation
import SozmonIO

extension PartJob {
    /// Splits the config's indicator table into `count` parts (`part-0001.csv` …) in `folder` (atomically), by the
    /// top level of the hierarchy: the top-level units in id order, each whole, are dealt to the parts so that each
    /// has about as many rows (a table without hierarchy is cut into runs of rows). Each part has the header and its
    /// rows with their text as read, UTF-8, with the table's separator. Returns the part files' names.
    public func split(into count: Int, folder output: URL) throws -> [String] {
        guard count >= 1 && count <= 10_000 else {
            throw InputError(file: configURL.path, message: "--parts \(count): give 1 to 10000 parts")
        }
        let url = config.url(config.input.table)
        let detected = try CSVReader(contentsOf: url)
        let dialect = config.input.dialect.applied(to: detected.dialect)
        let reader = dialect == detected.dialect ? detected : try CSVReader(contentsOf: url, dialect: dialect)
        let id = try reader.columnIndex(config.input.areaID)
        // Two reads: the rows of each group (its top-level unit, or its run of rows), then the rows into their parts.
        var rows = 0
        try reader.forEachRecord { _ in rows += 1 }
        guard rows > 0 else { throw InputError(file: url.path, message: "the table has no data rows") }
        func group(_ record: CSVRecord, _ r: Int) throws(InputError) -> String {
            if hierarchy.levelNames.isEmpty { return String(format: "%012d", r * count / rows) }
            let areaID = try reader.text(record, id)
            do { return try hierarchy.parent(of: areaID, level: 0) } catch {
                throw InputError(file: url.path, line: r + 2, column: id + 1, message: "\(error)")
            }
        }
        var rowsPerGroup: [String: Int] = [:], r = 0
        try reader.forEachRecord { (record: CSVRecord) throws(InputError) in
            rowsPerGroup[try group(record, r), default: 0] += 1
            r += 1
        }
        // Units in id order, dealt by the rows before them: unit u goes to part ⌊rows before u · count / rows⌋.
        var partOfGroup: [String: Int] = [:], before = 0
        for g in rowsPerGroup.keys.sorted() {
            partOfGroup[g] = min(count - 1, before * count / rows)
            before += rowsPerGroup[g]!
        }
        let separator = dialect.separator.rawValue
        func line(_ cells: [String]) -> String {
            cells.map { cell in
                cell.contains(separator) || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")
                    ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
            }.joined(separator: separator) + "\n"
        }
        let folder = try AtomicFolder(output)
        do {
            let names = (1...count).map { String(format: "part-%04d.csv", $0) }
            let handles = try names.map { try folder.create($0) }
            defer { for handle in handles { try? handle.close() } }
            var buffers = [String](repeating: line(reader.header), count: count)
            r = 0
            try reader.forEachRecord { (record: CSVRecord) throws(InputError) in
                let p = partOfGroup[try group(record, r)]!
                r += 1
                var cells: [String] = []
                for k in reader.header.indices { cells.append(try reader.text(record, k)) }
                buffers[p] += line(cells)
                if buffers[p].utf8.count > 1 << 22 {
                    do { try handles[p].write(contentsOf: Data(buffers[p].utf8)) } catch {
                        throw InputError(file: folder.staging.path, message: "cannot write a part (\(error.localizedDescription))")
                    }
                    buffers[p] = ""
                }
            }
            for (handle, buffer) in zip(handles, buffers) { try handle.write(contentsOf: Data(buffer.utf8)) }
            try folder.commit()
            return names
        } catch {
            folder.discard()
            throw error
        }
    }

    /// The report folder from the parts' outputs (`apply`), in the order given: each table is the parts' tables one
    /// after the other (their headers must agree), and `run.json` names every part with the checksum of each of its
    /// tables. Written atomically.
    public static func finish(configURL: URL, parts: [URL], output: URL) throws -> RunJob.Outcome {
        let job = try PartJob(configURL: configURL)
        guard let first = parts.first else { throw InputError(file: configURL.path, message: "finish needs the folders of the parts") }
        let names = AtomicFolder.files(in: first.appendingPathComponent("tables")).filter { $0.hasSuffix(".csv") }.sorted()
        guard !names.isEmpty else { throw InputError(file: first.path, message: "no tables/*.csv (the output of sozmon part apply)") }
        var checksums: [[String: String]] = Array(repeating: [:], count: parts.count)
        var merged: [String: String] = [:]
        for name in names {
            var header: Substring?, text = ""
            for (p, part) in parts.enumerated() {
                let url = part.appendingPathComponent("tables").appendingPathComponent(name)
                guard let data = try? Data(contentsOf: url) else {
                    throw InputError(file: url.path, message: "is missing: every part has the same tables")
                }
                checksums[p][name] = SHA256.hex(data)
                let content = String(decoding: data, as: UTF8.self)
                let end = content.firstIndex(of: "\n").map { content.index(after: $0) } ?? content.endIndex
                let head = content[..<end]
                if let header, header != head {
                    throw InputError(file: url.path, line: 1, message: "its header differs from that of \(parts[0].path)")
                }
                if header == nil { header = head; text += head }
                text += content[end...]
            }
            merged[name] = text
        }
        let warnings = job.notWritten.map { "\($0) are not written by a part run" }
        let folder = try AtomicFolder(output)
        do {
            for name in names { try folder.write(merged[name]!, to: "tables/\(name)") }
            let files = (names.map { "tables/\($0)" } + ["run.json"]).sorted()
            let manifest: [String: Any] = [
                "sozmon": Sozmon.version, "config": configURL.path, "mode": "parts",
                "parts": zip(parts, checksums).map { ["folder": $0.path, "tables": $1] }, "files": files, "warnings": warnings]
            try folder.write(String(decoding: try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys]),
                                    as: UTF8.self) + "\n", to: "run.json")
            try folder.commit()
            return RunJob.Outcome(tables: names.map { String($0.dropLast(4)) }, files: files, warnings: warnings)
        } catch {
            folder.discard()
            throw error
        }
    }
}
