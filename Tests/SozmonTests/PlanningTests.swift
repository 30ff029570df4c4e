import Foundation
@testable import GeoPackage
import Sozmon
import Spatial
import AreaData
import SozmonIO
import TestSupport
import Testing

/// Region profiles, the crosswalk of earlier periods and need against supply, end to end on the demo data set,
/// each checked against an independent computation from the input files or the other tables.
@Suite(.serialized) struct PlanningTests {
    static let demo = try! DemoData.configURL().deletingLastPathComponent()
    /// One demo run shared by the tests of this suite (in one folder that the next test run replaces, so that runs
    /// do not pile up in the temporary folder).
    static let report: URL = {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-planning-tests")
        try? FileManager.default.removeItem(at: out)
        _ = try! RunJob(configURL: DemoData.configURL()).run(output: out)
        return out
    }()

    func table(_ name: String) throws -> CSVTable { try CSVTable(contentsOf: Self.report.appendingPathComponent("tables/\(name).csv")) }

    func number(_ text: String) -> Double { Double(text) ?? .nan }

    /// Profile values are the summary table's; the city value is the population-weighted mean over the areas
    /// (recomputed here from areas.csv); z and ranks follow from the values; one page per region.
    @Test func profilesShowTheTablesNumbers() throws {
        let profiles = try table("profiles_bezirksregion"), summary = try table("summary_bezirksregion")
        let areas = try table("areas")
        let col = { (t: CSVTable, name: String) in t.header.firstIndex(of: name)! }
        let regionValue = Dictionary(uniqueKeysWithValues: summary.rows.map { row in
            (row[0], Dictionary(uniqueKeysWithValues: ["S1", "S4", "K3", "D1"].map { ($0, number(row[col(summary, $0)])) }))
        })
        let population = try areas.numericColumn("population").map(\.number)
        for indicator in ["S1", "S4", "K3", "D1"] {
            let values = try areas.numericColumn(indicator).map(\.number)
            var sum = 0.0, weight = 0.0
            for i in values.indices where !values[i].isNaN && !population[i].isNaN {
                sum += population[i] * values[i]; weight += population[i]
            }
            let rows = profiles.rows.filter { $0[4] == indicator }
            #expect(rows.count == summary.rows.count)
            let shown = rows.map { number($0[5]) }
            let mean = shown.reduce(0, +) / Double(shown.count)
            let sd = (shown.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(shown.count)).squareRoot()
            for (row, value) in zip(rows, shown) {
                #expect(value == regionValue[row[0]]![indicator]!, "\(row[0]) \(indicator): the summary's value")
                #expect(abs(number(row[7]) - sum / weight) < 1e-9, "the city value")
                #expect(abs(number(row[8]) - (value - mean) / sd) < 1e-9, "z among the regions")
                #expect(Int(row[9]) == 1 + shown.filter { $0 > value }.count, "rank 1 = highest")
            }
        }
        let pages = try FileManager.default.contentsOfDirectory(atPath: Self.report.appendingPathComponent("profiles").path)
        #expect(pages.filter { $0.hasSuffix(".html") }.count == summary.rows.count)
        #expect(pages.filter { $0.hasSuffix(".md") }.count == summary.rows.count)
        let page = try String(contentsOf: Self.report.appendingPathComponent("profiles/\(summary.rows[0][0]).html"), encoding: .utf8)
        #expect(page.contains("Bezirksregion \(summary.rows[0][0])") && page.contains("2012–2024") && page.contains("<svg"))
        #expect(!page.contains("http") || page.contains("xmlns=\"http://www.w3.org/2000/svg\""), "self-contained")
    }

    /// 2012–2014 come from the old system: a new area's share is its old area's share (population-weighted over
    /// one old area), its population the crosswalk weight times the old population.
    @Test func earlierYearsComeThroughTheCrosswalk() throws {
        let crosswalk = try CSVTable(contentsOf: Self.demo.appendingPathComponent("crosswalk.csv"))
        let old = try CSVTable(contentsOf: Self.demo.appendingPathComponent("indicators_annual_alt.csv"))
        let carried = try table("crosswalk")
        #expect(Set(carried.rows.map { $0[1] }) == ["2012", "2013", "2014"])
        #expect(carried.rows.count == 3 * 542)
        let oldRow = Dictionary(uniqueKeysWithValues: old.rows.filter { $0[2] == "2013" }.map { ($0[0], $0) })
        for entry in crosswalk.rows.prefix(60) {
            let row = try #require(carried.rows.first { $0[0] == entry[1] && $0[1] == "2013" })
            #expect(abs(number(row[2]) - number(entry[2]) * number(oldRow[entry[0]]![3])) < 1e-6)
            #expect(number(row[3]) == (number(entry[2]) < 0.999 ? 1 : 0))
        }
        // The series of the profiles start in 2012: the old years are part of the panel.
        let page = try String(contentsOf: Self.report.appendingPathComponent("profiles/010101.md"), encoding: .utf8)
        #expect(page.contains("Bezirksregion 010101"))
    }

