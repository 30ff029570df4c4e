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
