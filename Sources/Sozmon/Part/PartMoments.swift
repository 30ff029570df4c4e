import Foundation
import Indicators
import SozmonIO
import Statistics

/// The moments of one pass of a distributed run, of one part or merged over several (`sozmon part stats`, `merge`),
/// as JSON. Numbers are written with the shortest text that reads back to the same double.
public struct PartMoments: Codable, Sendable, Equatable {
    /// One index's moments: of each indicator and their co-moments for the diagnostics (pass 1, and carried in
    /// pass 2), and of the aggregate (pass 2).
    public struct Index: Codable, Sendable, Equatable {
        public var indicators: ColumnMoments
        public var diagnostics: CoMoments
        public var aggregate: Moments?
    }

    /// 1 or 2.
    public var pass: Int
    /// The parts these moments are of, in merge order.
    public var parts: [String]
    public var indices: [String: Index]

    /// The moments of all of `files`, merged in the order given. The files must be of one pass; in pass 2 they must
    /// carry the same indicator moments (those merged in pass 1).
    public static func merge(_ all: [PartMoments]) throws -> PartMoments {
        guard var merged = all.first else { throw InputError(file: "", message: "nothing to merge: give the moments of at least one part") }
        for (k, next) in all.enumerated().dropFirst() {
            guard next.pass == merged.pass, Set(next.indices.keys) == Set(merged.indices.keys) else {
                throw InputError(file: next.parts.joined(separator: ", "), message: "moments of another pass or other indices "
                                 + "than \(all[0].parts.joined(separator: ", ")) (file \(k + 1) of \(all.count))")
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

    public static func read(_ url: URL) throws -> PartMoments {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw InputError(file: url.path, message: "cannot be read (\(error.localizedDescription))") }
        do { return try JSONDecoder().decode(PartMoments.self, from: data) } catch {
            throw InputError(file: url.path, message: "is not the moments of a part run (sozmon part stats): \(error)")
        }
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Writes the JSON whole (a temporary file renamed into place: a task that fails leaves no half file).
    public func write(to url: URL) throws {
        let text = try json()
        do { try text.write(to: url, atomically: true, encoding: .utf8) } catch {
            throw OutputError(path: url.path, writing: error, action: "write the moments")
        }
    }
}
