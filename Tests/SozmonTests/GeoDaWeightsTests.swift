import Foundation
import Sozmon
import SozmonIO
import TestSupport
import Testing

/// GeoDa's weights files: read as libpysal reads them (files libpysal wrote for the demo's areas,
/// `Tests/Fixtures/geoda/`), used by a run as its spatial weights, and written by a run so that they read back.
@Suite(.serialized) struct GeoDaWeightsTests {
    static let fixtures = FixtureValue.folder.appendingPathComponent("geoda")
    let expected = try! FixtureValue.load("geoda_weights.json")

    /// The links of a file by area, in the file's order.
    func byArea(_ links: [GeoDaWeights.Link]) -> [String: (neighbours: [String], weights: [Double])] {
        var result: [String: (neighbours: [String], weights: [Double])] = [:]
        for link in links {
            result[link.from, default: ([], [])].neighbours.append(link.to)
            result[link.from, default: ([], [])].weights.append(link.weight)
        }
        return result
    }

    @Test(arguments: ["queen.gal", "knn4.gwt"])
    func filesReadAsLibpysalReadsThem(_ name: String) throws {
        let read = byArea(try GeoDaWeights.read(Self.fixtures.appendingPathComponent(name)))
        let reference = expected[name].object
        #expect(read.count == reference.count && read.count == 542)
        var worst = 0.0
        for (id, value) in reference {
            #expect(read[id]?.neighbours == value["neighbours"].array.map(\.string), "\(id)")
            for (a, b) in zip(read[id]?.weights ?? [], value["weights"].doubles) { worst = max(worst, abs(a - b)) }
        }
        #expect(worst <= 1e-15, "worst weight error \(worst)")
    }

    @Test func badFilesAreNamedWithTheirLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("geoda-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text, line, message) in [
            ("a.gal", "2\nA 2\nB\nB 1\nA\n", 3, "area A has 2 neighbours by line 2, but 1 are listed"),
            ("b.gal", "3\nA 1\nB\nB 1\nA\n", 1, "the header says 3 areas; 2 are listed"),
            ("c.gwt", "0 2 x id\nA B 0.5\nB A -1\n", 3, "weight -1 of B–A; expected a positive number"),
            ("d.gwt", "0 2 x id\nA B\n", 2, "expected `id neighbour weight`"),
            ("e.gal", "many\n", 1, "expected a header with the number of areas"),
            ("empty.gal", "", 1, "expected a header with the number of areas"),
        ] {
            let url = folder.appendingPathComponent(name)
            try text.write(to: url, atomically: false, encoding: .utf8)
            do {
                _ = try GeoDaWeights.read(url)
                Issue.record("\(name) was read")
            } catch {
                #expect(error.line == line && error.message.hasPrefix(message), "\(name): \(error)")
            }
        }
    }

    /// Odd but legal files: Windows line ends, an island with or without the empty line of its neighbours, a
    /// header `0 n layer key`, no empty line at the end.
    @Test func oddButLegalFilesAreRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("geoda-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in [("crlf.gal", "3\r\nA 1\r\nB\r\nB 1\r\nA\r\nC 0\r\n\r\n"),
                             ("island-last.gal", "0 3 map id\nA 1\nB\nB 1\nA\nC 0"),
                             ("island-first.gal", "3\nC 0\nA 1\nB\nB 1\nA\n")] {
            let url = folder.appendingPathComponent(name)
            try text.write(to: url, atomically: false, encoding: .utf8)
            let links = try GeoDaWeights.read(url)
            #expect(links.map { "\($0.from)-\($0.to)" } == ["A-B", "B-A"], "\(name): \(links)")
        }
    }

    /// A run with `weights = "file"` and libpysal's queen.gal gives the statistics of `weights = "queen"` (the same
    /// neighbours); `formats` with "gal" writes the weights it used, which read back as they were.
    @Test func aRunUsesAndWritesGeoDaWeights() throws {
        let demo = try DemoData.configURL().deletingLastPathComponent()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-geoda-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: demo, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("queen.gal"), to: folder.appendingPathComponent("queen.gal"))
        let config = folder.appendingPathComponent("sozialindex.toml")
        let text = try String(contentsOf: config, encoding: .utf8)
        try text.replacingOccurrences(of: "weights = \"queen\"", with: "weights = \"file\"\nweights_file = \"queen.gal\"")
            .replacingOccurrences(of: "\"geojson\", \"gpkg\"]", with: "\"geojson\", \"gpkg\", \"gal\"]")
            .write(to: folder.appendingPathComponent("file.toml"), atomically: false, encoding: .utf8)
        let byFile = folder.appendingPathComponent("by-file"), byQueen = folder.appendingPathComponent("by-queen")
        _ = try RunJob(configURL: folder.appendingPathComponent("file.toml")).run(output: byFile)
        _ = try RunJob(configURL: config).run(output: byQueen)
        let global = { (out: URL) in try String(contentsOf: out.appendingPathComponent("tables/spatial_global.csv"), encoding: .utf8) }
        let fromFile = try global(byFile), fromQueen = try global(byQueen)
        #expect(fromFile.replacingOccurrences(of: ",file", with: "").replacingOccurrences(of: "file ", with: "")
                == fromQueen.replacingOccurrences(of: ",queen", with: "").replacingOccurrences(of: "queen ", with: ""),
                "the same statistics from libpysal's queen file as from sozmon's queen weights")
        let written = byArea(try GeoDaWeights.read(byFile.appendingPathComponent("weights.gal")))
        let original = byArea(try GeoDaWeights.read(Self.fixtures.appendingPathComponent("queen.gal")))
        #expect(written.count == original.count && written.allSatisfy { Set($0.value.neighbours) == Set(original[$0.key]!.neighbours) })
        let gwt = byArea(try GeoDaWeights.read(byFile.appendingPathComponent("weights.gwt")))
        #expect(gwt.count == 542 && gwt.allSatisfy { $0.value.weights.allSatisfy { $0 == 1 } }, "the untransformed (binary) weights")
    }
}
