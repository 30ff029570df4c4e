import Foundation
import Sozmon
import SozmonIO
import TestSupport
import Testing

/// The names of Berlin's LOR units (`../shared/data/berlin-lor-2021-keys/LOR_2021.csv`) in an edition on the real
/// population by Planungsraum of June 2022, a table without a period column given its Stichtag.
@Suite struct UnitNamesTests {
    static func run() throws -> (folder: URL, result: RunResult) {
        let keys = SharedData.url("berlin-lor-2021-keys")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-names-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("lor.toml")
        try """
            title = "Altersstruktur 2022"
            [input]
            table = "\(keys.appendingPathComponent("einwohnerbestand_06-2022_plr.csv").path)"
            area_id = "PLR-ID"
            population = "Gesamt"
            reference_period = "2022-06-30"
            [[index]]
            name = "struktur"
            preset = "mss-status"
            indicators = ["unter6", "65undmehr"]
            [profiles]
            levels = ["Bezirksregion"]
            [names]
            table = "\(keys.appendingPathComponent("LOR_2021.csv").path)"
            area_id = "Planungsraum (Nummer)"
            [names.levels]
            Bezirk = "Bezirk"
            Prognoseraum = "Prognoseraum (Name)"
            Bezirksregion = "Bezirksregion (Name)"
            [report]
            formats = ["csv", "html"]
            """.write(to: config, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("report")
        return (folder, try RunJob(configURL: config).run(output: out))
    }

    /// Profiles are titled and linked by the Bezirksregion's name, with its Bezirk and Prognoseraum by name above;
    /// the summaries carry the names; the Stichtag is the configured one, in every table and page.
    @Test(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipMessage)))
    func profilesAndSummariesShowTheNames() throws {
        let (folder, result) = try Self.run()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = folder.appendingPathComponent("report")
        #expect(result.period == "2022Q2", "the Stichtag 2022-06-30, a quarter's end, read as its quarter")
        let profile = try String(contentsOf: report.appendingPathComponent("profiles/011001.html"), encoding: .utf8)
        #expect(profile.contains("<h1>Bezirksregion Tiergarten Süd (011001)</h1>"))
        #expect(profile.contains("Bezirk Mitte (01) › Prognoseraum Zentrum (0110)"))
        #expect(profile.contains("Stand 2022Q2"))
        let html = try String(contentsOf: report.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<a href=\"profiles/011001.html\">Tiergarten Süd (011001)</a>"))
        let summary = try CSVTable(contentsOf: report.appendingPathComponent("tables/summary_bezirksregion.csv"))
        #expect(Array(summary.header.prefix(2)) == ["bezirksregion_id", "bezirksregion_name"])
        #expect(summary.rows.first { $0[0] == "011001" }?[1] == "Tiergarten Süd")
        #expect(summary.rows.count == 143 && summary.rows.allSatisfy { !$0[1].isEmpty }, "every Bezirksregion named")
        let areas = try CSVTable(contentsOf: report.appendingPathComponent("tables/areas.csv"))
        #expect(areas.rows.allSatisfy { $0[try! areas.columnIndex("period")] == "2022Q2" })
    }

    /// A names table that names one unit twice differently is refused at the second row.
    @Test func aUnitNamedTwiceDifferentlyIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-names-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "id,pop,x\n0101,500,1\n0102,600,2\n0201,700,3\n".write(to: folder.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        try "id,bezirk\n0101,Mitte\n0102,Mitte-Nord\n".write(to: folder.appendingPathComponent("n.csv"), atomically: true, encoding: .utf8)
        let config = try RunConfig(baseFolder: folder, sections: [
            .input(table: "t.csv", areaID: "id", population: "pop", referencePeriod: "2024", hierarchy: [2], levelNames: ["Bezirk"]),
            .eligibility(minPopulation: 0),
            .index(name: "x", indicators: ["x"]),
            .names(table: "n.csv", areaID: "id", levels: ["Bezirk": "bezirk"]),
        ])
        #expect(throws: InputError(file: folder.appendingPathComponent("n.csv").path, line: 3, column: 2,
                                   message: "Bezirk 01 is named \"Mitte\" on line 2 and \"Mitte-Nord\" here")) {
            try RunJob(config: config).run()
        }
    }

    /// Wrong values of `[names]`: a level the hierarchy lacks, no level at all, no table — each a problem at its line.
    @Test func wrongNamesKeysAreProblems() throws {
        let text = """
            [input]
            table = "t.csv"
            area_id = "id"
            [[index]]
            name = "x"
            indicators = ["x"]
            [names]
            area_id = "id"
            [names.levels]
            Ortsteil = "ortsteil"
            """
        do {
            _ = try RunConfig.parse(text, file: "c.toml", baseFolder: "/nonexistent")
            Issue.record("wrong [names] keys were accepted")
        } catch let error as ConfigProblems {
            let messages = error.problems.map(\.description)
            #expect(messages.contains("c.toml:7:1: 'names.table' is required: a table with a row per area"), "\(messages)")
            #expect(messages.contains("c.toml:10:1: 'names.levels.Ortsteil' is not a level; the levels are Bezirk, Prognoseraum, "
                                      + "Bezirksregion"), "\(messages)")
        }
    }

    /// An edition without a period column and without `input.reference_period` (a published share, as a
    /// Datenkoordination runs it) says so in its profiles and writes no period 0 anywhere.
    @Test func anEditionWithoutAStichtagPrintsNoPeriodZero() throws {
        let demo = try DemoData.configURL().deletingLastPathComponent()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-nostichtag-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let annual = try CSVTable(contentsOf: demo.appendingPathComponent("indicators_annual.csv"))
        let year = try annual.columnIndex("ZEIT")
        let kept = annual.header.indices.filter { $0 != year }
        let rows = annual.rows.filter { $0[year] == "2024" }.map { row in kept.map { row[$0] }.joined(separator: ",") }
        try ([kept.map { annual.header[$0] }.joined(separator: ",")] + rows).joined(separator: "\n")
            .write(to: folder.appendingPathComponent("share.csv"), atomically: true, encoding: .utf8)
        let config = folder.appendingPathComponent("share.toml")
        try """
            title = "Ohne Stichtag"
            [input]
            table = "share.csv"
            area_id = "PLR_ID"
            population = "EW"
            hierarchy = [2, 4, 6]
            level_names = ["Bezirk", "Prognoseraum", "Bezirksregion"]
            [[index]]
            name = "status"
            preset = "mss-status"
            indicators = ["S1", "S2", "S3", "S4"]
            [profiles]
            levels = ["Bezirksregion"]
            [report]
            formats = ["csv", "html"]
            """.write(to: config, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("report")
        _ = try RunJob(configURL: config).run(output: out)
        let profile = try String(contentsOf: out.appendingPathComponent("profiles/010101.html"), encoding: .utf8)
        #expect(profile.contains("Stichtag nicht angegeben") && !profile.contains("Stand 0"))
        let areas = try CSVTable(contentsOf: out.appendingPathComponent("tables/areas.csv"))
        let period = try areas.columnIndex("period")
        #expect(areas.rows.count == 542 && areas.rows.allSatisfy { $0[period] != "0" }, "no period 0 in areas.csv")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(!html.contains("Stand der Daten: 0"), "no period 0 in report.html")
    }
}
