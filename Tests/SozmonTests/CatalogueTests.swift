import Foundation
import Sozmon
import SozmonIO
import Testing
import ZIPFoundation

/// The indicator catalogue (`[indicators.<code>]`): read strictly, its polarity the default of the indices, and its
/// labels and decimals in every human-facing output while CSV keeps codes and full precision.
@Suite(.serialized) struct CatalogueTests {
    func parse(_ catalogue: String, index: String = "") throws -> RunConfig {
        try RunConfig.parse("""
            [input]
            table = "t.csv"
            area_id = "id"
            \(catalogue)
            [[index]]
            name = "s"
            indicators = ["S1", "S2"]
            \(index)
            """, file: "c.toml", baseFolder: "/tmp")
    }

    @Test func entriesAreReadAndTheirPolarityIsTheIndicesDefault() throws {
        let config = try parse("""
            [indicators.S1]
            label = "Arbeitslosigkeit"
            unit = "%"
            decimals = 2
            [indicators.S2]
            label = "Bildung"
            polarity = "higher_is_better"
            """)
        #expect(config.catalogue.heading("S1") == "Arbeitslosigkeit in %" && config.catalogue.heading("S2") == "Bildung")
        #expect(config.catalogue.decimals("S1") == 2 && config.catalogue.decimals("S2") == 1 && config.catalogue.heading("S9") == nil)
        #expect(config.indices[0].polarity == [.higherIsWorse, .higherIsBetter], "S2's polarity from the catalogue")
        let named = try parse("[indicators.S2]\nlabel = \"Bildung\"\npolarity = \"higher_is_better\"",
                              index: "polarity = { S1 = \"higher_is_better\" }")
        #expect(named.indices[0].polarity == [.higherIsBetter, .higherIsBetter], "the index names S1; S2 keeps the catalogue's")
        let array = try parse("[indicators.S2]\nlabel = \"Bildung\"\npolarity = \"higher_is_better\"",
                              index: "polarity = [\"higher_is_worse\", \"higher_is_worse\"]")
        #expect(array.indices[0].polarity == [.higherIsWorse, .higherIsWorse], "an array gives every polarity")
    }

    @Test(arguments: [
        ("[indicators.S1]\nunit = \"%\"", "'indicators.S1.label' is required"),
        ("[indicators.S1]\nlabel = \"A\"\ndecimals = 9", "'indicators.S1.decimals' must be an integer in 0…6"),
        ("[indicators.S1]\nlabel = \"A\"\ncolour = \"red\"", "unknown key 'indicators.S1.colour'"),
        ("[indicators.S1]\nlabel = \"A\"\npolarity = \"up\"", "'indicators.S1.polarity' must be one of"),
        ("[indicators.S1]\nlabel = \"A\"\nlabel_en = 5", "'indicators.S1.label_en' must be a string"),
        ("[report]\nlanguage = \"fr\"", "'report.language' must be one of \"de\", \"en\", not \"fr\""),
        ("[report]\nlanguage = \"EN\"", "'report.language' must be one of \"de\", \"en\", not \"EN\""),
        ("[report]\nformats = [\"parquett\"]", "'report.formats' has \"parquett\""),
    ])
    func badEntriesAreRefused(_ text: String, _ message: String) { expectRefused(text, message) }

    /// `text` (with the index of `parse`) is refused with a problem containing `message`.
    func expectRefused(_ text: String, _ message: String) {
        do {
            _ = try parse(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    /// The demo's catalogue in its outputs: the workbook's second header row and number formats, report.html's
    /// headers and decimals, the profiles' names; areas.csv unchanged (codes, full precision).
    @Test func labelsAndDecimalsReachWhatPeopleRead() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-catalogue-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        _ = try RunJob(configURL: DemoData.configURL()).run(output: out)
        let districts = try CSVTable(contentsOf: out.appendingPathComponent("tables/summary_bezirk.csv"))
        let s1 = try #require(districts.header.firstIndex(of: "S1"), "CSV: codes")
        #expect(districts.rows.allSatisfy { ($0[s1].split(separator: ".").last?.count ?? 0) > 2 }, "CSV: full precision")
        let archive = try Archive(url: out.appendingPathComponent("report.xlsx"), accessMode: .read)
        var data = Data()
        _ = try archive.extract(try #require(archive["xl/worksheets/sheet1.xml"])) { data.append($0) }
        let sheet = String(decoding: data, as: UTF8.self)
        #expect(sheet.contains("<row r=\"2\">") && sheet.contains("<t>Arbeitslosigkeit (SGB II) in %</t>"), "labels in row 2")
        #expect(sheet.contains("<pane ySplit=\"2\" topLeftCell=\"A3\""), "both header rows frozen")
        #expect(sheet.contains("<autoFilter ref=\"A2:"), "the filter on the labels")
        #expect(sheet.contains(" s=\"6\"><v>"), "S-columns with two decimals (style 4 + 2)")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<th title=\"S1\">Arbeitslosigkeit (SGB II) in %</th>"))
        let profile = try String(contentsOf: out.appendingPathComponent("profiles/010101.html"), encoding: .utf8)
        #expect(profile.contains(">Kinderarmut: unter 15-Jährige in SGB-II-Bedarfsgemeinschaften in %</td>"))
        #expect(profile.range(of: #"<td>\d+,\d\d</td>"#, options: .regularExpression) != nil, "values with two decimals")
        // The demo's years before 2015 come through its crosswalk: each chart marks the change of area system between
        // 2014 and 2015 (x = 52 + 2,5 · 200/12 with 13 years 2012–2024), and the legend says so.
        #expect(profile.contains("<path d=\"M93.7 8.0V98.0\" stroke=\"#666\" stroke-width=\"1\" stroke-dasharray=\"3 2\"><title>Gebietsstand ab 2015</title>"))
        #expect(profile.contains("Gestrichelt: Wechsel des Gebietsstands; die Jahre bis 2014 sind umgeschlüsselt."))
    }

    @Test(arguments: [
        ("[maps]\nvariables = [\"S1\"]\nclassification = \"manual\"", "'maps.breaks' (the classes' upper bounds) goes with"),
        ("[maps]\nvariables = [\"S1\"]\nbreaks = [1, 2]", "'maps.breaks' (the classes' upper bounds) goes with"),
        ("[maps]\nvariables = [\"S1\"]\nclassification = \"manual\"\nbreaks = [3, 2]", "'maps.breaks' must be ascending"),
        ("[maps]\nvariables = [\"S1\"]\nclasses = 12", "'maps.classes' must be an integer in 2…9"),
        ("[maps]\nvariables = []", "'maps.variables' must list"),
    ])
    func badMapsAreRefused(_ text: String, _ message: String) { expectRefused(text, message) }
}
