import Foundation
import Indicators
import SozmonIO
import Statistics

/// The moments of one pass of a distributed run, of one part or merged over several (`sozmon part stats`, `merge`),
/// as JSON. Numbers are written with the shortest text that reads back to the same double. The record names the
/// config and the split it belongs to (SHA-256, `PartRecords`) and carries a checksum of its content, so that moments
/// of another city, or edited ones, are refused.
package struct PartMoments: Codable, Sendable, Equatable {
    /// One index's moments: of each indicator and their co-moments for the diagnostics (pass 1, and carried in
    /// pass 2), and of the aggregate (pass 2).
    package struct Index: Codable, Sendable, Equatable {
        package var indicators: ColumnMoments
        package var diagnostics: CoMoments
        package var aggregate: Moments?
    }

    package var format = PartRecords.format
    /// 1 or 2.
    package var pass: Int
    /// The SHA-256 of the config file and of the split's record.
    package var config: String
    package var split: String
    /// The parts these moments are of, in merge order.
    package var parts: [String]
    package var indices: [String: Index]
    /// The SHA-256 of the record's JSON with an empty checksum (set by `write`, checked by `read`).
    package var checksum = ""

    init(pass: Int, config: String, split: String, parts: [String], indices: [String: Index]) {
        self.pass = pass; self.config = config; self.split = split; self.parts = parts; self.indices = indices
    }

    /// Refuses moments that are not of `pass`, of this config and split, over every part of it exactly once.
    func check(pass expected: Int, config: String, split: String, parts all: [String], file: String) throws {
        guard pass == expected else {
            throw InputError(file: file, message: "these are moments of pass \(pass); pass \(expected)'s merged moments are needed")
        }
        guard self.config == config, self.split == split else {
            throw InputError(file: file, message: "these moments belong to another config or another split (another city?): "
                             + "give the merged moments of this split's parts")
        }
        let missing = all.filter { !parts.contains($0) }
        guard missing.isEmpty && parts.count == all.count else {
            throw InputError(file: file, message: "these moments are of \(parts.count) parts, the split has \(all.count)"
                             + (missing.isEmpty ? "" : " (missing: \(missing.joined(separator: ", ")))")
                             + ": merge the moments of every part, each once")
        }
    }
    /// The moments of all of `files`, merged in the order given. The files must be of one pass; in pass 2 they must
    /// carry the same indicator moments (those merged in pass 1).
    package static func merge(_ all: [PartMoments]) throws -> PartMoments {
        guard var merged = all.first else { throw InputError(file: "", message: "nothing to merge: give the moments of at least one part") }
        merged.checksum = ""
        for (k, next) in all.enumerated().dropFirst() {
            guard next.pass == merged.pass, Set(next.indices.keys) == Set(merged.indices.keys) else {
                throw InputError(file: next.parts.joined(separator: ", "), message: "moments of another pass or other indices "
                                 + "than \(all[0].parts.joined(separator: ", ")) (file \(k + 1) of \(all.count))")
            }
            guard next.config == merged.config, next.split == merged.split else {
                throw InputError(file: next.parts.joined(separator: ", "), message: "moments of another config or split than "
                                 + "\(all[0].parts.joined(separator: ", ")) (file \(k + 1) of \(all.count))")
            }
            if let twice = next.parts.first(where: merged.parts.contains) {
                throw InputError(file: twice, message: "is given twice to merge (file \(k + 1) of \(all.count)): each part once")
            }
            for (name, index) in next.indices {
                var into = merged.indices[name]!
                if merged.pass == 1 {
                    into.indicators = into.indicators.merged(with: index.indicators)
                    into.diagnostics = into.diagnostics.merged(with: index.diagnostics)
                } else {
                    guard into.indicators == index.indicators, into.diagnostics == index.diagnostics else {
                        throw InputError(file: next.parts.joined(separator: ", "), message: "index '\(name)': the second pass of "
                                         + "this part used other indicator moments than the others")
                    }
                    into.aggregate = (into.aggregate ?? .empty).merged(with: index.aggregate ?? .empty)
                }
                merged.indices[name] = into
            }
            merged.parts += next.parts
        }
        return merged
    }

    /// Reads moments that `write` wrote, refusing another format and a changed file (its checksum).
    package static func read(_ url: URL) throws -> PartMoments {
        let moments = try PartRecords.decoded(PartMoments.self, from: url, what: "the moments of a part run (sozmon part stats)")
        guard moments.checksum == (try moments.computedChecksum()) else {
            throw InputError(file: url.path, message: "was changed after sozmon wrote it (its checksum differs): compute it again")
        }
        return moments
    }

    /// The SHA-256 of the record with an empty checksum.
    func computedChecksum() throws -> String {
        var copy = self
        copy.checksum = ""
        return SHA256.hex(try PartRecords.encoded(copy))
    }

    package func json() throws -> String {
        var sealed = self
        sealed.checksum = try computedChecksum()
        return String(decoding: try PartRecords.encoded(sealed), as: UTF8.self) + "\n"
    }

    /// Writes the JSON whole (a temporary file renamed into place: a task that fails leaves no half file; a retried
    /// task writes the same file again).
    package func write(to url: URL) throws {
        let text = try json()
        do { try text.write(to: url, atomically: true, encoding: .utf8) } catch {
            throw OutputError(path: url.path, writing: error, action: "write the moments")
        }
    }
}
