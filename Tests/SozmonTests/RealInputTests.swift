import Foundation
import Sozmon
import SozmonIO
import TestSupport
import Testing

/// Tables and setups as planners and researchers have them (issue 16).
@Suite struct RealInputTests {
    /// A published table carries text columns beside the numbers (a validity flag, a district name, an edition
    /// date, a comment, an empty column from a trailing separator): they are not read, and the edition is the
    /// same as without them.
    @Test func publishedTableWithTextColumnsRunsAsItIs() throws {
        let lean: @Sendable (String) -> String = { Scratch.without(["trends", "quarters", "spatial", "clusters", "crosswalk", "supply"], in: $0) }
        let plain = try Scratch(lean), published = try Scratch(lean)
        defer { plain.remove(); published.remove() }
        let table = try String(contentsOf: published.url("indicators_annual.csv"), encoding: .utf8)
        let widened = table.split(separator: "\n").enumerated().map { k, line in
            k == 0 ? "KOM,\(line),BEZ_NAME,Stand,Bemerkung,"
                : "gültig,\(line),\"Mitte, Süd\",2024-12-31,vorläufig (Schätzung),"
        }
        try published.write(widened.joined(separator: "\n") + "\n", to: "indicators_annual.csv")
        #expect(try plain.run().status == 0)
        let run = try published.run()
        #expect(run.status == 0, "\(run.error)")
        for name in ["areas", "summary_bezirk", "diagnostics_status"] {
            let a = try Data(contentsOf: plain.url("out/tables/\(name).csv"))
            let b = try Data(contentsOf: published.url("out/tables/\(name).csv"))
            #expect(a == b, "\(name).csv is the same with the extra columns")
        }
    }

    /// A column that `input.indicators` names must be in the table: a typo is an error, not a column silently missing.
    @Test func listedIndicatorMissingFromTheTableIsAnError() throws {
        let scratch = try Scratch {
            Scratch.without(["trends", "quarters", "spatial", "clusters", "crosswalk", "supply", "profiles"], in: $0)
                .replacingOccurrences(of: "indicators = [\"S1\", \"S2\", \"S3\", \"S4\", \"K1\", \"K2\", \"K3\", \"K4\"]",
                                      with: "indicators = [\"S1\", \"S9\"]")
        }
        defer { scratch.remove() }
        let result = try scratch.run("validate", out: nil)
        // At the config's key (not the table's line 1), with the column meant.
        #expect(result.status == 65 && result.error.contains("'input.indicators' names column 'S9', which indicators_annual.csv "
                                                             + "does not have; did you mean 'S1'?"), "\(result.error)")
    }

    /// A column the config does use and that holds text is still an error at its line and column.
    @Test func namedColumnWithTextIsAnError() throws {
        let scratch = try Scratch { Scratch.without(["trends", "quarters", "spatial", "clusters", "crosswalk", "supply"], in: $0) }
        defer { scratch.remove() }
        var lines = try String(contentsOf: scratch.url("indicators_annual.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        var fields = lines[4].split(separator: ",").map(String.init)
        fields[4] = "gültig"
        lines[4] = fields.joined(separator: ",")
        try scratch.write(lines.joined(separator: "\n") + "\n", to: "indicators_annual.csv")
        let result = try scratch.run("validate", out: nil)
        #expect(result.status == 65 && result.error.contains("indicators_annual.csv:5:5: 'gültig' in column 'S1' is not a number"),
                "\(result.error)")
    }

    /// A column name that the config reads and that appears twice is ambiguous: an error naming both columns.
    @Test func repeatedNameOfAReadColumnIsAnError() throws {
        let reader = try CSVReader(bytes: Array("id,S1,S1,x,x\n1,2,3,4,5\n".utf8), file: "t.csv")
        #expect(throws: InputError(file: "t.csv", line: 1, column: 3, message: "column 'S1' appears twice in the header (columns 2 and 3)")) {
            try reader.columnIndex("S1")
        }
        #expect(try reader.columnIndex("id") == 0, "the unread repeated 'x' is no problem")
    }
}

