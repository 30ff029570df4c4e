import Foundation
import SozmonIO

/// What the passes of a part run hand each other about where their files come from, so that no pass works on, and
/// `finish` never publishes, parts of another split, another config or another city, a part twice or a changed file.
///
/// Every record carries `format` and the SHA-256 of the config file and of the split (`split.json`, which lists every
/// part with its own SHA-256); moments and part outputs carry a checksum of their own content.
enum PartRecords {
    /// The version of the records' format; a record of another is refused.
    static let format = 1

    /// The SHA-256 of the file at `url`, or an error naming it.
    static func sha256(_ url: URL) throws -> String {
        guard let digest = SHA256.hex(fileAt: url) else {
            throw InputError(.missingFile, file: url.path, message: "cannot be read")
        }
        return digest
    }

    /// The version field every record has.
    private struct Format: Decodable { let format: Int? }

    /// Every file written into `folder` so far, with its SHA-256.
    static func digests(of folder: AtomicFolder) throws -> [String: String] {
        var digests: [String: String] = [:]
        for name in folder.writtenFiles() { digests[name] = try sha256(try folder.url(name)) }
        return digests
    }

    /// Whether every file of `digests` is in `folder` with that SHA-256.
    static func unchanged(_ digests: [String: String], in folder: URL) -> Bool {
        digests.allSatisfy { name, digest in SHA256.hex(fileAt: folder.appendingPathComponent(name)) == digest }
    }

    static func encoded<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(value)
    }

    /// Reads a record, refusing another format.
    static func decoded<T: Decodable>(_ type: T.Type, from url: URL, what: String) throws -> T {
        guard let data = try? Data(contentsOf: url) else {
            throw InputError(.missingFile, file: url.path, message: "is missing: \(what) is expected here")
        }
        let decoder = JSONDecoder()
        guard let format = try? decoder.decode(Format.self, from: data).format else {
            throw InputError(file: url.path, message: "is not \(what)")
        }
        guard format == Self.format else {
            throw InputError(file: url.path, message: "is \(what) of format \(format); this sozmon reads format \(Self.format): "
                             + "run every pass with one version")
        }
        do { return try decoder.decode(T.self, from: data) } catch {
            throw InputError(file: url.path, message: "is not \(what): \(error)")
        }
    }
}

/// `split.json`: the config the table was split for, every part with its SHA-256 in part order, every other file
/// split wrote (the parts of the `[trends]`/`[quarters]` tables, order files) with its SHA-256, the dialect the parts
/// are read with, and the tables of `[trends]`/`[quarters]` it cut.
struct SplitRecord: Codable, Equatable {
    struct Part: Codable, Equatable {
        let name: String
        let sha256: String
    }
    /// A table's dialect, as the parts keep it byte for byte.
    struct Dialect: Codable, Equatable {
        let separator: CSVDialect.Separator
        let decimal: CSVDialect.DecimalMark
        let thousands: CSVDialect.ThousandsSeparator
        let encoding: CSVDialect.Encoding

        init(_ d: CSVDialect) { (separator, decimal, thousands, encoding) = (d.separator, d.decimalMark, d.thousandsSeparator, d.encoding) }

        /// The config's override that reads a part in this dialect.
        var override: RunConfig.DialectOverride {
            var o = RunConfig.DialectOverride()
            (o.separator, o.decimal, o.thousands, o.encoding) = (separator, decimal, thousands, encoding)
            return o
        }
    }
    /// A table of `[trends]`/`[quarters]` cut into the same parts: the tag of its files (`part-0001.<tag>.csv`,
    /// `order.<tag>.csv`) and its dialect.
    struct Section: Codable, Equatable {
        let tag: String
        let dialect: Dialect
    }
    var format = PartRecords.format
    /// The SHA-256 of the config file.
    let config: String
    let parts: [Part]
    let files: [String: String]
    let dialect: Dialect
    /// By the table's path in the config.
    let sections: [String: Section]

    /// The record split wrote into `folder`.
    static func read(in folder: URL) throws -> SplitRecord {
        try PartRecords.decoded(SplitRecord.self, from: folder.appendingPathComponent(file), what: "the record of sozmon part split")
    }

