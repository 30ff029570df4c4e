import Foundation
import Sozmon
import SozmonIO
import TestSupport
import Testing
import Reporting
import Trends

/// The batch runner end to end: golden tables, independent reference values, determinism, the contract columns.
@Suite struct RunTests {
    static let small = FixtureValue.folder.appendingPathComponent("golden/small-edition")

    func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-test-\(UUID().uuidString)")
    }

    func csv(_ url: URL) throws -> CSVTable { try CSVTable(contentsOf: url) }

    /// Relative tolerance of the golden tables across CPUs (README: "across CPUs equal to 1e-12 relative" for the
    /// deterministic statistics; the cross-CPU spread measured is below 1e-14).
    static let goldenTolerance = 1e-12

    /// The tables of the small hand-made edition and of the demo edition on the shipped data set match the golden
    /// files: text exactly, numbers to `goldenTolerance` (they were recorded on another CPU). Byte identity of
    /// two runs on one machine is `runsAreByteIdentical`. Re-record deliberately with SOZMON_RECORD_GOLDEN=1,
    /// review the diff, commit it.
    @Test(arguments: ["small-edition", "demo"])
    func editionMatchesGoldenTables(_ name: String) throws {
        let config = name == "demo" ? try DemoData.configURL() : Self.small.appendingPathComponent("edition.toml")
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let outcome = try RunJob(configURL: config).run(output: out)
        let expected = FixtureValue.folder.appendingPathComponent("golden/\(name)/expected")
        let record = ProcessInfo.processInfo.environment["SOZMON_RECORD_GOLDEN"] == "1"
        for table in outcome.tables {
            let made = out.appendingPathComponent("tables/\(table).csv")
            let golden = expected.appendingPathComponent("\(table).csv")
            if record {
                try FileManager.default.createDirectory(at: expected, withIntermediateDirectories: true)
                try Data(contentsOf: made).write(to: golden)
            }
            let comparison = GoldenTableComparison(made: try csv(made), golden: try csv(golden),
                                                   tolerance: Self.goldenTolerance)
            #expect(comparison.mismatches.isEmpty, "\(name): tables/\(table).csv: \(comparison)")
        }
        let goldenFiles = try FileManager.default.contentsOfDirectory(atPath: expected.path).sorted()
        #expect(goldenFiles == outcome.tables.map { "\($0).csv" }.sorted(), "\(name): the same set of tables")
        #expect(!record, "golden files re-recorded: review the diff and commit it, then run again without the variable")
    }

    /// The comparison can fail: a number moved by more than the tolerance, or a text cell changed, is reported.
    @Test func goldenComparisonFindsAChangedCell() throws {
        let golden = try CSVTable(bytes: Array("id,v,c\na,0.8767055890428841,x\n".utf8), file: "g.csv")
        let lastBits = try CSVTable(bytes: Array("id,v,c\na,0.8767055890428842,x\n".utf8), file: "m.csv")
        let moved = try CSVTable(bytes: Array("id,v,c\na,0.87670558904,x\n".utf8), file: "m.csv")
        let text = try CSVTable(bytes: Array("id,v,c\na,0.8767055890428841,y\n".utf8), file: "m.csv")
        #expect(GoldenTableComparison(made: lastBits, golden: golden, tolerance: 1e-12).mismatches.isEmpty)
        #expect(GoldenTableComparison(made: moved, golden: golden, tolerance: 1e-12).mismatches.count == 1)
        #expect(GoldenTableComparison(made: text, golden: golden, tolerance: 1e-12).mismatches.count == 1)
    }

    /// Index values against a numpy re-computation of the same table (Tests/Fixtures/make_fixtures.py).
    @Test func smallEditionMatchesNumpy() throws {
        let out = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        _ = try RunJob(configURL: Self.small.appendingPathComponent("edition.toml")).run(output: out)
        let areas = try csv(out.appendingPathComponent("tables/areas.csv"))
        let reference = try FixtureValue.load("small_edition.json")
        let ids = reference["area_id"].array.map(\.string)
        let rowOf = Dictionary(uniqueKeysWithValues: areas.rows.enumerated().map { ($1[0], $0) })
        for key in ["status_value", "dynamik_value"] {
            let column = try areas.numericColumn(key).map(\.number)
            let actual = ids.map { column[rowOf[$0]!] }
            let worst = WorstError(actual, reference[key].doubles)
            #expect(worst.error < 1e-12, "\(key): \(worst)")
        }
    }

    @Test func demoEditionHasTheContractColumnsAndIsDeterministic() throws {
        let config = try DemoData.configURL()
        let first = temporaryFolder(), second = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: first); try? FileManager.default.removeItem(at: second) }
        let outcome = try RunJob(configURL: config).run(output: first)
        _ = try RunJob(configURL: config).run(output: second)
        for name in outcome.tables {
            #expect(try Data(contentsOf: first.appendingPathComponent("tables/\(name).csv"))
                    == Data(contentsOf: second.appendingPathComponent("tables/\(name).csv")), "\(name) is reproducible")
        }
        let areas = try csv(first.appendingPathComponent("tables/areas.csv"))
        let contract = ["area_id", "population", "eligible", "exclusion_reason", "S1", "S3", "S4", "D1", "D3", "D4",
                        "z_S1", "z_S3", "z_S4", "z_D1", "z_D3", "z_D4", "status_sum", "status_value", "status_class",
                        "dynamik_sum", "dynamik_value", "dynamik_class", "combined_class", "attention"]
        for column in contract { #expect(areas.header.contains(column), "areas.csv has \(column)") }
        #expect(areas.rows.count == 542)
        // Classes follow the published thresholds of the values; small areas are ineligible without a class.
        let value = try areas.numericColumn("status_value").map(\.number)
        let population = try areas.numericColumn("population").map(\.number)
        let classColumn = try areas.columnIndex("status_class"), reason = try areas.columnIndex("exclusion_reason")
        for (i, row) in areas.rows.enumerated() {
            if population[i] < 300 {
                #expect(row[reason] == "population_below_minimum" && row[classColumn].isEmpty)
            } else if !value[i].isNaN {
                let expected = value[i] < -1 ? "hoch" : value[i] <= 1 ? "mittel" : value[i] <= 1.5 ? "niedrig" : "sehr niedrig"
                #expect(row[classColumn] == expected)
            }
        }
        // Trends: four methods for S1, S3, S4 per area; the OLS row of an area is the fit of its quarterly series.
        let trends = try csv(first.appendingPathComponent("tables/trends.csv"))
        // Areas under 30 inhabitants are suppressed entirely in the synthetic data: they get no trend rows.
        let suppressed = try csv(config.deletingLastPathComponent().appendingPathComponent("indicators_quarterly.csv"))
            .rows.filter { $0[2] == "2024Q4" && Double($0[3])! < 30 }.count
        #expect(trends.rows.count == (542 - suppressed) * 3 * 4)
        let quarterly = try CSVReader(contentsOf: config.deletingLastPathComponent()
            .appendingPathComponent("indicators_quarterly.csv")).panel(PanelSpec(areaIDColumn: "PLR_ID",
                periodColumn: "ZEIT", indicatorColumns: ["S1"])).panel
        let series = quarterly.series(area: 0, indicator: 0)
        let fit = try OLSTrend(times: quarterly.periods.map { Double($0.year) + (Double($0.subperiod) - 0.5) / 4 },
                               values: series)
        let row = try #require(trends.rows.first { $0[0] == quarterly.areaIDs[0] && $0[1] == "S1" && $0[2] == "ols" })
        #expect(abs(Double(row[6])! - fit.slope) < 1e-12 && abs(Double(row[9])! - fit.pValue) < 1e-12)
        #expect(trends.rows.allSatisfy { r in r[10].isEmpty || Double(r[10])! >= Double(r[9])! - 1e-15 }, "q ≥ p")
        let quarters = try csv(first.appendingPathComponent("tables/quarters.csv"))
        #expect(quarters.rows.count == 542 * 3 && quarters.rows.allSatisfy { $0[3] == "2024Q4" })
        // The page is self-contained (no external resources) and maps every area.
        let html = try String(contentsOf: first.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(!html.contains("src=") && !html.contains("href=\"http") && html.contains("<meta name=\"viewport\""))
        // Twelve maps of 542 areas: status, dynamics, attention, the choropleths of S1 and S4, need against supply, the
        // three scenarios and the location of new sites, hot spots of S4, max-p regions.
        #expect(html.components(separatedBy: "<path ").count - 1 == 12 * 542)
        // The trend chart counts what trends.csv flags: per indicator, the areas Mann–Kendall finds deteriorating.
        let deteriorating = try #require(trends.header.firstIndex(of: "deteriorating"))
        // The chart names each indicator by its label (the demo's catalogue).
        let catalogue = ["S1": "Arbeitslosigkeit (SGB II)", "S3": "Transferbezug (SGB II/XII, nicht arbeitslos)",
                         "S4": "Kinderarmut: unter 15-Jährige in SGB-II-Bedarfsgemeinschaften"]
        for indicator in Set(trends.rows.map { $0[1] }) {
            let rows = trends.rows.filter { $0[1] == indicator && $0[2] == "mann-kendall" }
            let worse = rows.filter { $0[deteriorating] == "true" }.count
            let label = try #require(catalogue[indicator], "\(indicator) has a label in the demo's catalogue")
            #expect(html.contains(">\(label)</text>") && html.contains(">\(worse) von \(rows.count) Gebieten</text>"))
        }
        #expect(FileManager.default.fileExists(atPath: first.appendingPathComponent("report.xlsx").path))
        #expect(try Data(contentsOf: first.appendingPathComponent("report.xlsx"))
                == Data(contentsOf: second.appendingPathComponent("report.xlsx")), "the workbook is reproducible")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: first.appendingPathComponent("run.json")))
            as! [String: Any]
        #expect(manifest["sozmon_version"] as? String == Sozmon.version)
        #expect((manifest["inputs_sha256"] as? [String: String])?["indicators_annual.csv"]?.count == 64)
    }

    @Test func previousEditionGivesChanges() throws {
        let out = temporaryFolder(), again = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: again) }
        _ = try RunJob(configURL: Self.small.appendingPathComponent("edition.toml")).run(output: out)
        // A second edition that names the first as previous: nothing changed.
        let config = try String(contentsOf: Self.small.appendingPathComponent("edition.toml"), encoding: .utf8)
            .replacingOccurrences(of: "table = \"indikatoren.csv\"", with: "table = \"\(Self.small.path)/indikatoren.csv\"")
            + "\n[previous]\ntable = \"\(out.path)/tables/areas.csv\"\n"
        let configURL = temporaryFolder().appendingPathExtension("toml")
        try config.write(to: configURL, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: configURL) }
        let outcome = try RunJob(configURL: configURL).run(output: again)
        #expect(outcome.tables.contains("changes"))
        let changes = try csv(again.appendingPathComponent("tables/changes.csv"))
        let changed = try changes.columnIndex("status_changed")
        #expect(changes.rows.allSatisfy { $0[changed] == "false" })
    }
}

