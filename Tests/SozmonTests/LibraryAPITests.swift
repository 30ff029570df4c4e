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
        let i = try #require(fromCode.areaIDs.firstIndex(of: "01020101"))
        let out = temporaryFolder(), outFile = temporaryFolder()
        defer { for f in [out, outFile] { try? FileManager.default.removeItem(at: f) } }
        let written = try RunJob(config: try Self.indexEdition()).run(output: out)
        _ = try RunJob(configURL: Self.demoFolder.appendingPathComponent("index.toml")).run(output: outFile)
        let areas = try CSVTable(contentsOf: out.appendingPathComponent("tables/areas.csv"))
        let row = try #require(areas.rows.first { $0[0] == "01020101" })
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

    /// `validate` lists every problem of a config at once, each at its line: a mistyped key (with the key meant), a
    /// file that does not exist (with the file of that name nearest it), a value of the wrong type.
    @Test func threeProblemsAreListedAtOnce() throws {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data().write(to: folder.appendingPathComponent("indicators.csv"))
        let config = folder.appendingPathComponent("c.toml")
        try """
            [input]
            table = "indicator.csv"
            area_id = "id"
            [eligibility]
            min_populaton = 300
            [[index]]
            name = "status"
            indicators = ["S1"]
            lag = "zwei"
            """.write(to: config, atomically: true, encoding: .utf8)
        do {
            _ = try RunJob(configURL: config).validate()
            Issue.record("a config with three problems was accepted")
        } catch let error as ConfigProblems {
            #expect(error.problems.map(\.line).sorted() == [2, 5, 9], "\(error)")
            #expect(error.description.contains("'input.table': \(folder.appendingPathComponent("indicator.csv").path) does not exist; did you mean \"indicators.csv\"?"))
            #expect(error.description.contains("unknown key 'eligibility.min_populaton'; did you mean 'eligibility.min_population'?"))
            #expect(error.description.contains("'index[1].lag' must be an integer in 1…1000"))
        }
    }

    /// A mistyped key, a column the table lacks and a missing file come in one round (the issue took three): the
    /// table's header is read with the config, where the table exists.
    @Test func aWrongColumnComesWithTheConfigsProblems() throws {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "Gebiet,EW,S1\n01,100,1.5\n".write(to: folder.appendingPathComponent("indicators.csv"), atomically: true, encoding: .utf8)
        let config = folder.appendingPathComponent("c.toml")
        try """
            [input]
            table = "indicators.csv"
            area_id = "gebiet"
            population = "EW"
            geometry = "gebiete.geojson"
            [eligibility]
            min_populaton = 300
            [[index]]
            name = "status"
            indicators = ["S1"]
            """.write(to: config, atomically: true, encoding: .utf8)
        do {
            _ = try RunJob(configURL: config).validate()
            Issue.record("a config with three problems was accepted")
        } catch let error as ConfigProblems {
            #expect(error.problems.map(\.line).sorted() == [3, 5, 7], "\(error)")
            #expect(error.description.contains("'input.area_id' names column 'gebiet', which indicators.csv does not have; did you mean 'Gebiet'?"))
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
        geometry = "planungsraeume.geojson"

        [[index]]
        name = "status"
        indicators = ["S1", "S9"]

        [spatial]
        permutations = 0
          variables = ["S1", "status_wert"]
        """.write(to: config, atomically: true, encoding: .utf8)
        #expect(throws: InputError(file: config.path, line: 10, column: 1, message: "index 'status' uses indicator 'S9', "
                                   + "which the table does not have (columns: S1)")) {
            try RunJob(configURL: config).run()
        }
        try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "\"S9\"", with: "\"S3\"")
            .write(to: config, atomically: true, encoding: .utf8)
        #expect(throws: InputError(file: config.path, line: 14, column: 3, message: "[spatial] names 'status_wert', which is neither "
                                   + "an indicator (S1, S3) nor an index value (<index>_value)")) {
            try RunJob(configURL: config).run()
        }
    }

    /// Every argument of every section is a key the reader knows: a config with all of them given has no unknown key
    /// (a misnamed argument would be one), and the values arrive where the file's would.
    @Test func everyArgumentIsAKeyOfTheFile() throws {
        let sections: [RunConfig.Section] = [
            .input(table: "t.csv", areaID: "id", layout: .wide, areaName: "name", population: "pop", period: "year",
                   referencePeriod: "2024", geometry: "g.geojson", geometryID: "gid", duplicateIDs: .error, neighbours: nil,
                   hierarchy: [2, 4], levelNames: ["A", "B"], parents: nil, indicators: ["S1"],
                   counts: ["S2": (numerator: "n", denominator: "d")], totals: ["01"], cityTotal: "00",
                   separator: .semicolon, decimal: .comma, thousands: .point, encoding: .utf8, frequency: .annual,
                   aggregate: .mean, incomplete: .drop),
            .indicator(code: "S1", label: "Arbeitslosigkeit", unit: "%", decimals: 2, description: "d", source: "s",
                       polarity: .higherIsWorse),
            .eligibility(minPopulation: 100, exclude: ["0101"]),
            .index(name: "status", preset: .mssStatus, indicators: ["S1", "S2"], polarity: [.higherIsWorse, .higherIsBetter],
                   weights: [1, 2], normalization: .z, ddof: 1, aggregation: .sum, restandardize: true, minShare: 0.5,
                   classes: .mssStatus, lag: 2, pcaWeights: false, winsorize: OutlierTreatment.none, winsorizeMax: 3,
                   impute: .groupMedian, imputeLevel: "A", sensitivity: true),
            .index(name: "dynamik", preset: .mssDynamik, indicators: ["D1"]),
            .combined(status: "status", dynamik: "dynamik", preset: .mss),
            .uncertainty(runs: 10, seed: 3, concentration: 40),
            .previous(table: "old.csv"),
            .trends(indicators: ["S1"], table: "q.csv", methods: [.ols], years: 4, alpha: 0.1, higherIsBetter: ["S1"]),
            .quarters(indicators: ["S1"], table: "q.csv", period: "2024Q4", seasonalAdjustment: true),
            .hotspots(variables: ["S1"], table: "q.csv", timeWindow: 1, permutations: 99, seed: 2, alpha: 0.1),
            .spatial(variables: ["S1"], weights: .knn, k: 4, distance: nil, weightsFile: nil, transform: .binary,
                     permutations: 99, seed: 4, alpha: 0.1, fdr: false),
            .clusters(variables: ["S1"], methods: [.kmeans, .maxP], k: 3, restarts: 2, minRegionSize: 2, seed: 5,
                      floorVariable: "pop", floor: 1000, compareK: [2, 4]),
            .profiles(levels: ["A"]),
            .maps(variables: ["S1"], classification: .manual, classes: 3, breaks: [1, 2]),
            .similar(variables: ["S1"], k: 3, scope: .otherDistricts, metric: .mahalanobis),
            .history(tables: ["h.csv"], labels: ["2022"], index: "status"),
            .crosswalk(table: "c.csv", data: "d.csv", oldID: "o", newID: "n", weight: "w", tolerance: 0.1, counts: ["pop"]),
            .supply(facilities: "f.csv", id: "fid", type: "kind", capacity: "places", areaID: nil, x: "x", y: "y",
                    crs: .utm33, types: ["Kita"], target: "pop", needIndex: nil, needClasses: nil, needIndicator: "S1",
                    needThreshold: 10, lowSupply: 0.5, method: .twoStep, radius: 800),
            .report(formats: [.csv, .html], csvDialect: .excelGerman, geojsonCRS: .input, diagnostics: true,
                    disclosureThreshold: 5, disclosureProtection: 7),
        ]
        // The files it names exist (empty: the config's check is that they are there).
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in ["t.csv", "g.geojson", "old.csv", "q.csv", "h.csv", "c.csv", "d.csv", "f.csv"] {
            try Data().write(to: folder.appendingPathComponent(file))
        }
        let config = try RunConfig(title: "Alles", baseFolder: folder, sections: sections)
        let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        for expected in ["\"cityTotal\":\"00\"", "\"minimumRegionSize\":2", "\"disclosureProtection\":7", "\"geojsonCRS\":\"input\"",
                         "\"radius\":800", "\"seasonalAdjustment\":true", "\"numerator\":\"n\"", "\"imputeLevel\":\"A\""] {
            #expect(json.contains(expected), "\(expected) is not in the config read")
        }
    }
}