/// Each table has its own dialect: `[input]` overrides apply to the indicator table only, other tables are
/// detected on their own or overridden in their own section.
@Suite struct TableDialectTests {
    @Test func inputOverridesDoNotReachTheCrosswalkData() throws {
        let scratch = try Scratch {
            Scratch.without(["trends", "quarters", "spatial", "clusters", "supply"], in: $0)
                .replacingOccurrences(of: "period = \"ZEIT\"", with: "period = \"ZEIT\"\nseparator = \";\"\ndecimal = \",\"")
                .replacingOccurrences(of: "data = \"indicators_annual_alt.csv\"", with: "data = \"indicators_annual_alt.csv\"\nseparator = \",\"")
        }
        defer { scratch.remove() }
        // The indicator table as Excel-de writes it; the old system's table stays comma-separated.
        let table = try String(contentsOf: scratch.url("indicators_annual.csv"), encoding: .utf8)
        let german = table.replacingOccurrences(of: ",", with: ";")
            .replacingOccurrences(of: #"(\d)\.(\d)"#, with: "$1,$2", options: .regularExpression)
        try scratch.write(german, to: "indicators_annual.csv")
        let run = try scratch.run()
        #expect(run.status == 0, "\(run.error)")
        let crosswalk = try CSVTable(contentsOf: scratch.url("out/tables/crosswalk.csv"))
        #expect(crosswalk.rows.count > 0)
    }
}

/// `sozmon generate` writes a config that its own `validate` accepts, for small cities too.
@Suite struct GeneratedConfigTests {
    @Test(arguments: [4, 12, 30])
    func generatedCityValidates(_ areas: Int) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-gen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cli = CLITests()
        #expect(try cli.sozmon("generate", "--areas", "\(areas)", "--seed", "3", "--out", folder.path).status == 0)
        let result = try cli.sozmon("validate", folder.appendingPathComponent("sozialindex.toml").path)
        #expect(result.status == 0, "\(result.error)")
    }
}

/// Moran's I and local Moran of a variable with missing values, through `sozmon run`: the weights are built on the
/// areas with a value and row-standardised among them, as libpysal's `w_subset` then `transform = "R"` and esda do
/// (`Tests/Fixtures/moran_subset.json`); an area left without neighbours is reported as an island.
@Suite struct SpatialSubsetTests {
    @Test func moranOverTheAreasWithAValueEqualsEsda() throws {
        let f = try FixtureValue.load("moran_subset.json")
        let city = try FixtureValue.load("spatial_statistics.json")["city"]
        let ids = city["ids"].array.map(\.string), y = city["y"].doubles
        let present = Set(f["present"].doubles.map { Int($0) })
        let scratch = try Scratch { _ in
            """
            [input]
            table = "y.csv"
            area_id = "PLR_ID"
            period = "ZEIT"
            geometry = "planungsraeume.geojson"
            geometry_id = "PLR_ID"
            [spatial]
            variables = ["Y"]
            permutations = 0
            """
        }
        defer { scratch.remove() }
        let rows = ids.indices.map { i in "\(ids[i]),2024,\(present.contains(i) ? "\(y[i])" : "")" }
        try scratch.write((["PLR_ID,ZEIT,Y"] + rows).joined(separator: "\n") + "\n", to: "y.csv")
        let run = try scratch.run()
        #expect(run.status == 0, "\(run.error)")
        let islandID = ids[f["present"].doubles.map { Int($0) }[Int(f["islands"].doubles[0])]]
        #expect(run.error.contains("[spatial] Y: 1 areas have no neighbour among the areas with a value") && run.error.contains(islandID),
                "\(run.error)")
        let global = try CSVTable(contentsOf: scratch.url("out/tables/spatial_global.csv"))
        let row = try #require(global.rows.first)
        func cell(_ name: String) throws -> Double { Double(row[try global.columnIndex(name)])! }
        let worst = WorstError([try cell("value"), try cell("expected"), try cell("variance_norm"), try cell("variance_rand"),
                                try cell("z_rand")], ["I", "EI", "VI_norm", "VI_rand", "z_rand"].map { f[$0].double })
        #expect(worst.error < 1e-10, "\(worst)")
        let local = try CSVTable(contentsOf: scratch.url("out/tables/spatial_local.csv"))
        let localI = try local.numericColumn("local_i").map(\.number)
        let localWorst = WorstError(localI, f["local_I"].doubles)
        #expect(localWorst.error < 1e-10, "\(localWorst)")
    }
}