@Suite struct ConfigTests {
    func parse(_ text: String) throws -> RunConfig { try RunConfig.parse(text, file: "c.toml", baseFolder: "/tmp") }
    let minimal = """
        [input]
        table = "t.csv"
        area_id = "id"

        [[index]]
        name = "status"
        preset = "mss-status"
        indicators = ["S1"]
        """

    @Test func defaultsAreFilledIn() throws {
        let c = try parse(minimal)
        #expect(c.eligibility.minPopulation == 300 && c.input.hierarchy == [2, 4, 6] && c.report.formats == [.csv])
        #expect(c.indices[0].classes == .mssStatus && c.indices[0].normalization == .z && c.indices[0].ddof == 0)
        #expect(c.url("t.csv").path == "/tmp/t.csv")
    }

    @Test func everyProblemIsListedWithItsLine() throws {
        let text = minimal + """

            colour = "blue"

            [report]
            formats = ["csv", "pdf"]
            csv_dialect = "fancy"

            [eligibility]
            min_populaton = 300
            """
        do {
            _ = try parse(text)
            Issue.record("problems must be reported")
        } catch let error as ConfigProblems {
            let messages = error.problems.map(\.description)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            func line(_ fragment: String) -> Int { lines.firstIndex { $0.contains(fragment) }! + 1 }
            #expect(messages.contains("c.toml:\(line("colour")):1: unknown key 'index[1].colour'; see the config reference in README"))
            #expect(messages.contains("c.toml:\(line("pdf")):1: 'report.formats' has \"pdf\"; expected some of csv, xlsx, html, geojson, gpkg, parquet, gal"))
            #expect(messages.contains { $0.hasPrefix("c.toml:\(line("fancy")):1:") && $0.contains("csv_dialect") })
            #expect(messages.contains("c.toml:\(line("min_populaton")):1: unknown key 'eligibility.min_populaton'; "
                                      + "did you mean 'eligibility.min_population'? see the config reference in README"))
            #expect(messages.count == 4)
        }
    }

    @Test func syntaxErrorsNameLineAndColumn() {
        do {
            _ = try parse("[input\ntable = 1")
            Issue.record("a syntax error must be reported")
        } catch let error as ConfigProblems {
            #expect(error.problems.first?.line == 1)
        } catch { Issue.record("unexpected \(error)") }
    }
}