    static let file = "split.json"

    /// The record beside `part` (a table split wrote), its SHA-256, and the part's entry, checked: the config is the
    /// one split used, and the part is byte for byte what split wrote.
    static func checked(part: URL, config: String) throws -> (record: SplitRecord, sha256: String, entry: Part) {
        let url = part.deletingLastPathComponent().appendingPathComponent(file)
        let record = try read(in: part.deletingLastPathComponent())
        guard record.config == config else {
            throw InputError(file: part.path, message: "was split for another config (or the config changed since): split "
                             + "again with this one")
        }
        guard let entry = record.parts.first(where: { $0.name == part.lastPathComponent }) else {
            throw InputError(file: part.path, message: "is not one of the parts \(url.path) lists")
        }
        guard try PartRecords.sha256(part) == entry.sha256 else {
            throw InputError(file: part.path, message: "changed since split wrote it (its SHA-256 differs): split again")
        }
        // The part's pieces of the other tables, and the records a part is read with.
        let stem = part.deletingPathExtension().lastPathComponent + "."
        for (name, digest) in record.files where name.hasPrefix(stem) || !name.hasPrefix("part-") {
            let url = part.deletingLastPathComponent().appendingPathComponent(name)
            guard SHA256.hex(fileAt: url) == digest else {
                throw InputError(file: url.path, message: "changed since split wrote it (its SHA-256 differs): split again")
            }
        }
        return (record, try PartRecords.sha256(url), entry)
    }
}

/// `part.json`: what `apply` wrote for a part, and from what.
struct PartOutput: Codable, Equatable {
    var format = PartRecords.format
    let sozmon: String
    let config: String
    let split: String
    /// The part's name and SHA-256, and every part of the split in order.
    let part: String
    let partSha256: String
    let partsOfSplit: [String]
    /// The checksum of the merged moments of the second pass it was applied with.
    let moments: String
    let areas: Int
    /// Per index, the part's areas scored in it (their number adds up to the moments' count over all parts).
    let scored: [String: Int]
    let suppressedCells: Int
    /// The part's areas of a small population: finish publishes no number of theirs in the tables it puts together.
    let smallAreas: [String]
    let warnings: [String]
    /// Every file apply wrote in the folder (but this one), with its SHA-256.
    let files: [String: String]
    /// With `"parquet"` among the formats: per table, what its cells show about each column's type (finish types the
    /// report's Parquet files by the evidence of all parts).
    var evidence: [String: [StorageType.Evidence]]? = nil

    static let file = "part.json"

    static func read(_ folder: URL) throws -> PartOutput {
        try PartRecords.decoded(PartOutput.self, from: folder.appendingPathComponent(file), what: "the output of sozmon part apply")
    }

    /// The folder of the part's tables, which finish puts one after the other.
    static let tables = "tables/"

    /// Whether every file it lists is in `folder` as apply wrote it.
    func filesUnchanged(in folder: URL) -> Bool {
        PartRecords.unchanged(files, in: folder)
    }

    /// The names of the part's tables (`areas.csv` …), from its record.
    var tableNames: [String] {
        files.keys.filter { $0.hasPrefix(Self.tables) && $0.hasSuffix(".csv") }.map { String($0.dropFirst(Self.tables.count)) }.sorted()
    }
}

