import Foundation
import Reporting
import Sozmon
import SozmonIO
import Testing

/// What a reader sees of the demo report: German words for every table, column and coded value; the codes only in
/// the CSV tables.
@Suite struct VocabularyTests {
    static let report: (folder: URL, html: String) = {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-vocabulary-\(UUID().uuidString)")
        _ = try! RunJob(configURL: try! DemoData.configURL()).run(output: out)
        return (out, try! String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8))
    }()

    /// Every column head of every HTML table is a label (the code is its tooltip), and every table has a title.
    @Test func everyColumnAndTableHasWords() throws {
        let html = Self.report.html
        let heads = html.components(separatedBy: "<th title=\"").dropFirst().map { part -> (code: String, label: String) in
            let code = String(part.prefix { $0 != "\"" })
            let label = part.components(separatedBy: "\">").dropFirst().first?.components(separatedBy: "</th>").first ?? ""
            return (code, label)
        }
        #expect(heads.count > 200)
        let unlabelled = Set(heads.filter { $0.code == $0.label }.map(\.code))
        #expect(unlabelled.isEmpty, "columns without words: \(unlabelled.sorted())")
        let tables = try FileManager.default.contentsOfDirectory(atPath: Self.report.folder.appendingPathComponent("tables").path)
        for file in tables {
            let name = String(file.dropLast(4))
            #expect(!html.contains("<h3>\(name)</h3>"), "table \(name) is titled by its file name")
        }
    }

    /// Coded values are words: no reason, trend direction, method or hot-spot category as its code in a cell.
    @Test func codedValuesAreWords() {
        let cells = Self.report.html.components(separatedBy: "<td class=\"t").dropFirst().map { cell in
            String(cell.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" })
        }
        for code in ["indicator_missing", "not_eligible", "population_below_minimum", "no trend", "increasing", "decreasing",
                     "mann-kendall", "seasonal-mann-kendall", "diminishing hot spot", "no pattern", "change_unavailable", "moran_i"] {
            #expect(!cells.contains { $0 == code || $0.contains("=\(code)") }, "\(code) appears as a code")
        }
        #expect(cells.contains("Abnehmender Hot Spot") && cells.contains("kein Trend") && cells.contains("Indikator fehlt"))
    }

    /// The label of a change names its base indicator and its years; a summary's class column its index and class.
    @Test func derivedLabels() {
        let vocabulary = Vocabulary(catalogue: IndicatorCatalogue(["S1": .init(label: "Arbeitslosigkeit", unit: "%")]),
                                    levelNames: ["Bezirk", "Bezirksregion"], indices: [("status", ["hoch", "sehr niedrig"])])
        #expect(vocabulary.label("status_sehr_niedrig_population") == "Status-Index sehr niedrig: Einwohner")
        #expect(vocabulary.label("bezirksregion_id") == "Bezirksregion (Nr.)")
        #expect(vocabulary.label("z_S1") == "z-Wert Arbeitslosigkeit")
        #expect(vocabulary.title(of: "summary_bezirk") == "Übersicht nach Bezirk")
        #expect(vocabulary.text("S1=secret;S2=empty", column: "missing") == "Arbeitslosigkeit: geheim; S2: leer")
        #expect(Self.report.html.contains("Veränderung Arbeitslosigkeit (SGB II) 2022–2024 in Prozentpunkten"))
    }
}
