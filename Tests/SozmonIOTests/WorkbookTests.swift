import Foundation
import SozmonIO
import Testing
import ZIPFoundation

@Suite struct WorkbookTests {
    /// A reader of the workbook's entries as text.
    func entries(of url: URL) throws -> (String) throws -> String {
        let archive = try Archive(url: url, accessMode: .read)
        return { path in
            var data = Data()
            _ = try archive.extract(try #require(archive[path])) { data.append($0) }
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Number formats per column: populations and other counts of people #,##0, p- and q-values scientific, other
    /// numbers General (a slope of 0.0123 must not print as 0.01).
    @Test func numberFormatsFollowWhatAColumnHolds() throws {
        var t = Table(name: "trends", columns: ["area_id", "population", "slope", "p_value", "q_value", "n"],
                      roles: ["area_id": .areaID, "population": .count(of: "population")])
        t.append([.text("A"), .number(1234), .number(0.0123), .number(1e-5), .number(0.2), .integer(24)])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wb-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try XLSXWriter.write([t], to: url)
        let sheet = try entries(of: url)("xl/worksheets/sheet1.xml")
        #expect(sheet.contains("<row r=\"2\"><c t=\"inlineStr\"><is><t>A</t></is></c><c s=\"2\"><v>1234</v></c><c><v>0.0123</v></c>"
                               + "<c s=\"3\"><v>1e-05</v></c><c s=\"3\"><v>0.2</v></c><c s=\"2\"><v>24</v></c></row>"))
    }

    /// z-values and index values with two decimals (`#,##0.00`, style 4 + 2), whatever the digits of the double; a
    /// labelled table gets a second header row with its labels.
    @Test func zAndIndexValuesHaveTwoDecimalsAndLabels() throws {
        var t = Table(name: "areas", columns: ["area_id", "z_S1", "status_value"],
                      roles: ["area_id": .areaID, "z_S1": .zValue(of: "S1"), "status_value": .index(using: ["S1"])])
        t.labels = ["Gebiet (Nr.)", "z-Wert Arbeitslosigkeit", "Status-Index: Wert"]
        t.append([.text("A"), .number(1.4134766897963), .number(-0.46999999999999886)])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wb-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try XLSXWriter.write([t], to: url)
        let sheet = try entries(of: url)("xl/worksheets/sheet1.xml")
        #expect(sheet.contains("<t>z-Wert Arbeitslosigkeit</t>") && sheet.contains("<row r=\"3\">"))
        #expect(sheet.contains("<c s=\"6\"><v>1.4134766897963</v></c><c s=\"6\"><v>-0.46999999999999886</v></c>"))
    }

    @Test func workbookHasOneSheetPerTableWithTypedCellsAndAFrozenHeader() throws {
        var a = Table(name: "areas", columns: ["area_id", "value", "eligible", "note"])
        a.append([.text("01100101"), .number(1.5), .bool(true), .text("a < b & \"c\"")])
        a.append([.text("01100102"), .empty, .bool(false), .integer(7)])
        let b = Table(name: "summary/bezirk: a very long table name indeed", columns: ["x"])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wb-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try XLSXWriter.write([a, b], to: url, title: "Sozialindex & mehr", application: "sozmon test")
        let text = try entries(of: url)
        let workbook = try text("xl/workbook.xml")
        #expect(workbook.contains("<sheet name=\"areas\" sheetId=\"1\""))
        #expect(workbook.contains("name=\"summary_bezirk_ a very long tab\""), "31 characters, no '/' or ':'")
        let sheet = try text("xl/worksheets/sheet1.xml")
        #expect(sheet.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
        #expect(sheet.contains("<row r=\"2\"><c t=\"inlineStr\"><is><t>01100101</t></is></c>"))
        #expect(sheet.contains("<c><v>1.5</v></c><c t=\"b\"><v>1</v></c>"))
        #expect(sheet.contains("a &lt; b &amp; &quot;c&quot;"))
        #expect(!sheet.contains("r=\"B3\""), "an empty cell is left out")
        #expect(sheet.contains("<c t=\"inlineStr\"><is><t>01100102</t></is></c><c r=\"C3\" t=\"b\"><v>0</v></c>"),
                "the cell after a left-out one names its place; the others follow each other")
        #expect(try text("[Content_Types].xml").contains("/xl/worksheets/sheet2.xml"))
        // Finished: widths from the content, an autofilter over the table (with the hidden name Excel keeps it by),
        // counts as #,##0, document properties.
        #expect(sheet.contains("<cols><col min=\"1\" max=\"1\" width=\"10\" customWidth=\"1\"/>"), "'area_id' and its filter button")
        #expect(sheet.contains("</sheetData><autoFilter ref=\"A1:D3\"/><pageMargins "))
        // Printed: A4 landscape fitted to the width, the title and sheet in the header, the page in the footer, the
        // header row on every page.
        #expect(sheet.contains("<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>")
                && sheet.contains("<pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/>")
                && sheet.contains("<oddHeader>&amp;LSozialindex &amp;&amp; mehr&amp;R&amp;A</oddHeader>")
                && sheet.contains("<oddFooter>&amp;CSeite &amp;P von &amp;N</oddFooter></headerFooter></worksheet>"))
        #expect(workbook.contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'areas'!$1:$1</definedName>"))
        #expect(workbook.contains("<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"0\" hidden=\"1\">'areas'!$A$1:$D$3</definedName>"))
        #expect(sheet.contains("<c r=\"C3\" t=\"b\"><v>0</v></c><c s=\"2\"><v>7</v></c>"), "an integer as #,##0 (style 2)")
        #expect(try text("xl/styles.xml").contains("<xf numFmtId=\"3\"") && text("xl/styles.xml").contains("<xf numFmtId=\"163\"") && text("xl/styles.xml").contains("formatCode=\"[&lt;0.001]0.00E+00;0.000\""))
        #expect(try text("docProps/core.xml").contains("<dc:title>Sozialindex &amp; mehr</dc:title>"))
        #expect(try text("docProps/app.xml").contains("<Application>sozmon test</Application>"))
        #expect(try text("[Content_Types].xml").contains("/docProps/core.xml"))
        // The same tables give the same bytes.
        let again = url.deletingLastPathComponent().appendingPathComponent("wb2-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: again) }
        try XLSXWriter.write([a, b], to: again, title: "Sozialindex & mehr", application: "sozmon test")
        #expect(try Data(contentsOf: url) == Data(contentsOf: again))
    }