/// A researcher's config: any analysis section is enough, no index to invent.
@Suite struct ResearchConfigTests {
    @Test func spatialAndClustersWithoutAnIndex() throws {
        let scratch = try Scratch {
            Scratch.without(["index", "combined", "trends", "quarters", "profiles", "crosswalk", "supply"], in: $0)
                .replacingOccurrences(of: "variables = [\"status_value\", \"S4\"]", with: "variables = [\"S1\", \"S4\"]")
                .replacingOccurrences(of: "permutations = 999", with: "permutations = 99")
        }
        defer { scratch.remove() }
        let run = try scratch.run()
        #expect(run.status == 0, "\(run.error)")
        for table in ["spatial_global", "spatial_local", "clusters"] {
            #expect(FileManager.default.fileExists(atPath: scratch.url("out/tables/\(table).csv").path), "\(table).csv")
        }
    }

    @Test func supplyByAnIndicatorWithoutAnIndex() throws {
        let scratch = try Scratch {
            Scratch.without(["index", "combined", "trends", "quarters", "profiles", "crosswalk", "spatial", "clusters"], in: $0)
                .replacingOccurrences(of: "need_index = \"status\"\nneed_classes = [\"niedrig\", \"sehr niedrig\"]",
                                      with: "need_indicator = \"S1\"\nneed_threshold = 15")
        }
        defer { scratch.remove() }
        let run = try scratch.run()
        #expect(run.status == 0, "\(run.error)")
        #expect(FileManager.default.fileExists(atPath: scratch.url("out/tables/supply_areas.csv").path))
    }
}

/// `polarity` and `weights` per indicator: as arrays in the indicators' order or as tables by indicator name.
@Suite struct PerIndicatorKeyTests {
    func index(_ lines: String) throws -> RunConfig.Index {
        try RunConfig.parse("""
            [input]
            table = "t.csv"
            area_id = "id"
            [[index]]
            name = "s"
            indicators = ["S1", "S2", "S3"]
            \(lines)
            """, file: "c.toml", baseFolder: "/tmp").indices[0]
    }

    @Test func inlineTablesByIndicatorName() throws {
        let i = try index("polarity = { S2 = \"higher_is_better\" }\nweights = { S3 = 2.5 }")
        #expect(i.polarity == [.higherIsWorse, .higherIsBetter, .higherIsWorse])
        #expect(i.weights == [1, 1, 2.5])
        let arrays = try index("polarity = [\"higher_is_worse\", \"higher_is_better\", \"higher_is_worse\"]\nweights = [1, 1, 2.5]")
        #expect(arrays.polarity == i.polarity && arrays.weights == i.weights)
    }

    @Test(arguments: [("polarity = { S9 = \"higher_is_better\" }", "'S9' is none of them"),
                      ("polarity = { S1 = \"up\" }", "higher_is_worse or higher_is_better for S1"),
                      ("weights = { S1 = -1 }", "a weight in (0, 1000000] for S1"),
                      ("weights = [1, 2]", "for each of the 3 indicators")])
    func badValuesAreNamed(_ line: String, _ message: String) throws {
        do {
            _ = try index(line)
            Issue.record("accepted: \(line)")
        } catch let problems as ConfigProblems {
            #expect(problems.description.contains(message) && problems.description.contains("c.toml:7:1:"), "\(problems)")
        }
    }
}

/// `run.json` fingerprints every file the run read: the tables of [trends] and [quarters], the parents, …
@Suite struct ManifestTests {
    @Test func everyInputIsFingerprinted() throws {
        let scratch = try Scratch { Scratch.without(["spatial", "clusters"], in: $0) }
        defer { scratch.remove() }
        let run = try scratch.run()
        #expect(run.status == 0, "\(run.error)")
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: scratch.url("out/run.json"))) as? [String: Any])
        let fingerprints = try #require(manifest["inputs_sha256"] as? [String: String])
        for file in ["indicators_annual.csv", "indicators_quarterly.csv", "planungsraeume.geojson", "crosswalk.csv",
                     "indicators_annual_alt.csv", "einrichtungen.csv", "c.toml"] {
            #expect(fingerprints[file]?.count == 64, "\(file) has a SHA-256")
        }
    }

    /// `run.json` times every method on its own, so that the next slow step is visible.
    @Test func everyMethodIsTimed() throws {
        let scratch = try Scratch {
            Scratch.without(["crosswalk", "supply", "profiles"], in: $0).replacingOccurrences(of: "permutations = 999", with: "permutations = 9")
        }
        defer { scratch.remove() }
        #expect(try scratch.run().status == 0)
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: scratch.url("out/run.json"))) as? [String: Any])
        let timings = try #require(manifest["timings_seconds"] as? [String: Double])
        for step in ["spatial: weights", "spatial: moran S4", "spatial: local moran status_value", "spatial: getis-ord S4",
                     "clusters: kmeans", "clusters: skater", "trends: ols", "trends: mann-kendall", "trends: theil-sen",
                     "trends: seasonal-mann-kendall", "read table", "write"] {
            #expect(timings[step].map { $0 >= 0 } == true, "run.json times '\(step)'")
        }
    }
}

