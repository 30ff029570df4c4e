import AreaData
import Foundation
import Sozmon
import SozmonIO
import TestSupport
import Testing

/// The data sets in `datasets/` are what the project says they are.
@Suite struct ShippedDataTests {
    static let datasets = FixtureValue.folder.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("datasets")

    /// `datasets/synthetic-berlin` is exactly what `sozmon generate --areas 542 --seed 2021 --system-change 2015`
    /// writes today.
    @Test func syntheticBerlinIsUpToDate() throws {
        let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-gen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: fresh) }
        let files = try GenerateJob(areaCount: 542, seed: 2021, systemChange: 2015, output: fresh).run(progress: ProgressLine(quiet: true))
        for file in files {
            let shipped = try Data(contentsOf: Self.datasets.appendingPathComponent("synthetic-berlin/\(file)"))
            let made = try Data(contentsOf: fresh.appendingPathComponent(file))
            #expect(shipped == made, "datasets/synthetic-berlin/\(file) is stale: regenerate it (see datasets/README.md)")
        }
    }

    @Test func syntheticBerlinReadsAsAPanelAndGeometry() throws {
        let folder = Self.datasets.appendingPathComponent("synthetic-berlin")
        let table = try CSVReader(contentsOf: folder.appendingPathComponent("indicators_annual.csv"))
        let reading = try table.panel(PanelSpec(areaIDColumn: "PLR_ID", areaNameColumn: "PLR_NAME",
                                                populationColumn: "EW", periodColumn: "ZEIT", hierarchy: .berlinLOR))
        #expect(reading.panel.areaCount == 542 && reading.panel.periods.count == 10)
        #expect(reading.panel.indicators == ["S1", "S2", "S3", "S4", "K1", "K2", "K3", "K4"])
        let geometry = try GeoJSON.read(folder.appendingPathComponent("planungsraeume.geojson"), idProperty: "PLR_ID")
        #expect(geometry.layer.areas.map(\.id) == reading.panel.areaIDs)
    }

    @Test func dialectFixtures() throws {
        let folder = Self.datasets.appendingPathComponent("fixtures")
        let hamburg = try CSVTable(contentsOf: folder.appendingPathComponent("hamburg-style-windows1252.csv"))
        #expect(hamburg.dialect == CSVDialect(separator: .semicolon, decimalMark: .comma, thousandsSeparator: .space,
                                              encoding: .windows1252))
        #expect(hamburg.header[1] == "Bevölkerung")
        #expect(try hamburg.numericColumn("Bevölkerung") == [.value(1675), .value(12301), .value(120)])
        #expect(try hamburg.numericColumn("Wanderungssaldo") == [.value(-23), .value(-73), .missing(.nothing)])
        #expect(try hamburg.numericColumn("Arbeitslose") == [.value(40), .missing(.secret), .missing(.later)])
        #expect(try hamburg.numericColumn("Anteil unter 18 in %")[2] == .missing(.notMeaningful))

        let portal = try CSVTable(contentsOf: folder.appendingPathComponent("berlin-geoportal-style.csv"))
        #expect(portal.rows.map { $0[0] } == ["01011101", "01011102", "01011103"])
        #expect(try portal.numericColumn("share_children") == [.value(12.5), .missing(.sentinel), .value(7.25)])
        #expect(try portal.numericColumn("inhabitants")[2] == .missing(.empty))

        let bom = try CSVTable(contentsOf: folder.appendingPathComponent("berlin-de-style-bom.csv"))
        #expect(bom.header == ["PLR_ID", "Einwohner", "Quote"])
        #expect(try bom.numericColumn("Quote") == [.value(4.5), .missing(.unreliable)])
    }
}

@Suite struct NotebookExportTests {
    /// `notebooks-exports/` is what `sozmon notebooks` writes today; regenerate it when this fails.
    @Test func notebookExportsAreUpToDate() throws {
        let committed = ShippedDataTests.datasets.deletingLastPathComponent().appendingPathComponent("notebooks-exports")
        let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-nb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: fresh) }
        let files = try Notebooks.export(to: fresh)
        #expect(files.count == 10)
        for file in files {
            #expect(try Data(contentsOf: committed.appendingPathComponent(file)) == Data(contentsOf: fresh.appendingPathComponent(file)),
                    "notebooks-exports/\(file) is stale: run `swift run sozmon notebooks`")
        }
    }

    /// `notebooks` writes into a folder only while it holds nothing but earlier exports: a user's file is left
    /// alone and the command refuses with 73.
    @Test func notebooksRefuseAFolderWithOtherFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-nb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mine = folder.appendingPathComponent("thesis.md")
        try Data("mine".utf8).write(to: mine)
        let result = try CLITests().sozmon("notebooks", "--out", folder.path)
        #expect(result.status == 73 && result.error.contains("holds files that sozmon notebooks does not write (thesis.md)"),
                "\(result.error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["thesis.md"])
    }
}