    /// Every facility lies in the grid cell that contains it; a point on the edge of two cells goes to the smaller
    /// id (checked here with the cells' bounds from the GeoJSON, without the point-in-polygon code).
    @Test func facilitiesAreCountedWhereTheyLie() throws {
        let facilities = try CSVTable(contentsOf: Self.demo.appendingPathComponent("einrichtungen.csv"))
        let layer = try GeoJSON.read(Self.demo.appendingPathComponent("planungsraeume.geojson"), idProperty: "PLR_ID").layer
        let boxes = layer.areas.map { area -> (String, Double, Double, Double, Double) in
            let xs = area.polygons[0].exterior.points.map(\.x), ys = area.polygons[0].exterior.points.map(\.y)
            return (area.id, xs.min()!, xs.max()!, ys.min()!, ys.max()!)
        }
        let assigned = try table("facilities")
        var perArea: [String: (Int, Double)] = [:]
        var onEdge = 0
        for (row, made) in zip(facilities.rows, assigned.rows) {
            let x = number(row[3]), y = number(row[4])
            let containing = boxes.filter { x >= $0.1 && x <= $0.2 && y >= $0.3 && y <= $0.4 }.map(\.0)
            if containing.count > 1 { onEdge += 1 }
            #expect(made[0] == row[0] && made[3] == containing.min(), "facility \(row[0])")
            if let id = containing.min() {
                let (count, capacity) = perArea[id] ?? (0, 0)
                perArea[id] = (count + 1, capacity + number(row[2]))
            }
        }
        #expect(onEdge > 0, "the demo has facilities on shared edges")
        let supply = try table("supply_areas")
        let areas = try table("areas")
        for (row, area) in zip(supply.rows, areas.rows) {
            let (count, capacity) = perArea[row[0]] ?? (0, 0)
            #expect(Int(row[1]) == count && number(row[2]) == capacity)
            let target = number(row[3])
            if target > 0 { #expect(abs(number(row[4]) - 1000 * capacity / target) < 1e-9) }
            // High need = status class niedrig or sehr niedrig; gap = high need and below the threshold.
            let status = area[areas.header.firstIndex(of: "status_class")!]
            #expect((row[6] == "true") == ["niedrig", "sehr niedrig"].contains(status))
            #expect((row[8] == "true") == (row[6] == "true" && number(row[4]) < number(row[9])))
        }
        let html = try String(contentsOf: Self.report.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("Bedarf und Angebot") && html.contains("profiles/010101.html"))
    }

    /// results.gpkg as QGIS opens it: the areas layer with every areas.csv column (typed) and row, a layer per level with the summary's rows, the other tables as attribute tables, and the
    /// report's maps as styles, status first (QGIS's default).
    @Test func theGeoPackageHoldsTheTablesAndTheMaps() throws {
        let db = try SQLiteDatabase(reading: Self.report.appendingPathComponent("results.gpkg").path)
        let areas = try table("areas")
        let columns = try db.query("PRAGMA table_info(areas)").compactMap { row -> String? in
            if case .text(let name) = row[1] { name } else { nil }
        }
        #expect(Array(columns.prefix(2)) == ["fid", "geom"])
        #expect(columns.filter { !$0.hasSuffix("_suppressed") }.dropFirst(2).elementsEqual(areas.header))
        #expect(try db.query("SELECT count(*) FROM areas") == [[.integer(Int64(areas.rows.count))]])
        #expect(try db.query("SELECT count(*) FROM areas WHERE geom IS NULL") == [[.integer(0)]])
        let types = Dictionary(uniqueKeysWithValues: try db.query("PRAGMA table_info(areas)").compactMap { row -> (String, String)? in
            if case .text(let name) = row[1], case .text(let type) = row[2] { (name, type) } else { nil }
        })
        #expect(types["population"] == "INTEGER" && types["eligible"] == "BOOLEAN" && types["status_class"] == "TEXT"
                && types["combined_code"] == "INTEGER" && types["area_id"] == "TEXT")
        // No cell of the demo is suppressed (its populations are large): no flag columns.
        #expect(!areas.rows.contains { $0.contains(".") } && !columns.contains { $0.hasSuffix("_suppressed") })
        let features = try db.query("SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY 1")
        #expect(features == [[.text("areas")], [.text("facilities")], [.text("location_sites")], [.text("scenario_areas")],
                             [.text("summary_bezirk")], [.text("summary_bezirksregion")], [.text("summary_prognoseraum")]])
        // A scenario's row per area with the area's polygon; the chosen sites as points where the table puts them.
        let scenarioRows = try CSVTable(contentsOf: Self.report.appendingPathComponent("tables/scenario_areas.csv")).rows.count
        #expect(try db.query("SELECT count(*), count(geom) FROM scenario_areas") == [[.integer(Int64(scenarioRows)), .integer(Int64(scenarioRows))]])
        let sites = try CSVTable(contentsOf: Self.report.appendingPathComponent("tables/location_sites.csv"))
        #expect(try db.query("SELECT count(geom) FROM location_sites") == [[.integer(Int64(sites.rows.count))]])
        // Facilities as points (the demo gives coordinates), every one placed.
        #expect(try db.query("SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = 'facilities'") == [[.text("POINT")]])
        #expect(try db.query("SELECT count(*), count(geom) FROM facilities") == [[.integer(180), .integer(180)]])
        // Each Bezirk is one outline: a MultiPolygon (WKB type 6 after the 40-byte header) of one polygon.
        for row in try db.query("SELECT geom FROM summary_bezirk") {
            guard case .blob(let blob) = row[0] else { Issue.record("a Bezirk without geometry"); continue }
            #expect(Array(blob[41..<49]) == [6, 0, 0, 0, 1, 0, 0, 0])
        }
        let summary = try table("summary_bezirk")
        #expect(try db.query("SELECT count(*) FROM summary_bezirk") == [[.integer(Int64(summary.rows.count))]])
        #expect(try db.query("SELECT count(*) FROM gpkg_contents WHERE table_name = 'trends' AND data_type = 'attributes'")
                == [[.integer(1)]])
        let styles = try db.query("SELECT styleName, useAsDefault FROM layer_styles WHERE f_table_name = 'areas' ORDER BY id")
        #expect(styles == [[.text("Status-Index: Klassen"), .integer(1)], [.text("Dynamik-Index: Klassen"), .integer(0)],
                           [.text("Gesamtindex: Klassen"), .integer(0)], [.text("Besonderer Aufmerksamkeitsbedarf"), .integer(0)]])
        // An area without a combined class is "ohne Zuordnung" on the attention map, not "nein".
        let attention = try db.query("SELECT styleQML FROM layer_styles WHERE styleName = 'Besonderer Aufmerksamkeitsbedarf'")
        guard case .text(let qml) = attention.first?.first else { Issue.record("no attention style"); return }
        #expect(qml.contains("if(&quot;attention&quot; IS NULL, NULL,") && qml.contains("label=\"ohne Zuordnung\""))
    }

    /// results.geojson is RFC 7946: WGS84 longitude/latitude without a `crs` member, the areas where the input's
    /// ETRS89/UTM geometry has them (projected back, within a millimetre); `geojson_crs = "input"` keeps the input's.
    @Test func resultsGeoJSONIsInWGS84UnlessAskedOtherwise() throws {
        let url = Self.report.appendingPathComponent("results.geojson")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(!text.contains("\"crs\""))
        let written = try GeoJSON.read(url, idProperty: "area_id").layer
        let input = try GeoJSON.read(Self.demo.appendingPathComponent("planungsraeume.geojson"), idProperty: "PLR_ID").layer
        #expect(written.coordinateSystem == .wgs84 && input.coordinateSystem == .epsg(25833))
        let utm = UTMProjection(zone: 33)
        let original = Dictionary(uniqueKeysWithValues: input.areas.map { ($0.id, $0.polygons[0].exterior.points) })
        var worst = 0.0
        for area in written.areas {
            for (p, q) in zip(area.polygons[0].exterior.points, original[area.id]!) {
                let back = utm.project(p)
                worst = max(worst, abs(back.x - q.x), abs(back.y - q.y))
            }
        }
        #expect(worst < 1e-3, "worst round-trip error \(worst) m")
        let config = try demoCopy { folder in
            try replace(folder.appendingPathComponent("sozialindex.toml"), "formats = [", "geojson_crs = \"input\"\nformats = [")
        }
        let out = config.deletingLastPathComponent().appendingPathComponent("out")
        defer { try? FileManager.default.removeItem(at: config.deletingLastPathComponent()) }
        _ = try RunJob(configURL: config).run(output: out)
        let kept = try GeoJSON.read(out.appendingPathComponent("results.geojson"), idProperty: "area_id").layer
        #expect(kept.coordinateSystem == .epsg(25833) && kept.areas[0].polygons == input.areas.first { $0.id == kept.areas[0].id }!.polygons)
    }

    /// Comparable areas of the demo (`[similar]`, other districts only): five per area, each from another district,
    /// nearest first; the profiles list their areas' three most similar.
    @Test func similarAreasComeFromOtherDistricts() throws {
        let similar = try table("similar")
        let byArea = Dictionary(grouping: similar.rows, by: { $0[0] })
        #expect(byArea.count >= 500 && byArea.values.allSatisfy { $0.count == 5 })
        #expect(similar.rows.allSatisfy { $0[0].prefix(2) != $0[2].prefix(2) }, "never an area of the same Bezirk")
        #expect(byArea.values.allSatisfy { rows in zip(rows, rows.dropFirst()).allSatisfy { number($0[3]) <= number($1[3]) } })
        let page = try String(contentsOf: Self.report.appendingPathComponent("profiles/010101.html"), encoding: .utf8)
        #expect(page.contains("<h2>Vergleichbare Planungsräume</h2>") && page.contains(byArea["01010101"]![0][2]))
    }

    /// Emerging hot spots of the demo's quarterly S4 (`[hotspots]`): the areas with a value in every quarter, each
    /// with the Mann–Kendall τ and p of its space-time G* series as the reference computes them
    /// (`emerging_hotspots.json`: the spdep formula, pymannkendall); categories only of ESRI's; a map in report.html.
    @Test func emergingHotSpotsOfTheDemo() throws {
        let hotspots = try table("hotspots")
        let fixture = try FixtureValue.load("emerging_hotspots.json")
        let ids = fixture["ids"].array.map(\.string)
        let tau = Dictionary(uniqueKeysWithValues: zip(ids, fixture["tau"].doubles))
        let trendP = Dictionary(uniqueKeysWithValues: zip(ids, fixture["trend_p"].doubles))
        #expect(Set(hotspots.rows.map { $0[0] }) == Set(ids))
        var worst = 0.0
        for row in hotspots.rows {
            worst = max(worst, abs(number(row[5]) - tau[row[0]]!), abs(number(row[6]) - trendP[row[0]]!))
        }
        #expect(worst < 1e-9, "worst error of tau and p against the reference: \(worst)")
        let known = Set(EmergingHotSpots.Category.all.map(\.description))
        #expect(hotspots.rows.allSatisfy { known.contains($0[2]) && $0[1] == "S4" })
        let html = try String(contentsOf: Self.report.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<h2>Aufkommende Hot Spots: Kinderarmut"))
    }

    /// max-p regions of the demo (`[clusters] methods` with "max-p", floor 25 000 inhabitants): at least as many
    /// regions as spopt's MaxPHeuristic on the same areas (`max_p.json`), each contiguous and above the floor.
    @Test func maxPRegionsOfTheDemo() throws {
        let clusters = try table("clusters")
        let fixture = try FixtureValue.load("max_p.json")["demo"]
        let ids = fixture["ids"].array.map(\.string)
        let position = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        let neighbours = fixture["neighbours"].array.map { $0.doubles.map { Int($0) } }
        let population = fixture["floor_values"].doubles
        let rows = clusters.rows.filter { $0[1] == "max-p" }
        #expect(Set(rows.map { $0[0] }) == Set(ids))
        var region = [Int](repeating: 0, count: ids.count)
        for row in rows { region[position[row[0]]!] = Int(row[3])! }
        let count = Set(region).count
        #expect(rows.allSatisfy { Int($0[2]) == count })
        #expect(count >= Int(fixture["spopt_regions"].double), "\(count) regions, spopt \(fixture["spopt_regions"].double)")
        for r in Set(region) {
            let members = region.indices.filter { region[$0] == r }
            #expect(members.reduce(0) { $0 + population[$1] } >= 25000)
            var seen: Set<Int> = [members[0]], stack = [members[0]]
            while let i = stack.popLast() { for j in neighbours[i] where region[j] == r && seen.insert(j).inserted { stack.append(j) } }
            #expect(seen.count == members.count, "region \(r) is contiguous")
        }
        // report.html maps the regions; neighbouring regions in different colours.
        let html = try String(contentsOf: Self.report.appendingPathComponent("report.html"), encoding: .utf8)
        let section = try #require(html.components(separatedBy: "<h2>max-p-Regionen</h2>").dropFirst().first?
            .components(separatedBy: "</figure>").first)
        #expect(section.contains("\(count) zusammenhängende Regionen mit je mindestens 25") && section.contains("000 Einwohnern"),
                "the count and the floor (German thousands with a thin space)")
        var fill: [String: String] = [:]
        for path in section.components(separatedBy: "<path ").dropFirst() {
            guard let f = path.components(separatedBy: "fill=\"").dropFirst().first?.prefix(7),
                  let place = path.components(separatedBy: "<title>").dropFirst().first?.components(separatedBy: ":").first else { continue }
            // The tooltip names the area "name (id)".
            let id = place.components(separatedBy: "(").last?.components(separatedBy: ")").first ?? place
            fill[id] = String(f)
        }
        let clash = ids.indices.flatMap { i in neighbours[i].map { (i, $0) } }
            .filter { region[$0.0] != region[$0.1] && fill[ids[$0.0]] == fill[ids[$0.1]] }
        #expect(clash.isEmpty && fill.count >= ids.count, "\(clash.count) neighbouring areas of different regions share a colour")
    }

    /// A robust status index (`winsorize = "coinr"`, `impute = "group-median"` by Bezirk, `sensitivity = true`):
    /// every eligible area that lacks an indicator is imputed and scored, `treatment_status.csv` counts them, and
    /// `uncertainty_status.csv` has each scored area's rank and its shift without each indicator.
    @Test func robustIndexImputesWinsorisesAndLeavesOneOut() throws {
        let config = try demoCopy { folder in
            try replace(folder.appendingPathComponent("sozialindex.toml"), "preset = \"mss-status\"",
                        "preset = \"mss-status\"\nwinsorize = \"coinr\"\nimpute = \"group-median\"\nimpute_level = \"Bezirk\"\nsensitivity = true")
        }
        let out = config.deletingLastPathComponent().appendingPathComponent("out")
        defer { try? FileManager.default.removeItem(at: config.deletingLastPathComponent()) }
        _ = try RunJob(configURL: config).run(output: out)
        func read(_ name: String) throws -> CSVTable { try CSVTable(contentsOf: out.appendingPathComponent("tables/\(name).csv")) }
        let areas = try read("areas"), treatment = try read("treatment_status"), uncertainty = try read("uncertainty_status")
        let eligible = try areas.columnIndex("eligible"), value = try areas.columnIndex("status_value")
        let columns = try ["S1", "S3", "S4"].map { try areas.columnIndex($0) }
        let lacking = columns.map { j in areas.rows.filter { $0[eligible] == "true" && ($0[j].isEmpty || $0[j] == ".") }.count }
        #expect(treatment.rows.map { $0[0] } == ["S1", "S3", "S4"])
        #expect(treatment.rows.map { Int($0[1])! } == lacking, "imputed = eligible areas without the value")
        #expect(lacking.reduce(0, +) > 0, "the demo has eligible areas with a missing indicator")
        #expect(areas.rows.allSatisfy { $0[eligible] != "true" || !$0[value].isEmpty }, "every eligible area is scored")
        let scored = areas.rows.filter { !$0[value].isEmpty }.count
        #expect(uncertainty.rows.count == scored)
        #expect(uncertainty.header == ["area_id", "rank", "rank_shift_without_S1", "class_change_without_S1",
                                       "rank_shift_without_S3", "class_change_without_S3", "rank_shift_without_S4",
                                       "class_change_without_S4", "max_abs_rank_shift"])
        // Ranks 1…n (1 = most need) follow the status values.
        let byValue = areas.rows.filter { !$0[value].isEmpty }.sorted { number($0[value]) > number($1[value]) }.map { $0[0] }
        let rank = Dictionary(uniqueKeysWithValues: uncertainty.rows.map { ($0[0], number($0[1])) })
        #expect(byValue.enumerated().allSatisfy { abs(rank[$1]! - Double($0 + 1)) < 1e-9 })
    }

    /// A variable the quarterly table lacks, and a table of two quarters, are refused with what was expected.
    @Test func hotSpotsRefuseWhatTheyCannotAnalyse() throws {
        for (edit, message) in [
            ({ (folder: URL) in try self.replace(folder.appendingPathComponent("sozialindex.toml"), "variables = [\"S4\"]\ntime_window",
                                                 "variables = [\"K9\"]\ntime_window") },
             "[hotspots] names indicator 'K9', which the table does not have"),
            ({ (folder: URL) in
                let url = folder.appendingPathComponent("indicators_quarterly.csv")
                let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
                try (lines.filter { $0.contains("2024Q3") || $0.contains("2024Q4") || $0.hasPrefix("PLR_ID") }.joined(separator: "\n") + "\n")
                    .write(to: url, atomically: false, encoding: .utf8)
             }, "[hotspots] needs a table with at least 3 periods"),
            // The table [trends] reads, named with another dialect: read again as asked, not taken from [trends].
            ({ (folder: URL) in try self.replace(folder.appendingPathComponent("sozialindex.toml"), "variables = [\"S4\"]\ntime_window",
                                                 "separator = \";\"\nvariables = [\"S4\"]\ntime_window") },
             "indicators_quarterly.csv:1: no column 'PLR_ID'"),
        ] as [((URL) throws -> Void, String)] {
            let config = try demoCopy(edit)
            defer { try? FileManager.default.removeItem(at: config.deletingLastPathComponent()) }
            let out = config.deletingLastPathComponent().appendingPathComponent("out")
            #expect { _ = try RunJob(configURL: config).run(output: out) } throws: { error in
                "\(error)".contains(message)
            }
            #expect(!FileManager.default.fileExists(atPath: out.path), "a failed run leaves nothing")
        }
    }

    /// `[supply] method = "2sfca"`: the demo's access per 1 000 equals PySAL access's two_stage_fca on the same
    /// centroids, populations and facilities (`catchment_access.json`), and low supply is judged by it.
    @Test func catchmentAccessMatchesPySALAccess() throws {
        let config = try demoCopy { folder in
            try replace(folder.appendingPathComponent("sozialindex.toml"), "need_index = \"status\"",
                        "method = \"2sfca\"\nradius = 1500\nneed_index = \"status\"")
        }
        let out = config.deletingLastPathComponent().appendingPathComponent("out")
        defer { try? FileManager.default.removeItem(at: config.deletingLastPathComponent()) }
        _ = try RunJob(configURL: config).run(output: out)
        let supply = try CSVTable(contentsOf: out.appendingPathComponent("tables/supply_areas.csv"))
        let fixture = try FixtureValue.load("catchment_access.json")
        let expected = Dictionary(uniqueKeysWithValues: zip(fixture["areas"]["ids"].array.map(\.string), fixture["2sfca"].doubles))
        let access = try supply.columnIndex("access"), low = try supply.columnIndex("low_supply")
        let threshold = try supply.columnIndex("low_supply_threshold")
        var worst = 0.0
        for row in supply.rows {
            worst = max(worst, abs(number(row[access]) - expected[row[0]]!) / max(1, expected[row[0]]!))
            #expect((row[low] == "true") == (number(row[access]) < number(row[threshold])))
        }
        #expect(worst < 1e-9, "worst relative error against access: \(worst)")
    }

    /// A copy of the demo data set in a fresh folder, with `edit` applied to its files.
    func demoCopy(_ edit: (URL) throws -> Void) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-demo-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.demo, to: folder)
        try edit(folder)
        return folder.appendingPathComponent("sozialindex.toml")
    }

    func replace(_ url: URL, _ old: String, _ new: String) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: false, encoding: .utf8)
    }

    /// Facilities given in WGS84 are projected to the geometry's UTM zone and located there: each lands in the cell
    /// that pyproj's inverse projection started from (`Tests/Fixtures/facilities_wgs84.json`), or in none.
    @Test func wgs84FacilitiesAreLocated() throws {
        let fixture = try FixtureValue.load("facilities_wgs84.json")["points"].array
        let config = try demoCopy { folder in
            var text = "id,typ,plaetze,lon,lat\n"
            for p in fixture { text += "\(p["id"].string),Kita,10,\(p["lon"].double),\(p["lat"].double)\n" }
            try text.write(to: folder.appendingPathComponent("einrichtungen.csv"), atomically: false, encoding: .utf8)
            try replace(folder.appendingPathComponent("sozialindex.toml"), "x = \"x\"\ny = \"y\"\ncrs = \"EPSG:25833\"",
                        "x = \"lon\"\ny = \"lat\"\ncrs = \"EPSG:4326\"")
            // The scenarios name the demo's facilities, which this table replaces.
            let toml = folder.appendingPathComponent("sozialindex.toml")
            try Scratch.without(["scenario", "locate"], in: try String(contentsOf: toml, encoding: .utf8))
                .write(to: toml, atomically: false, encoding: .utf8)
        }
        defer { try? FileManager.default.removeItem(at: config.deletingLastPathComponent()) }
        let out = config.deletingLastPathComponent().appendingPathComponent("report")
        _ = try RunJob(configURL: config).run(output: out)
        let layer = try GeoJSON.read(Self.demo.appendingPathComponent("planungsraeume.geojson"), idProperty: "PLR_ID").layer
        let cellOf = Dictionary(uniqueKeysWithValues: layer.areas.map { area -> ([Int], String) in
            let corner = area.polygons[0].exterior.points.min { ($0.x, $0.y) < ($1.x, $1.y) }!
            return ([Int((corner.x - 370_000) / 1000), Int((corner.y - 5_800_000) / 1000)], area.id)
        })
        let assigned = try CSVTable(contentsOf: out.appendingPathComponent("tables/facilities.csv"))
        #expect(assigned.rows.count == fixture.count)
        for (row, point) in zip(assigned.rows, fixture) {
            let cell = point["cell"].doubles.map { Int($0) }
            #expect(row[3] == (cellOf[cell] ?? ""), "\(row[0]) in cell \(cell)")
        }
        #expect(assigned.rows.contains { !$0[3].isEmpty } && assigned.rows.contains { $0[3].isEmpty })
    }

    @Test func badPlanningInputsAreNamed() throws {
        // A crosswalk whose weights do not add up.
        let crosswalk = try demoCopy { try replace($0.appendingPathComponent("crosswalk.csv"), "0.2417", "0.3417") }
        defer { try? FileManager.default.removeItem(at: crosswalk.deletingLastPathComponent()) }
        #expect(throws: InputError.self) { try RunJob(configURL: crosswalk).validate() }
        do { _ = try RunJob(configURL: crosswalk).validate() } catch let error as InputError {
            #expect(error.file.hasSuffix("crosswalk.csv") && error.message.contains("901010101 sum to 1."))
        }
        // A facility file located by area id, one id unknown.
        let byID = try demoCopy { folder in
            try "id,typ,plaetze,bezirk_plr\nE1,Kita,40,01010101\nE2,Kita,30,99999999\n"
                .write(to: folder.appendingPathComponent("einrichtungen.csv"), atomically: false, encoding: .utf8)
            try replace(folder.appendingPathComponent("sozialindex.toml"), "x = \"x\"\ny = \"y\"\ncrs = \"EPSG:25833\"",
                        "area_id = \"bezirk_plr\"")
        }
        defer { try? FileManager.default.removeItem(at: byID.deletingLastPathComponent()) }
        do {
            _ = try RunJob(configURL: byID).validate()
            Issue.record("an unknown area id must be refused")
        } catch let error as InputError {
            #expect(error.line == 3 && error.column == 4 && error.message.contains("99999999"))
        }
        // Config: locate by area id and by coordinates at once, and need by an index that does not exist.
        let both = try demoCopy { folder in
            try replace(folder.appendingPathComponent("sozialindex.toml"), "crs = \"EPSG:25833\"", "crs = \"EPSG:25833\"\narea_id = \"PLR\"")
            try replace(folder.appendingPathComponent("sozialindex.toml"), "need_index = \"status\"", "need_index = \"statuss\"")
        }
        defer { try? FileManager.default.removeItem(at: both.deletingLastPathComponent()) }
        do {
            _ = try RunJob(configURL: both)
            Issue.record("config problems must be reported")
        } catch let error as ConfigProblems {
            #expect(error.problems.contains { $0.message.contains("by area_id or by x and y") && $0.line > 0 })
            #expect(error.problems.contains { $0.message.contains("need_index' must name an [[index]]") })
        }
    }
}