/// Köln's monthly unemployment as the Bundesagentur publishes it (Stichtag dates at month ends), with an AGS id
/// column added: through the config alone, read as months, aggregated to quarterly means (a quarter needs its three
/// months: 58 complete quarters 2000Q1–2014Q2) and tested for trends against statsmodels, pymannkendall and scipy
/// on the same quarterly means (`Tests/Fixtures/real_trends.json`).
@Suite(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipMessage)))
struct MonthlyToQuarterlyTests {
    @Test func koelnQuarterlyTrendThroughTheConfig() throws {
        let scratch = try Scratch { _ in
            """
            [input]
            table = "koeln.csv"
            area_id = "ags"
            period = "datum"
            hierarchy = [5]
            level_names = ["Kreis"]
            frequency = "quarterly"
            [trends]
            indicators = ["gesamt"]
            methods = ["ols", "mann-kendall", "theil-sen", "seasonal-mann-kendall"]
            """
        }
        defer { scratch.remove() }
        let published = try String(contentsOf: SharedData.url("koeln-unemployment-monthly/13211-03ir.csv"), encoding: .utf8)
        let rows = published.split(whereSeparator: \.isNewline).enumerated().map { $0 == 0 ? "ags,\($1)" : "05315000,\($1)" }
        try scratch.write(rows.joined(separator: "\n") + "\n", to: "koeln.csv")
        let run = try scratch.run()
        #expect(run.status == 0, "\(run.error)")
        #expect(!run.error.contains("0005315000"), "an id of the common length is never padded")
        let trends = try CSVTable(contentsOf: scratch.url("out/tables/trends.csv"))
        func row(_ method: String) throws -> [String: Double] {
            let r = try #require(trends.rows.first { $0[2] == method })
            return Dictionary(uniqueKeysWithValues: zip(trends.header, r).compactMap { k, v in Double(v).map { (k, $0) } })
        }
        let k = try FixtureValue.load("real_trends.json")["koeln"]
        let ols = try row("ols"), mk = try row("mann-kendall"), ts = try row("theil-sen"), smk = try row("seasonal-mann-kendall")
        #expect(ols["n"] == k["complete"].double, "58 complete quarters")
        #expect(trends.rows.first { $0[2] == "ols" }?[3] == "2000Q1", "quarters from 2000Q1")
        let worst = WorstError([ols["slope"]!, ols["p_value"]!, ols["r_squared"]!, mk["s"]!, mk["z"]!, mk["tau"]!, mk["p_value"]!,
                                ts["slope"]!, smk["s"]!, smk["z"]!, smk["sen_slope"]!],
                               ["ols_slope", "ols_p", "ols_r2", "mk_s", "mk_z", "mk_tau", "mk_p", "ts_slope", "smk_s", "smk_z",
                                "smk_slope"].map { k[$0].double })
        #expect(worst.error < 1e-9, "\(worst)")
    }
}

/// Nothing asked for is dropped without a word: a seasonal test on annual periods is a warning on stderr and in
/// run.json; a frequency finer than the table's is an error.
@Suite struct RequestedAnalysisTests {
    @Test func seasonalTestOnAnnualDataIsAWarning() throws {
        let scratch = try Scratch {
            Scratch.without(["quarters", "spatial", "clusters", "crosswalk", "supply", "profiles"], in: $0)
                .replacingOccurrences(of: "table = \"indicators_quarterly.csv\"\n", with: "")
        }
        defer { scratch.remove() }
        let run = try scratch.run()
        #expect(run.status == 0, "\(run.error)")
        let message = "[trends] seasonal-mann-kendall was not computed: it needs quarterly or monthly periods, the table's are annual"
        #expect(run.error.contains(message), "\(run.error)")
        let manifest = try String(contentsOf: scratch.url("out/run.json"), encoding: .utf8)
        #expect(manifest.contains(message))
    }

