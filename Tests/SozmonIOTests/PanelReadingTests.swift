import AreaData
import Foundation
import SozmonIO
import TestSupport
import Testing

@Suite struct PanelReadingTests {
    func table(_ text: String) throws -> CSVReader { try CSVReader(bytes: Array(text.utf8), file: "in.csv") }

    @Test func wideTableWithPeriodsPopulationAndMissingReasons() throws {
        let t = try table("""
            PLR_ID;ZEIT;EW;S1;S3
            "01100101";2021;3419;4,5;.
            01100102;2021;192;-;12,25
            01100101;2019;3300;5,0;7,5
            """)
        let reading = try t.panel(PanelSpec(areaIDColumn: "PLR_ID", populationColumn: "EW", periodColumn: "ZEIT",
                                            hierarchy: .berlinLOR))
        let p = reading.panel
        #expect(p.areaIDs == ["01100101", "01100102"])
        #expect(p.periods == [.year(2019), .year(2021)])
        #expect(p.indicators == ["S1", "S3"])
        #expect(p.value(area: 0, indicator: 0, period: 1) == 4.5)
        #expect(p.value(area: 1, indicator: 1, period: 1) == 12.25)
        #expect(p.missingReason(area: 0, indicator: 1, period: 1) == .secret)
        #expect(p.missingReason(area: 1, indicator: 0, period: 1) == .nothing)
        #expect(p.missingReason(area: 1, indicator: 0, period: 0) == .absent, "no 2019 row for 01100102")
        #expect(p.value(area: 1, indicator: 0, period: 0).isNaN)
        #expect(p.population?[1] == [3419, 192])
        #expect(p.series(area: 0, indicator: 0) == [5.0, 4.5])
        #expect(reading.warnings.isEmpty)
    }

    @Test func longTable() throws {
        let t = try table("area_id,period,indicator,value\nA,2024Q1,sgb2,10\nA,2024Q2,sgb2,11\nA,2024Q1,alo,3\nB,2024Q1,sgb2,7\n")
        let p = try t.panel(PanelSpec(layout: .long, areaIDColumn: "area_id", periodColumn: "period")).panel
        #expect(p.indicators == ["sgb2", "alo"] && p.areaIDs == ["A", "B"])
        #expect(p.periods == [.quarter(2024, 1), .quarter(2024, 2)])
        #expect(p.value(area: 0, indicator: 1, period: 0) == 3)
        #expect(p.missingReason(area: 0, indicator: 1, period: 1) == .absent)
        #expect(throws: InputError(file: "in.csv", line: 3, column: 3,
                                   message: "indicator 'x' appears twice for this area and period")) {
            try table("area_id,period,indicator,value\nA,2024,x,1\nA,2024,x,2\n")
                .panel(PanelSpec(layout: .long, areaIDColumn: "area_id", periodColumn: "period"))
        }
    }

    @Test func leadingZerosAreRepairedWhenUnambiguousElseRefused() throws {
        let reading = try table("id,v\n1100101,1\n02100101,2\n")
            .panel(PanelSpec(areaIDColumn: "id", hierarchy: .berlinLOR))
        #expect(reading.panel.areaIDs == ["01100101", "02100101"])
        #expect(reading.warnings == ["in.csv:id: 1 area ids lost their leading zeros and were padded to the 8 characters "
                                     + "of the other ids: 1100101 → 01100101"])
        #expect(throws: InputError(file: "in.csv", line: 2, column: 1, message:
                "area id '1100101' lost leading zeros, but '01100101' is also in the file: ambiguous")) {
            try table("id,v\n1100101,1\n01100101,2\n").panel(PanelSpec(areaIDColumn: "id", hierarchy: .berlinLOR))
        }
        #expect(throws: InputError(file: "in.csv", line: 2, column: 1, message:
                "area id '01100' has 5 characters; the hierarchy's prefixes need ids of at least 7")) {
            try table("id,v\n01100,1\n").panel(PanelSpec(areaIDColumn: "id", hierarchy: .berlinLOR))
        }
    }

    /// Any increasing prefix lengths shorter than the ids make a hierarchy, and an id of the common length is never
    /// padded: Köln's AGS 05315000 with one parent level of 5 (the Kreis 05315).
    @Test func agsIdsWithOneParentLevel() throws {
        let hierarchy = try AreaHierarchy(prefixLengths: [5], levelNames: ["Kreis"])
        let reading = try table("id,v\n05315000,1\n5334002,2\n05334004,3\n")
            .panel(PanelSpec(areaIDColumn: "id", hierarchy: hierarchy))
        #expect(reading.panel.areaIDs == ["05315000", "05334002", "05334004"])
        #expect(reading.warnings.count == 1 && reading.warnings[0].hasSuffix("5334002 → 05334002"))
        #expect(try hierarchy.parent(of: "05315000", level: 0) == "05315")
        #expect(throws: InputError(file: "in.csv", line: 3, column: 1, message: "area id '053150001' has 9 characters; the other ids have 8")) {
            try table("id,v\n05315000,1\n053150001,2\n05334004,3\n").panel(PanelSpec(areaIDColumn: "id", hierarchy: hierarchy))
        }
    }

    @Test func badRowsNameTheirPlace() throws {
        #expect(throws: InputError(file: "in.csv", line: 3, column: 2,
                                   message: "area 01, period 2024 appears more than once")) {
            try table("id,t,v\n01,2024,1\n01,2024,2\n").panel(PanelSpec(areaIDColumn: "id", periodColumn: "t"))
        }
        #expect(throws: InputError(file: "in.csv", line: 3, column: 2,
                                   message: "periods of different frequencies in one panel: 2024 and 2024Q1")) {
            try table("id,t,v\n01,2024,1\n02,2024Q1,2\n").panel(PanelSpec(areaIDColumn: "id", periodColumn: "t"))
        }
        do {
            _ = try table("id,t,v\n01,20x4,1\n").panel(PanelSpec(areaIDColumn: "id", periodColumn: "t"))
            Issue.record("a bad period must be an error")
        } catch let error as InputError {
            #expect(error.line == 2 && error.column == 2 && error.message.hasPrefix("'20x4' is not a period"))
        }
        #expect(throws: InputError.self) { try table("id,v\n01,1\n").panel(PanelSpec(areaIDColumn: "PLR_ID")) }
        #expect(throws: InputError.self) { try table("id,v\n,1\n").panel(PanelSpec(areaIDColumn: "id")) }
    }
}