    /// Text that begins or ends with white space (ASCII or not) keeps it (`xml:space="preserve"`); other text,
    /// also with white space inside or ending in another non-ASCII character, does not need to.
    @Test func whiteSpaceAtTheEndsOfTextIsKept() throws {
        let texts = [" a", "a\t", "a\u{3000}", "\u{A0}a", "a b", "Köln", "a\u{301}", "😀", ""]
        var t = Table(name: "t", columns: ["x"])
        for text in texts { t.append([.text(text)]) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ws-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try XLSXWriter.write([t], to: url)
        let sheet = try entries(of: url)("xl/worksheets/sheet1.xml")
        for text in texts.prefix(4) { #expect(sheet.contains("<t xml:space=\"preserve\">\(text)</t>"), "\(text.unicodeScalars.map(\.value))") }
        for text in texts.dropFirst(4).dropLast() { #expect(sheet.contains("<t>\(text)</t>")) }
        #expect(sheet.components(separatedBy: "xml:space").count - 1 == 4)
    }

    /// A table longer than a sheet allows (Excel: 1 048 576 rows) goes on as many sheets as it needs, each with the
    /// header; shown here with 3 rows a sheet.
    @Test func longTablesAreSplitAcrossSheets() throws {
        var t = Table(name: "trends", columns: ["area_id", "slope"])
        for i in 0..<7 { t.append([.text("A\(i)"), .number(Double(i))]) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wb-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try XLSXWriter.write([t], to: url, rowsPerSheet: 3)
        let text = try entries(of: url)
        let workbook = try text("xl/workbook.xml")
        #expect(workbook.contains("name=\"trends\"") && workbook.contains("name=\"trends (2)\"") && workbook.contains("name=\"trends (3)\""))
        let third = try text("xl/worksheets/sheet3.xml")
        #expect(third.contains(">area_id<") && third.contains(">A6<") && !third.contains(">A5<"), "the last part: its header and row 7")
        #expect(XLSXWriter.dataRowsPerSheet == 1_048_575)
    }
}

@Suite struct AtomicFolderTests {
    /// Files written before a failure never appear under the final name; a commit moves them all at once.
    @Test func aFailureMidwayLeavesNothing() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let destination = root.appendingPathComponent("report")
        let failing = try AtomicFolder(destination)
        try failing.write("a,b\n1,2\n", to: "tables/first.csv")
        #expect(!FileManager.default.fileExists(atPath: destination.path), "nothing under the final name while writing")
        failing.discard()  // what a run does when a later step throws
        #expect(!FileManager.default.fileExists(atPath: destination.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty, "the staging folder is gone too")
        let succeeding = try AtomicFolder(destination)
        try succeeding.write("x\n", to: "tables/t.csv")
        try succeeding.commit()
        #expect(FileManager.default.fileExists(atPath: destination.appendingPathComponent("tables/t.csv").path))
        #expect(throws: OutputError.self) { try AtomicFolder(destination) }  // never overwrites
    }
}