    /// Queen weights asked for without a geometry: the neighbour list is used, and that is said.
    @Test func substitutedWeightsAreSaid() throws {
        let scratch = try Scratch {
            Scratch.without(["trends", "quarters", "clusters", "crosswalk", "supply", "profiles"], in: $0)
                .replacingOccurrences(of: "geometry = \"planungsraeume.geojson\"\ngeometry_id = \"PLR_ID\"", with: "neighbours = \"neighbours.csv\"")
                .replacingOccurrences(of: "permutations = 999", with: "permutations = 0")
        }
        defer { scratch.remove() }
        let run = try scratch.run()
        #expect(run.status == 0 && run.error.contains("[spatial] weights = \"queen\" needs input.geometry; the neighbour list"),
                "\(run.error)")
        let global = try CSVTable(contentsOf: scratch.url("out/tables/spatial_global.csv"))
        #expect(global.rows.allSatisfy { $0[2] == "neighbours (row-standardized)" })
    }

    /// Dates that are not all month ends stay days, which no frequency can aggregate: said so.
    @Test func daysCannotBeAggregated() throws {
        let scratch = try Scratch { _ in
            "[input]\ntable = \"d.csv\"\narea_id = \"id\"\nperiod = \"datum\"\nhierarchy = []\nlevel_names = []\n"
                + "frequency = \"quarterly\"\n[trends]\nindicators = [\"x\"]\n"
        }
        defer { scratch.remove() }
        try scratch.write("id,datum,x\nA,2014-12-30,1\nA,2015-01-31,2\nA,2015-02-28,3\n", to: "d.csv")
        let run = try scratch.run("validate", out: nil)
        #expect(run.status == 65 && run.error.contains("the table's periods are days (2014-12-30) that are not all month ends"),
                "\(run.error)")
    }

    @Test func finerFrequencyIsAnError() throws {
        let scratch = try Scratch {
            Scratch.without(["spatial", "clusters", "crosswalk", "supply", "profiles"], in: $0)
                .replacingOccurrences(of: "methods = [\"ols\", \"mann-kendall\", \"theil-sen\", \"seasonal-mann-kendall\"]",
                                      with: "methods = [\"ols\"]\nfrequency = \"half-yearly\"\naggregate = \"last\"")
        }
        defer { scratch.remove() }
        let run = try scratch.run("validate", out: nil)
        #expect(run.status == 0, "quarters → half-years is fine: \(run.error)")
        let annual = try Scratch {
            Scratch.without(["trends", "quarters", "spatial", "clusters", "crosswalk", "supply", "profiles"], in: $0)
                .replacingOccurrences(of: "period = \"ZEIT\"", with: "period = \"ZEIT\"\nfrequency = \"quarterly\"")
        }
        defer { annual.remove() }
        let refused = try annual.run("validate", out: nil)
        #expect(refused.status == 65 && refused.error.contains("[input] frequency = \"quarterly\": the table's periods are annual"),
                "\(refused.error)")
    }
}

/// Eligibility (population, exclusions) and scoring (everything a class needs) in separate columns: an eligible area
/// never has an exclusion reason; an eligible area without a class says why in `unscored_reason`.
@Suite struct EligibilityVocabularyTests {
    @Test func eligibilityAndScoringAreApart() throws {
        let scratch = try Scratch { Scratch.without(["trends", "quarters", "spatial", "clusters", "crosswalk", "supply", "profiles"], in: $0) }
        defer { scratch.remove() }
        #expect(try scratch.run().status == 0)
        let areas = try CSVTable(contentsOf: scratch.url("out/tables/areas.csv"))
        let eligible = try areas.columnIndex("eligible"), exclusion = try areas.columnIndex("exclusion_reason")
        let scored = try areas.columnIndex("scored"), unscored = try areas.columnIndex("unscored_reason")
        let status = try areas.columnIndex("status_class"), dynamik = try areas.columnIndex("dynamik_class")
        for row in areas.rows {
            #expect((row[eligible] == "true") == row[exclusion].isEmpty, "\(row[0]): eligible exactly when no exclusion reason")
            let hasAllClasses = !row[status].isEmpty && !row[dynamik].isEmpty
            #expect((row[scored] == "true") == hasAllClasses && (row[scored] == "true") == row[unscored].isEmpty, "\(row[0])")
            if row[eligible] == "false" { #expect(row[unscored] == "not_eligible") }
        }
        let missing = areas.rows.filter { $0[eligible] == "true" && $0[unscored] == "indicator_missing" }
        #expect(missing.count > 0, "the demo has eligible areas that lack an indicator")
    }
}