@Suite struct CountsAndWeightsTests {
    /// Shares from counts, and level shares aggregated from the counts (not averaged): Bezirk 01 has
    /// 30 + 10 unemployed of 300 + 500 → 5 %, while the mean of the area shares would be 6.67 % (10 % and 2 %)
    /// and the population-weighted mean 5.5 % (populations 1000 and 3000).
    @Test func levelSharesComeFromCounts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-counts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            id,EW,alo,ew1565,S3
            01100101,1000,30,300,5
            01100102,3000,10,500,9
            02100101,2000,40,400,7
            02100102,2500,20,800,4
            """.write(to: folder.appendingPathComponent("t.csv"), atomically: false, encoding: .utf8)
        try """
            [input]
            table = "t.csv"
            area_id = "id"
            population = "EW"
            [input.counts]
            S1 = ["alo", "ew1565"]
            [[index]]
            name = "status"
            preset = "mss-status"
            indicators = ["S1", "S3"]
            pca_weights = true
            """.write(to: folder.appendingPathComponent("c.toml"), atomically: false, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        _ = try RunJob(configURL: folder.appendingPathComponent("c.toml")).run(output: out)
        let areas = try CSVTable(contentsOf: out.appendingPathComponent("tables/areas.csv"))
        #expect(try areas.numericColumn("S1").map(\.number) == [10, 2, 10, 2.5])
        let districts = try CSVTable(contentsOf: out.appendingPathComponent("tables/summary_bezirk.csv"))
        let s1 = try districts.numericColumn("S1").map(\.number)
        #expect(abs(s1[0] - 5) < 1e-12 && abs(s1[1] - 60.0 / 1200 * 100) < 1e-12)
        // Two indicators: the first component loads both equally (|r| is symmetric), so PCA weights are 1 and 1.
        let diagnostics = try CSVTable(contentsOf: out.appendingPathComponent("tables/diagnostics_status.csv"))
        let weights = diagnostics.rows.filter { $0[0] == "pca_weight" }.map { Double($0[3])! }
        #expect(weights.count == 2 && weights.allSatisfy { abs($0 - 1) < 1e-12 })
    }
}

@Suite struct DisclosureControlTests {
    /// Areas `a` (1), `b` (2), `c` (5) in unit 01: both small ones take `c` as their partner, so the unit total 8 stays
    /// published and each small count's interval is [0, 8].
    @Test func smallCountsTakeAPartnerInTheirUnit() {
        let areas = DisclosureControl.Areas(ids: ["a", "b", "c"], levelNames: ["Bezirk"], parents: [["01"], ["01"], ["01"]], classes: [])
        let control = DisclosureControl(threshold: 3, areas: areas, counts: ["population": [1, 2, 5]])
        var table = Table(name: "areas", columns: ["area_id", "population", "S1"],
                          roles: ["area_id": .areaID, "population": .count(of: "population")])
        for (id, people) in zip(["a", "b", "c"], [1.0, 2, 5]) { table.append([.text(id), .number(people), .number(people)]) }
        var summary = Table(name: "summary_bezirk", columns: ["bezirk_id", "population"],
                            roles: ["bezirk_id": .unit(level: 0), "population": .count(of: "population")])
        summary.append([.text("01"), .number(8)])
        let (tables, suppressed) = control.apply(to: [table, summary])
        #expect(tables[0].rows.map { $0[1] } == [.text("."), .text("."), .text(".")])
        // The shares of a small population go with it (a population-weighted level mean would give it back); the
        // partner keeps its own.
        #expect(tables[0].rows.map { $0[2] } == [.text("."), .text("."), .number(5)])
        #expect(tables[1].rows[0] == [.text("01"), .number(8)])
        #expect(suppressed == 5)
        #expect(DisclosureControl(threshold: 0, areas: areas, counts: ["population": [1, 2, 5]]).apply(to: [table]).suppressed == 0)
    }

    /// The issue's case: an area of 2 alone in its Bezirksregion. Its region's total is its own cell; the partner (the
    /// smaller of the two areas next door) takes its region's total with it, so that the Prognoseraum total minus the
    /// published region totals gives nothing back, and neither region publishes its values.
    @Test func anAreaAloneInItsUnitTakesItsUnitAndThePartnersUnitWithIt() {
        let ids = ["01010101", "01010201", "01010202"]
        let areas = DisclosureControl.Areas(ids: ids, levelNames: ["Prognoseraum", "Bezirksregion"],
                                            parents: ids.map { [String($0.prefix(4)), String($0.prefix(6))] }, classes: [])
        let control = DisclosureControl(threshold: 3, areas: areas, counts: ["population": [2, 6951, 12201]])
        #expect(ids.map { control.isSuppressed("population", area: $0) } == [true, true, false])
        #expect(control.isWithheld("population", level: 1, unit: "010101") && control.isWithheld("population", level: 1, unit: "010102"))
        #expect(!control.isWithheld("population", level: 0, unit: "0101") && !control.isWithheld("population", level: nil, unit: "Stadt"))
        var regions = Table(name: "summary_bezirksregion", columns: ["bezirksregion_id", "population", "S1"],
                            roles: ["bezirksregion_id": .unit(level: 1), "population": .count(of: "population")])
        regions.append([.text("010101"), .number(2), .number(1.65)])
        regions.append([.text("010102"), .number(19152), .number(2.37)])
        let (table, _) = control.apply(to: regions)
        #expect(table.rows.allSatisfy { Array($0.dropFirst()) == [.text("."), .text(".")] }, "\(table.rows)")
    }

    /// Class populations are linked sums too: one area alone in its class of a unit publishes its population there.
    @Test func aClassPopulationOfOneAreaIsItsCell() {
        let ids = ["a", "b", "c", "d"]
        let areas = DisclosureControl.Areas(ids: ids, levelNames: ["Bezirk"], parents: ids.map { _ in ["01"] },
                                            classes: [(index: "status", labels: ["", "hoch", "hoch", "mittel"])])
        let control = DisclosureControl(threshold: 3, areas: areas, counts: ["population": [2, 400, 500, 700]])
        // a's partner is d, though b and c have smaller counts: d's class population is d's own cell, so pairing with
        // d withholds two sums ({a}, {d}) where b would withhold three ({a}, {b}, hoch = {b, c}).
        #expect(ids.map { control.isSuppressed("population", area: $0) } == [true, false, false, true])
        #expect(control.isWithheld(index: "status", label: "", level: 0, unit: "01"))
        #expect(!control.isWithheld(index: "status", label: "hoch", level: 0, unit: "01"))
        #expect(control.isWithheld(index: "status", label: "mittel", level: 0, unit: "01"))
        #expect(!control.isWithheld("population", level: 0, unit: "01"))
    }

    /// A small sum (a unit's total) whose areas have no partner outside it: every sum holding them is withheld.
    @Test func withoutAPartnerEverySumOfTheAreaIsWithheld() {
        let areas = DisclosureControl.Areas(ids: ["a", "b"], levelNames: ["Bezirk"], parents: [["01"], ["02"]], classes: [])
        let control = DisclosureControl(threshold: 3, areas: areas, counts: ["population": [1, 1000]])
        // b lies in another top-level unit: partners are searched within the top-level unit only.
        #expect(control.isSuppressed("population", area: "a") && !control.isSuppressed("population", area: "b"))
        #expect(control.isWithheld("population", level: 0, unit: "01") && control.isWithheld("population", level: nil, unit: "Stadt"))
    }
}

@Suite struct ParentTableTests {
    /// Ids that do not nest (another city's): the levels come from an explicit parent table.
    @Test func levelsFromAnExplicitParentTable() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-parents-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "id,EW,S1\nAltstadt,1000,4\nHafen,2000,6\nNord,1500,8\nSüd,500,2\n"
            .write(to: folder.appendingPathComponent("t.csv"), atomically: false, encoding: .utf8)
        try "id,Stadtbezirk\nAltstadt,Mitte\nHafen,Mitte\nNord,Außen\nSüd,Außen\n"
            .write(to: folder.appendingPathComponent("parents.csv"), atomically: false, encoding: .utf8)
        try """
            [input]
            table = "t.csv"
            area_id = "id"
            population = "EW"
            parents = "parents.csv"
            [[index]]
            name = "status"
            preset = "mss-status"
            indicators = ["S1"]
            [profiles]
            """.write(to: folder.appendingPathComponent("c.toml"), atomically: false, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        let outcome = try RunJob(configURL: folder.appendingPathComponent("c.toml")).run(output: out)
        #expect(outcome.tables.contains("summary_stadtbezirk"))
        #expect(outcome.tables.contains("profiles_stadtbezirk"), "[profiles] without levels profiles the table's lowest level")
        let summary = try CSVTable(contentsOf: out.appendingPathComponent("tables/summary_stadtbezirk.csv"))
        #expect(summary.rows.map { $0[0] } == ["Außen", "Mitte"])
        // Population-weighted S1: Außen (1500·8 + 500·2)/2000 = 6.5; Mitte (1000·4 + 2000·6)/3000 = 16/3.
        let s1 = try summary.numericColumn("S1").map(\.number)
        #expect(abs(s1[0] - 6.5) < 1e-12 && abs(s1[1] - 16.0 / 3) < 1e-12)
        let areas = try CSVTable(contentsOf: out.appendingPathComponent("tables/areas.csv"))
        #expect(areas.header.contains("stadtbezirk_id"))
    }
}