@Suite(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipMessage)))
struct RealPanelTests {
    /// The half-yearly Berlin population tables 2015–2020 (447/448 planning areas) as one panel.
    @Test func berlinPopulationAsHalfYearlyPanel() throws {
        var builder = Panel.Builder(indicators: ["inhabitants", "inhabitants_with_migration_background"],
                                    hasPopulation: false)
        for year in 2015...2020 {
            for half in [1, 2] {
                let name = "berlin-lor-population-\(year)-0\(half)"
                let t = try CSVReader(contentsOf: SharedData.url(
                    "berlin-ewr-population-lor/\(name)-csv/\(name)-t1-planning-areas.csv"))
                let reading = try t.panel(PanelSpec(areaIDColumn: "id", singlePeriod: .half(year, half),
                                                    indicatorColumns: builder.indicators, hierarchy: .berlinLOR))
                let p = reading.panel
                for a in 0..<p.areaCount {
                    try builder.add(area: p.areaIDs[a], period: .half(year, half),
                                    cells: (0..<2).map { .value(p.value(area: a, indicator: $0, period: 0)) })
                }
            }
        }
        let panel = try builder.build()
        #expect(panel.periods.count == 12 && panel.periods.first == .half(2015, 1))
        #expect(panel.areaCount >= 447 && panel.areaCount <= 448 + 2)
        // Spot value from the file: 01011101 had 3419 inhabitants in 2020H2.
        let area = try #require(panel.index(ofArea: "01011101"))
        #expect(panel.value(area: area, indicator: 0, period: 11) == 3419)
        #expect(panel.series(area: area, indicator: 0).allSatisfy { $0 > 2000 && $0 < 5000 })
    }
}

