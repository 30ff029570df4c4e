import Foundation
import Reporting
import Sozmon
import SozmonIO
import Testing

/// The class history (`[history]`), by hand, and end to end on the demo.
@Suite(.serialized) struct ClassHistoryTests {
    @Test func streaksAttentionAndTransitionsByHand() {
        let labels = ["hoch", "mittel", "niedrig", "sehr niedrig"]
        let history = ClassHistory(editions: [
            .init(label: "2019", classes: ["A": "sehr niedrig", "B": "mittel", "C": nil], attention: ["A": true]),
            .init(label: "2021", classes: ["A": "niedrig", "B": "sehr niedrig", "C": "hoch"], attention: ["B": true]),
            .init(label: "2023", classes: ["A": "sehr niedrig", "B": "sehr niedrig", "C": "hoch"], attention: ["A": true, "B": true]),
        ], classLabels: labels, index: "status")
        let tables = history.tables(areaIDs: ["A", "B", "C", "D"])
        #expect(tables[0].columns == ["area_id", "status_class_2019", "status_class_2021", "status_class_2023",
                                      "lowest_class_streak", "editions_in_lowest_class", "first_attention", "last_attention"])
        #expect(tables[0].rows[0] == [.text("A"), .text("sehr niedrig"), .text("niedrig"), .text("sehr niedrig"),
                                      .integer(1), .integer(2), .text("2019"), .text("2023")], "A left the lowest class once")
        #expect(tables[0].rows[1] == [.text("B"), .text("mittel"), .text("sehr niedrig"), .text("sehr niedrig"),
                                      .integer(2), .integer(2), .text("2021"), .text("2023")])
        #expect(tables[0].rows[3] == [.text("D"), .empty, .empty, .empty, .integer(0), .integer(0), .empty, .empty], "unknown area")
        // 2019 → 2021: A sehr niedrig → niedrig, B mittel → sehr niedrig, C none → hoch (D was in no edition).
        #expect(tables[1].rows.filter { $0[0] == .text("2019") } == [
            [.text("2019"), .text("2021"), .text("mittel"), .text("sehr niedrig"), .integer(1)],
            [.text("2019"), .text("2021"), .text("sehr niedrig"), .text("niedrig"), .integer(1)],
            [.text("2019"), .text("2021"), .text("ohne Zuordnung"), .text("hoch"), .integer(1)],
        ])
        // The report's persistence map: A one edition, B two in a row, C not in the lowest class, D unknown.
        let map = history.persistenceMap(areaIDs: ["A", "B", "C", "D"])
        #expect(map.categories == ["nur in dieser Ausgabe", "seit 2 Ausgaben", "nicht in der niedrigsten Klasse", nil])
        #expect(map.intro.hasPrefix("1 Gebiete"))
        // Its transition table 2021 → 2023: niedrig → sehr niedrig (A), sehr niedrig stays (B), hoch stays (C).
        let section = history.transitionSection(areaIDs: ["A", "B", "C", "D"])
        #expect(section.contains("<h2>Klassenwechsel 2021 → 2023</h2>"))
        #expect(section.contains("<tr><th>hoch</th><td><b>1</b></td><td>0</td></tr>"))
        #expect(section.contains("<tr><th>niedrig</th><td>0</td><td>1</td></tr>"))
        #expect(section.contains("<tr><th>sehr niedrig</th><td>0</td><td><b>1</b></td></tr>"))
    }

    /// The demo against an earlier edition that is its own areas.csv: every area keeps its class, the transitions are
    /// the diagonal; a class the scheme does not have is refused with its line.
    @Test func theDemoFollowsItsClasses() throws {
        let demo = try DemoData.configURL().deletingLastPathComponent()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-history-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: demo, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("first")
        _ = try RunJob(configURL: folder.appendingPathComponent("sozialindex.toml")).run(output: first)
        try FileManager.default.copyItem(at: first.appendingPathComponent("tables/areas.csv"), to: folder.appendingPathComponent("areas_2022.csv"))
        let config = try String(contentsOf: folder.appendingPathComponent("sozialindex.toml"), encoding: .utf8)
            + "\n[history]\ntables = [\"areas_2022.csv\"]\nlabels = [\"2022\"]\n"
        try config.write(to: folder.appendingPathComponent("history.toml"), atomically: false, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        _ = try RunJob(configURL: folder.appendingPathComponent("history.toml")).run(output: out)
        let history = try CSVTable(contentsOf: out.appendingPathComponent("tables/history.csv"))
        #expect(history.header.prefix(3) == ["area_id", "status_class_2022", "status_class_2024"])
        #expect(history.rows.count == 542 && history.rows.allSatisfy { $0[1] == $0[2] })
        let transitions = try CSVTable(contentsOf: out.appendingPathComponent("tables/history_transitions.csv"))
        #expect(transitions.rows.allSatisfy { $0[2] == $0[3] } && transitions.rows.map { Int($0[4])! }.reduce(0, +) == 542)
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<h2>Klassenwechsel 2022 → 2024</h2>") && html.contains("<h2>Verlauf: niedrigste Klasse (sehr niedrig)</h2>"))
        // A class the scheme does not know is named with its file and line.
        var text = try String(contentsOf: folder.appendingPathComponent("areas_2022.csv"), encoding: .utf8)
        text = text.replacingOccurrences(of: ",hoch,", with: ",HOCH,")
        try text.write(to: folder.appendingPathComponent("areas_2022.csv"), atomically: false, encoding: .utf8)
        #expect(throws: InputError.self) { try RunJob(configURL: folder.appendingPathComponent("history.toml")).validate() }
    }
}
