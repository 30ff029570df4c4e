import Foundation
import Sozmon
import SozmonIO
import TestSupport
import Testing

/// `[[scenario]]` and `[locate]` end to end: a closed facility's catchment by hand, the location on the demo equal to
/// spopt.locate, and bad input refused with the key named.
@Suite struct ScenarioTests {
    /// A fresh folder with `files` written into it.
    func folder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-scenario-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: false, encoding: .utf8) }
        return folder
    }

    func table(_ out: URL, _ name: String) throws -> [[String: String]] {
        let t = try CSVTable(contentsOf: out.appendingPathComponent("tables/\(name).csv"))
        return t.rows.map { Dictionary(uniqueKeysWithValues: zip(t.header, $0)) }
    }

    /// Three 1 km squares in a row (A, B, C: 01010101…03; 1 000, 2 000, 1 000 people), F1 (30 places) at A's centre, F2 (20) at
    /// C's, radius 1 500 m: F1 reaches A and B, F2 reaches B and C. R₁ = 30 / 3 000 = 0.01, R₂ = 20 / 3 000; access
    /// per 1 000: A 10, B 16.67, C 6.67. With F2 closed: A 10, B 10, C 0 — B and C lose 6.67 each, A nothing. The bar
    /// of low supply stays the status quo's city-wide 12.5 (50 places for 4 000 people): B falls below it; with B and
    /// C of high need, the gaps grow from C (1 000 people) to B and C (3 000).
    static let line: [String: String] = [
        "areas.csv": "id,ew,h,ZEIT\n01010101,1000,0,2024\n01010102,2000,1,2024\n01010103,1000,1,2024\n",
        "areas.geojson": """
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25833"}},"features":[
            \((0..<3).map { k in
                let x = 370000 + k * 1000, id = "0101010\(k + 1)"
                return "{\"type\":\"Feature\",\"properties\":{\"id\":\"\(id)\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[\(x),5800000],[\(x + 1000),5800000],[\(x + 1000),5801000],[\(x),5801000],[\(x),5800000]]]}}"
            }.joined(separator: ",\n"))
            ]}
            """,
        "facilities.csv": "id,type,capacity,x,y\nF1,Zentrum,30,370500,5800500\nF2,Zentrum,20,372500,5800500\n",
        "run.toml": """
            title = "Drei Gebiete"
            [input]
            table = "areas.csv"
            area_id = "id"
            population = "ew"
            period = "ZEIT"
            geometry = "areas.geojson"
            geometry_id = "id"
            indicators = ["h"]
            [supply]
            facilities = "facilities.csv"
            x = "x"
            y = "y"
            crs = "EPSG:25833"
            method = "2sfca"
            radius = 1500
            need_indicator = "h"
            need_threshold = 1
            [[scenario]]
            name = "F2 schließt"
            close = ["F2"]
            [report]
            formats = ["csv"]
            disclosure_threshold = 0
            """,
    ]

    @Test func closedFacilityLosesWhatTwoStepCatchmentSays() throws {
        let folder = try folder(Self.line)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        _ = try RunJob(configURL: folder.appendingPathComponent("run.toml")).run(output: out)
        let rows = try table(out, "scenario_areas")
        let expected: [String: (before: Double, after: Double, lowAfter: String, gapBefore: String, gapAfter: String)] = [
            "01010101": (10, 10, "true", "false", "false"), "01010102": (50.0 / 3, 10, "true", "false", "true"),
            "01010103": (20.0 / 3, 0, "true", "true", "true"),
        ]
        #expect(rows.count == 3)
        for row in rows {
            let e = expected[row["area_id"]!]!
            #expect(abs(Double(row["supply_before"]!)! - e.before) < 1e-12)
            #expect(abs(Double(row["supply_after"]!)! - e.after) < 1e-12)
            #expect(abs(Double(row["supply_change"]!)! - (e.after - e.before)) < 1e-12)
            #expect(row["low_supply_after"] == e.lowAfter && row["gap_before"] == e.gapBefore && row["gap_after"] == e.gapAfter)
        }
        let summary = try table(out, "scenarios")
        #expect(summary.count == 1)
        let s = summary[0]
        #expect(s["scenario"] == "F2 schließt" && s["facilities_closed"] == "1" && s["capacity_change"] == "-20")
        #expect(s["areas_gaining"] == "0" && s["areas_losing"] == "2")
        #expect(s["gap_areas_before"] == "1" && s["gap_areas_after"] == "2")
        #expect(s["gap_target_before"] == "1000" && s["gap_target_after"] == "3000")
    }

    /// A forecast of the target group: B grows from 2 000 to 4 000 people, so R₁ = 30 / 5 000 and R₂ = 20 / 5 000;
    /// access per 1 000: A 6, B 10, C 4 (areas the forecast does not list keep theirs).
    @Test func forecastChangesTheTargetGroup() throws {
        var files = Self.line
        files["prognose.csv"] = "id,ew\n01010102,4000\n"
        files["run.toml"] = files["run.toml"]!.replacingOccurrences(of: "name = \"F2 schließt\"\nclose = [\"F2\"]",
                                                                    with: "name = \"Zuzug\"\npopulation = \"prognose.csv\"")
        let folder = try folder(files)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        _ = try RunJob(configURL: folder.appendingPathComponent("run.toml")).run(output: out)
        let after = Dictionary(uniqueKeysWithValues: try table(out, "scenario_areas").map { ($0["area_id"]!, $0) })
        for (id, access, people) in [("01010101", 6.0, "1000"), ("01010102", 10.0, "4000"), ("01010103", 4.0, "1000")] {
            #expect(abs(Double(after[id]!["supply_after"]!)! - access) < 1e-12, "\(id)")
            #expect(after[id]!["target_population"] == people)
        }
    }

    /// `[locate]` on the demo's Bezirk 05 with the population as weight (demand = all): the objective and the new sites
    /// of spopt.locate (`location_allocation.json`, the same centroids, the city's Stadtteilzentren kept open).
    @Test(arguments: [("mclp", "sites = 3\nradius = 1000"), ("p-median", "sites = 3"), ("lscp", "radius = 1500")])
    func locationOnTheDemoEqualsSpopt(_ problem: String, _ keys: String) throws {
        let demo = try DemoData.configURL().deletingLastPathComponent()
        let files = ["run.toml": """
            title = "Standortwahl"
            [input]
            table = "\(demo.appendingPathComponent("indicators_annual.csv").path)"
            area_id = "PLR_ID"
            population = "EW"
            period = "ZEIT"
            geometry = "\(demo.appendingPathComponent("planungsraeume.geojson").path)"
            geometry_id = "PLR_ID"
            hierarchy = [2, 4, 6]
            level_names = ["Bezirk", "Prognoseraum", "Bezirksregion"]
            indicators = ["S4"]
            [supply]
            facilities = "\(demo.appendingPathComponent("einrichtungen.csv").path)"
            type = "typ"
            capacity = "plaetze"
            x = "x"
            y = "y"
            crs = "EPSG:25833"
            need_indicator = "S4"
            need_threshold = 0
            [locate]
            problem = "\(problem)"
            \(keys)
            type = "Stadtteilzentrum"
            capacity = 100
            within = "05"
            demand = "all"
            [report]
            formats = ["csv"]
            """]
        let folder = try folder(files)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        _ = try RunJob(configURL: folder.appendingPathComponent("run.toml")).run(output: out)
        let fixture = try FixtureValue.load("location_allocation.json")["cases"]["demo"]
        let key = problem == "p-median" ? "pmedian" : problem
        let ids = fixture["ids"].array.map(\.string)
        let spoptSites = fixture[key]["open"].doubles.map { Int($0) }.filter { $0 < ids.count }.map { ids[$0] }
        let summary = try table(out, "location_summary")[0]
        let objective = Double(summary["objective"]!)!, expected = fixture[key]["objective"].double
        #expect(summary["method"] == "exact" && summary["proven_optimal"] == "true")
        #expect(abs(objective - expected) <= 1e-9 * abs(expected), "\(problem): \(objective) vs spopt \(expected)")
        let chosen = try table(out, "location_sites").filter { $0["new"] == "true" }.map { $0["site_id"]! }
        // Set covering ties on the demo (several sets of four sites cover all): the same number; the others the same sites.
        if problem == "lscp" { #expect(chosen.count == spoptSites.count) } else {
            #expect(chosen.sorted() == spoptSites.sorted(), "\(problem): the sites spopt chose")
        }
        #expect(Int(summary["demand_areas"]!) == ids.count)
        // The chosen sites are a scenario: each adds its capacity.
        let scenario = try table(out, "scenarios")
        #expect(scenario.count == 1 && scenario[0]["facilities_added"] == String(chosen.count))
        #expect(Double(scenario[0]["capacity_change"]!) == Double(100 * chosen.count))
    }

    /// Bad planning keys are refused, naming the key and what was expected, and the run leaves nothing.
    @Test(arguments: [
        ("[[scenario]]\nname = \"x\"\nclose = [\"F9\"]\n", "names facility F9"),
        ("[[scenario]]\nname = \"x\"\n", "changes nothing"),
        ("[[scenario]]\nname = \"Standortwahl\"\nclose = [\"F1\"]\n[locate]\nproblem = \"p-median\"\ntype = \"Zentrum\"\ncapacity = 5\nsites = 1\n",
         "run.toml:22:1: two scenarios are named \"Standortwahl\""),
        ("[[scenario]]\nname = \"x\"\npopulation = \"areas.csv\"\npopulation_column = \"h\"\npopulation_area_id = \"ZEIT\"\n", "area 2024 is not in the indicator table"),
        ("[[scenario]]\nname = \"x\"\npopulation = \"areas.csv\"\npopulation_column = \"nope\"\n", "nope"),
        ("[[scenario]]\nname = \"x\"\nclose = [\"F1\"]\ncapacity = { F1 = 3 }\n", "both closes facility F1"),
        ("[[scenario]]\nname = \"x\"\nadd = [{ id = \"F1\", type = \"Zentrum\", capacity = 5, area_id = \"01010101\" }]\n", "has that id"),
        ("[[scenario]]\nname = \"x\"\nadd = [{ id = \"N\", type = \"Zentrum\", capacity = 5, area_id = \"Z\" }]\n", "which the table does not have"),
        ("[[scenario]]\nname = \"x\"\nadd = [{ id = \"N\", type = \"Zentrum\", capacity = -5, area_id = \"A\" }]\n", "needs id, type and capacity"),
        ("[locate]\nproblem = \"mclp\"\ntype = \"Zentrum\"\ncapacity = 5\nsites = 2\n", "needs sites and radius"),
        ("[locate]\nproblem = \"lscp\"\ntype = \"Zentrum\"\ncapacity = 5\nradius = 10\nweight_indicator = \"Q\"\n", "locate.weight_indicator names Q"),
        ("[locate]\nproblem = \"p-median\"\ntype = \"Zentrum\"\ncapacity = 5\nsites = 9\ndemand = \"all\"\n", "locate.sites is 9"),
        ("[locate]\nproblem = \"p-median\"\ntype = \"Zentrum\"\ncapacity = 5\nsites = 1\nwithin = \"Q\"\n", "locate.within is Q"),
        ("[locate]\nproblem = \"p-medain\"\ntype = \"Zentrum\"\ncapacity = 5\nsites = 1\n", "locate.problem"),
    ])
    func badPlanningKeysAreRefused(_ section: String, _ message: String) throws {
        var files = Self.line
        files["run.toml"] = files["run.toml"]!.replacingOccurrences(of: "[[scenario]]\nname = \"F2 schließt\"\nclose = [\"F2\"]\n", with: section)
        let folder = try folder(files)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        #expect { _ = try RunJob(configURL: folder.appendingPathComponent("run.toml")).run(output: out) } throws: { error in
            "\(error)".contains(message)
        }
        #expect(!FileManager.default.fileExists(atPath: out.path), "a failed run leaves nothing")
    }

    /// The planning sections built in code (`.scenario`, `.locate`, `RunConfig.FacilityToAdd`) give the file's tables
    /// byte for byte.
    @Test func planningSectionsBuiltInCodeRunAsTheFileDoes() throws {
        var files = Self.line
        files["run.toml"] = files["run.toml"]!.replacingOccurrences(of: "[report]", with: """
            [[scenario]]
            name = "N1 kommt"
            add = [{ id = "N1", type = "Zentrum", capacity = 10, x = 371500.0, y = 5800500.0 }]
            [locate]
            problem = "p-median"
            type = "Zentrum"
            capacity = 10
            sites = 1
            demand = "all"
            [report]
            """)
        let folder = try folder(files)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try RunConfig(title: "Drei Gebiete", baseFolder: folder, sections: [
            .input(table: "areas.csv", areaID: "id", population: "ew", period: "ZEIT", geometry: "areas.geojson",
                   geometryID: "id", indicators: ["h"]),
            .supply(facilities: "facilities.csv", x: "x", y: "y", crs: .utm33, needIndicator: "h", needThreshold: 1,
                    method: .twoStep, radius: 1500),
            .scenario(name: "F2 schließt", close: ["F2"]),
            .scenario(name: "N1 kommt", add: [RunConfig.FacilityToAdd(id: "N1", type: "Zentrum", capacity: 10, x: 371500, y: 5800500)]),
            .locate(problem: .pMedian, type: "Zentrum", capacity: 10, sites: 1, demand: .all),
            .report(formats: [.csv], disclosureThreshold: 0),
        ])
        let fromCode = folder.appendingPathComponent("code"), fromFile = folder.appendingPathComponent("file")
        let written = try RunJob(config: config).run(output: fromCode)
        _ = try RunJob(configURL: folder.appendingPathComponent("run.toml")).run(output: fromFile)
        let tables = written.files.filter { $0.hasPrefix("tables/") }
        #expect(tables.contains("tables/scenarios.csv") && tables.contains("tables/location_summary.csv"))
        for file in tables {
            #expect(try Data(contentsOf: fromCode.appendingPathComponent(file)) == Data(contentsOf: fromFile.appendingPathComponent(file)),
                    "\(file) differs between the config in code and the file")
        }
        #expect(try table(fromFile, "scenarios").map { $0["scenario"]! } == ["F2 schließt", "N1 kommt", "Standortwahl"])
    }
}