/// Wide tables are read in pieces on several cores (`CSVReader.readInPieces`): whatever the number of workers and the
/// chunk size, the panel and the place of an error must be those of reading on one core in one chunk.
@Suite struct PiecewiseReadingTests {
    /// 3 periods × 20 areas; names with separators, quotes and line breaks when `quoted` (from data row
    /// `quotedFrom` on); the data row `badRow` (1-based) with a text as population.
    func text(quoted: Bool, lineEnd: String, badRow: Int = 0, quotedFrom: Int = 1) -> String {
        var rows = ["\u{FEFF}PLR_ID;PLR_NAME;ZEIT;EW;S1;S3"]
        for year in 2022...2024 {
            for a in 0..<20 {
                let id = String(format: "%08d", 1_100_101 + a)
                let quoted = quoted && rows.count >= quotedFrom
                let name = quoted && a % 3 == 0 ? "\"Nord; \"\"alt\"\"\nTeil \(a)\"" : "Gebiet \(a)"
                let s3 = a % 7 == 0 ? "." : "\(a),\(year % 10)"
                let people = rows.count == badRow ? "abc" : "\(1000 + a * 37)"
                rows.append("\(quoted ? "\"\(id)\"" : id);\(name);\(year);\(people);\(a % 5 == 0 ? "-" : "\(a)"),5;\(s3)")
            }
        }
        return rows.joined(separator: lineEnd) + lineEnd
    }

    func file(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pieces-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        return url
    }

    let spec = PanelSpec(areaIDColumn: "PLR_ID", areaNameColumn: "PLR_NAME", populationColumn: "EW", periodColumn: "ZEIT")

    func summary(_ p: Panel) -> [String] {
        var lines = [p.areaIDs.joined(separator: ","), p.areaNames.joined(separator: ","),
                     p.periods.map(\.description).joined(separator: ",")]
        for t in p.periods.indices {
            lines.append(p.population!.map { $0[t] }.map { "\($0)" }.joined(separator: ","))
            for a in p.areaIDs.indices {
                for j in p.indicators.indices {
                    lines.append("\(p.value(area: a, indicator: j, period: t)) \(String(describing: p.missingReason(area: a, indicator: j, period: t)))")
                }
            }
        }
        return lines
    }

    /// Quotes everywhere, nowhere, or only in the last rows (so that the first pieces of a chunk have none).
    @Test(arguments: [(false, "\n", 1), (true, "\r\n", 1), (false, "\r", 1), (true, "\n", 1), (true, "\n", 55)])
    func samePanelForAnyWorkersAndChunks(quoted: Bool, lineEnd: String, quotedFrom: Int) throws {
        let url = try file(text(quoted: quoted, lineEnd: lineEnd, quotedFrom: quotedFrom))
        defer { try? FileManager.default.removeItem(at: url) }
        let reference = summary(try CSVReader(contentsOf: url).panel(spec, workers: 1).panel)
        #expect(reference[0].hasPrefix("01100101,01100102") && reference.count == 3 + 3 * (1 + 20 * 2))
        for workers in [2, 3, 5] {
            for chunk in [1, 7, 64, 1 << 20] {
                let panel = try CSVReader(contentsOf: url, chunkSize: chunk).panel(spec, workers: workers).panel
                #expect(summary(panel) == reference, "workers \(workers), chunk \(chunk)")
            }
        }
    }

    @Test func errorsNameTheFileLineForAnyWorkers() throws {
        for quoted in [false, true] {
            // The 45th data row: its file line is 1 + the line breaks before it (46, plus those inside names).
            let content = text(quoted: quoted, lineEnd: "\n", badRow: 45)
            let line = 1 + content[..<content.range(of: ";abc;")!.lowerBound].filter { $0 == "\n" }.count
            #expect(line == (quoted ? 62 : 46))
            let url = try file(content)
            defer { try? FileManager.default.removeItem(at: url) }
            for workers in [1, 2, 3] {
                for chunk in [5, 300, 1 << 20] {
                    do {
                        _ = try CSVReader(contentsOf: url, chunkSize: chunk).panel(spec, workers: workers)
                        Issue.record("a text in EW must be an error")
                    } catch {
                        #expect(error.line == line && error.column == 4 && error.message.hasPrefix("'abc'"),
                                "quoted \(quoted), workers \(workers), chunk \(chunk): \(error)")
                    }
                }
            }
        }
    }
}
