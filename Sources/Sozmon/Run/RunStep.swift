import AreaData
import Foundation
import Reporting
import SozmonIO

/// What every step of a run knows: the config, where it lies (its paths are relative to it), and the hierarchy of
/// the areas.
struct RunContext: Sendable {
    var config: RunConfig
    /// The config file; `nil` for a config built in code.
    let configURL: URL?
    let hierarchy: AreaHierarchy
}

/// A step of a run, a type with typed inputs and a typed result: `InputStep` → `InputSet`; `IndexStep` →
/// `Edition`; `TrendStep` → `TrendReport`; `SpatialStep` → `SpatialReport`; `ProfileStep` → `[RegionProfiles]`;
/// `SupplyStep` → `SupplyReport`; `ReportStep` writes them all.
protocol RunStep {
    var context: RunContext { get }
}

extension RunStep {
    /// What a section names (an indicator or `<index>_value`) over the edition's areas, or an error naming the section.
    func values(of name: String, in edition: Edition, section: String) throws -> [Double] {
        guard var values = edition.values(of: name) else {
            throw config.error(at: sectionPath(section, "variables"), "\(section) names '\(name)', which is neither an indicator "
                             + "(\(edition.indicatorNames.joined(separator: ", "))) nor an index value (<index>_value)")
        }
        // The value of an area whose population is below the disclosure threshold is used by no statistic published
        // per area (spatial statistics, maps): its neighbours' local statistics would give it back, and with it the
        // count (docs/disclosure.md).
        for (i, people) in edition.population.enumerated()
        where SuppressionPattern.isSmall(people, threshold: config.report.disclosureThreshold) { values[i] = .nan }
        return values
    }

    /// A section's table (default: the indicator table), at the frequency the section asks for; a table that several
    /// sections name (`[trends]`, `[quarters]`, `[hotspots]`: often one quarterly table) is read once, through `tables`.
    func sectionPanel(_ path: String?, dialect: RunConfig.DialectOverride, resampling: RunConfig.Resampling,
                      section: String, inputs: InputSet, tables: SectionTables) throws -> Panel {
        guard let path, path != config.input.table else { return try resampled(inputs.panel, resampling, section: section) }
        return try tables.panel("\(path)\u{1F}\(dialect)\u{1F}\(resampling)") {
            try readPanel(config.url(path), dialect: dialect, resampling: resampling, section: section).panel
        }
    }

    /// The config path of `key` in the section a message names: `[trends]` → `trends.key`; a section named with its
    /// key (`[clusters] floor_variable`) → that key.
    func sectionPath(_ section: String, _ key: String) -> String {
        let words = section.split(separator: " ")
        return (words.first ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "[]")) + "." + (words.count > 1 ? String(words[1]) : key)
    }

    var config: RunConfig { context.config }
    var configURL: URL? { context.configURL }
    var hierarchy: AreaHierarchy { context.hierarchy }
}


/// The tables the sections of a run read besides the indicator table, each read once (by path, dialect and
/// frequency) and let go with the run's steps.
final class SectionTables: @unchecked Sendable {
    private var panels: [String: Panel] = [:]
    func panel(_ key: String, read: () throws -> Panel) rethrows -> Panel {
        if let known = panels[key] { return known }
        let panel = try read()
        panels[key] = panel
        return panel
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

/// The SHA-256 of every input for `run.json`, computed on a thread of its own (timed as "fingerprints"), with each
/// file's state (device, inode, size, modification time) when it was hashed: `verified()` checks at the end of the
/// run that no input changed meanwhile, so that the fingerprints are those of the bytes the run analysed.
final class Fingerprints: @unchecked Sendable {
    private let done = DispatchGroup()
    private var values: [String: String] = [:]
    private var states: [(name: String, url: URL, state: FileState?)] = []

    /// What identifies a file's content without reading it again.
    struct FileState: Equatable {
        let device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int

        init?(_ url: URL) {
            var info = stat()
            guard stat(url.path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev); inode = UInt64(info.st_ino); size = Int64(info.st_size)
            seconds = info.st_mtim.tv_sec; nanoseconds = info.st_mtim.tv_nsec
        }
    }

    init(_ files: [(name: String, url: URL)], timings: Timings) {
        DispatchQueue.global().async(group: done) { [self] in
            timings.measure("fingerprints") {
                for (name, url) in files {
                    let before = FileState(url)
                    let digest = SHA256.hex(fileAt: url)
                    values[name] = digest != nil && FileState(url) == before ? digest! : "unreadable"
                    states.append((name, url, before))
                }
            }
        }
    }

    /// The fingerprints by file name, once all are computed.
    /// - Throws: `InputError` naming an input that changed (or went) while the run read it.
    func verified() throws -> [String: String] {
        done.wait()
        for (_, url, state) in states where state != nil && FileState(url) != state {
            throw InputError(file: url.path, message: "changed while the run was reading it; no report was written "
                             + "(its fingerprint in run.json would not be of the bytes analysed): run again")
        }
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
