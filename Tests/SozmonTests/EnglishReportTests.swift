import Foundation
import Sozmon
@testable import SozmonIO
import Testing
import ZIPFoundation

/// `[report] language = "en"`: the demo's report, profiles, workbook and GeoPackage styles in English, every phrase
/// from the catalogue, numbers with a decimal point; the CSV tables the same bytes as in German.
@Suite struct EnglishReportTests {
    static let reports: (german: URL, english: URL) = {
        let demo = try! DemoData.configURL().deletingLastPathComponent()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-english-\(UUID().uuidString)")
        try! FileManager.default.copyItem(at: demo, to: folder)
        let config = folder.appendingPathComponent("sozialindex.toml")
        let text = try! String(contentsOf: config, encoding: .utf8)
        try! text.replacingOccurrences(of: "[report]\n", with: "[report]\nlanguage = \"en\"\n")
            .write(to: config, atomically: false, encoding: .utf8)
        let english = folder.appendingPathComponent("report-en"), german = folder.appendingPathComponent("report-de")
        _ = try! RunJob(configURL: config).run(output: english)
        _ = try! RunJob(configURL: demo.appendingPathComponent("sozialindex.toml")).run(output: german)
        return (german, english)
    }()

    /// Every phrase the English report asked for is in the catalogue.
    @Test func everyPhraseHasItsEnglish() {
        _ = Self.reports
        let missing = EnglishWords.missing.withLock { $0 }
        #expect(missing.isEmpty, "phrases without English: \(missing.sorted())")
    }

    /// The page is English: its language, headings, sentences and numbers; the words of the German page are gone.
    @Test func theReportReadsInEnglish() throws {
        let html = try String(contentsOf: Self.reports.english.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<html lang=\"en\">") && html.contains(">Overview</h2>") && html.contains(">Maps</h2>"))
        #expect(html.contains("By the Status index, most areas are in class “medium” (352 of 514), 51 (9.9 %) in class “very low”."))
        for german in ["Überblick", "Einwohner", "Gebiete mit besonderem", "ohne Zuordnung", "Spaltenköpfe", ">Gebiete<", "Klassen der"] {
            #expect(!html.contains(german), "German left in the English report: \(german)")
        }
        let profile = try String(contentsOf: Self.reports.english.appendingPathComponent("profiles/010101.html"), encoding: .utf8)
        #expect(profile.contains("“Unemployment (SGB II)”, at 14.94 %, is well above the city's value (6.16 %)."))
        #expect(profile.contains(">At a glance</h2>") && !profile.contains("Einwohner") && !profile.contains("Planungsräume"))
    }

    /// Machines read codes: the CSV tables are the same bytes in both languages; the workbook's sheets and labels
    /// are English.
    @Test func tablesKeepTheirCodes() throws {
        let tables = try FileManager.default.contentsOfDirectory(atPath: Self.reports.german.appendingPathComponent("tables").path)
        #expect(tables.count > 20)
        for file in tables {
            let de = try Data(contentsOf: Self.reports.german.appendingPathComponent("tables/\(file)"))
            let en = try Data(contentsOf: Self.reports.english.appendingPathComponent("tables/\(file)"))
            #expect(de == en, "\(file) differs between the languages")
        }
        let archive = try Archive(url: Self.reports.english.appendingPathComponent("report.xlsx"), accessMode: .read)
        var workbook = Data()
        _ = try archive.extract(archive["xl/workbook.xml"]!) { workbook.append($0) }
        let names = String(decoding: workbook, as: UTF8.self)
        #expect(names.contains("<sheet name=\"Areas\"") && names.contains("<sheet name=\"Summary by Bezirk\""))
        #expect(!names.contains("Gebiete") && !names.contains("Übersicht"))
    }
}