extension PartJob {
    /// The records of the parts' outputs (`apply`), checked against each other and this config: the same config and
    /// split, every part of the split exactly once and in split's order, applied with the same moments (`moments`,
    /// where given, whose counts of scored areas they must add up to), and every file the pass reads (`reads`, of
    /// the names apply recorded; all by default) as apply wrote it.
    func checkedOutputs(_ parts: [URL], moments: PartMoments? = nil, reads: (String) -> Bool = { _ in true }) throws -> [PartOutput] {
        var outputs: [PartOutput] = []
        for (k, part) in parts.enumerated() {
            let expected = outputs.first?.partsOfSplit[safe: k] ?? String(format: "part-%04d.csv", k + 1)
            guard let output = try? PartOutput.read(part) else {
                throw InputError(file: part.appendingPathComponent(PartOutput.file).path, message: "is not the output of sozmon "
                                 + "part apply on \(expected): give the parts' folders in the order split numbered them")
            }
            guard output.config == configSHA256 else {
                throw InputError(file: part.path, message: "was applied with another config (or the config changed since)")
            }
            if let first = outputs.first, output.split != first.split || output.moments != first.moments {
                throw InputError(file: part.path, message: output.split != first.split
                                 ? "belongs to another split than \(parts[0].path)" : "was applied with other moments than \(parts[0].path)")
            }
            if let earlier = outputs.firstIndex(where: { $0.part == output.part }) {
                throw InputError(file: part.path, message: "is \(output.part) again (given as part \(earlier + 1) already): each part once")
            }
            guard output.part == expected else {
                throw InputError(file: part.path, message: "is \(output.part), where \(expected) is expected: give the parts in "
                                 + "the order split numbered them")
            }
            guard PartRecords.unchanged(output.files.filter { reads($0.key) }, in: part) else {
                throw InputError(file: part.path, message: "a file of this part changed since apply wrote it (its SHA-256 differs)")
            }
            outputs.append(output)
        }
        if let first = outputs.first, outputs.count != first.partsOfSplit.count {
            let missing = first.partsOfSplit.filter { name in !outputs.contains { $0.part == name } }
            throw config.error(at: nil, "\(missing.count) of the split's \(first.partsOfSplit.count) parts are "
                             + "missing: \(missing.joined(separator: ", "))")
        }
        if let moments, let first = outputs.first {
            guard try moments.computedChecksum() == first.moments else {
                throw config.error(at: nil, "the parts were applied with other moments than those given")
            }
            for (name, index) in moments.indices {
                let scored = outputs.reduce(0) { $0 + ($1.scored[name] ?? 0) }
                guard scored == index.aggregate?.count else {
                    throw config.error(at: nil, "index '\(name)': the parts score \(scored) areas, the moments "
                                     + "count \(index.aggregate?.count ?? 0)")
                }
            }
        }
        return outputs
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

/// `run.json` of a report that `finish` put together: the config (file name and SHA-256), every part's folder (its name) with the
/// SHA-256 of each of its tables, every file of the report, and the warnings.
struct PartRunManifest: Codable {
    struct Part: Codable {
        /// The name of the part's folder (of `apply`'s output).
        let folder: String
        let tables: [String: String]
    }
    var format = PartRecords.format
    var mode = "parts"
    let sozmon: String
    /// The config's file name; `configSha256` identifies it.
    let config: String
    let configSha256: String
    let parts: [Part]
    let files: [String]
    let warnings: [String]
}

/// `task.json` in the output folder of `gather` and `part spatial`: what the task was computed from (the config and
/// its inputs' SHA-256) and every file it wrote with its SHA-256. A retried task whose output is committed already
/// finds it sealed with the same inputs and leaves it as it is; a later pass checks what it reads against it.
struct TaskSeal: Codable, Equatable {
    var format = PartRecords.format
    let config: String
    let task: String
    let inputs: [String: String]
    var files: [String: String] = [:]

    static let file = "task.json"

    static func read(_ folder: URL) throws -> TaskSeal {
        try PartRecords.decoded(TaskSeal.self, from: folder.appendingPathComponent(file), what: "the seal of a part run's task")
    }

    /// Whether `output` holds this task's output already, unchanged.
    func isDone(in output: URL) -> Bool {
        guard let done = try? Self.read(output), done.config == config, done.task == task, done.inputs == inputs else { return false }
        return PartRecords.unchanged(done.files, in: output)
    }

    /// Writes the seal of everything written into `folder` so far.
    func seal(_ folder: AtomicFolder) throws {
        var sealed = self
        sealed.files = try PartRecords.digests(of: folder)
        try folder.write(String(decoding: try PartRecords.encoded(sealed), as: UTF8.self) + "\n", to: Self.file)
    }
}
