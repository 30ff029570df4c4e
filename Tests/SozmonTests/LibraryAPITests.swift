import Foundation
import Sozmon
import SozmonIO
import Testing

/// The library as a program uses it: a config built in code, run, its results read as values; and the config's
/// checks reached from code as from a file.
@Suite struct LibraryAPITests {
    static let demoFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../datasets/synthetic-berlin").standardizedFileURL

    /// `datasets/synthetic-berlin/index.toml`, written in code (its catalogue left out: labels change no number).
    static func indexEdition() throws -> RunConfig {
        try RunConfig(title: "Sozialindex 2024 (synthetische Stadt)", baseFolder: demoFolder, sections: [
            .input(table: "indicators_annual.csv", areaID: "PLR_ID", areaName: "PLR_NAME", population: "EW", period: "ZEIT",
                   geometry: "planungsraeume.geojson", geometryID: "PLR_ID", hierarchy: [2, 4, 6],
                   levelNames: ["Bezirk", "Prognoseraum", "Bezirksregion"],
                   indicators: ["S1", "S2", "S3", "S4", "K1", "K2", "K3", "K4"]),
            .eligibility(minPopulation: 300),
            .index(name: "status", preset: .mssStatus, indicators: ["S1", "S3", "S4"]),
            .index(name: "dynamik", preset: .mssDynamik, indicators: ["D1", "D3", "D4"]),
            .combined(status: "status", dynamik: "dynamik", preset: .mss),
            .report(formats: [.csv]),
        ])
    }

    func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-api-\(UUID().uuidString)")
    }

    /// Built in code, the demo's index edition gives the file's results: the same values and classes, area by area,
    /// and (written) the same tables byte for byte; progress arrives in order.
    @Test func aConfigBuiltInCodeRunsAsTheFileDoes() throws {
        let fromFile = try RunJob(configURL: Self.demoFolder.appendingPathComponent("index.toml")).run()
        var stages: [RunProgress] = []
        let fromCode = try RunJob(config: try Self.indexEdition()).run { stages.append($0) }
        #expect(stages == [.readingInputs, .computingIndices, .computingAnalyses, .finished])
        #expect(fromCode.period == "2024")
        #expect(fromCode.areaIDs == fromFile.areaIDs)
        #expect(fromCode.areaIDs.count == 542)
        #expect(fromCode.indices.map(\.name) == ["status", "dynamik"])
        for (a, b) in zip(fromCode.indices, fromFile.indices) {
            #expect(a.values == b.values)
            #expect(a.classes == b.classes)
        }
        // A value a program reads: the status class of one area, as areas.csv publishes it.
        let status = try #require(fromCode.indices.first)
        let i = try #require(fromCode.areaIDs.firstIndex(of: "01011101"))
        let out = temporaryFolder(), outFile = temporaryFolder()
        defer { for f in [out, outFile] { try? FileManager.default.removeItem(at: f) } }
        let written = try RunJob(config: try Self.indexEdition()).run(output: out)
        _ = try RunJob(configURL: Self.demoFolder.appendingPathComponent("index.toml")).run(output: outFile)
        let areas = try CSVTable(contentsOf: out.appendingPathComponent("tables/areas.csv"))
        let row = try #require(areas.rows.first { $0[0] == "01011101" })
        #expect(row[try #require(areas.header.firstIndex(of: "status_class"))] == status.classes[i] ?? "")
        #expect(written.files.contains("tables/areas.csv"))
        for file in written.files where file.hasPrefix("tables/") {
            #expect(try Data(contentsOf: out.appendingPathComponent(file)) == Data(contentsOf: outFile.appendingPathComponent(file)),
                    "\(file) differs between the config in code and the file")
        }
    }

    /// The reader's checks, reached from code: every problem at once, each naming its key.
    @Test func aConfigBuiltInCodeIsCheckedAsAFileIs() throws {
        do {
            _ = try RunConfig(baseFolder: Self.demoFolder, sections: [
                .input(table: "indicators_annual.csv", areaID: "PLR_ID", hierarchy: [2, 4, 6], levelNames: ["Bezirk"]),
                .index(name: "status", indicators: []),
                .spatial(variables: ["S1"], weights: .distance),
                .uncertainty(runs: -1),
            ])
            Issue.record("an invalid config built in code was accepted")
        } catch let error as ConfigProblems {
            let messages = error.problems.map(\.message)
            #expect(messages.contains("'input.level_names' has 1 names for 3 levels"))
            #expect(messages.contains("'index[1].indicators' must list at least one indicator"))
            #expect(messages.contains { $0.hasPrefix("'spatial.distance' (metres, > 0) is needed") })
            #expect(messages.contains { $0.hasPrefix("'uncertainty.runs' must be an integer in 0…") })
            #expect(error.problems.allSatisfy { $0.file == "(config built in code)" && $0.line == 0 })
        }
        #expect(throws: ConfigProblems.self) {
            try RunConfig(baseFolder: Self.demoFolder, sections: [
                .input(table: "a.csv", areaID: "id"), .input(table: "b.csv", areaID: "id"), .index(name: "x", indicators: ["S1"]),
            ])
        }
    }

    /// A problem found while running (a column the table lacks) names the key's line in the config file.
    @Test func aProblemFoundWhileRunningPointsAtTheKeysLine() throws {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in ["indicators_annual.csv", "planungsraeume.geojson"] {
            try FileManager.default.copyItem(at: Self.demoFolder.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
        let config = folder.appendingPathComponent("c.toml")
        try """
        [input]
        table = "indicators_annual.csv"
        area_id = "PLR_ID"
        population = "EW"
        period = "ZEIT"

        [[index]]
        name = "status"
        indicators = ["S1", "S9"]

        [profiles]
        levels = ["Bezirk", "Ortsteil"]
        """.write(to: config, atomically: true, encoding: .utf8)
        #expect(throws: InputError(file: config.path, line: 9, column: 1, message: "index 'status' uses indicator 'S9', "
                                   + "which the table does not have (columns: EW, S1, S2, S3, S4, K1, K2, K3, K4)")) {
            try RunJob(configURL: config).run()
        }
        try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "\"S9\"", with: "\"S3\"")
            .write(to: config, atomically: true, encoding: .utf8)
        #expect(throws: InputError(file: config.path, line: 12, column: 1, message: "profiles.levels names \"Ortsteil\"; the levels are "
                                   + "Bezirk, Prognoseraum, Bezirksregion")) {
            try RunJob(configURL: config).run()
        }
    }
}
