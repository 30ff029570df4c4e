import Foundation
import SozmonIO
import Testing
import ZIPFoundation

/// The columnar table: blocks of typed columns give the same cells, CSV and workbook as the same rows built one by one.
@Suite struct TableTests {
    static let columns = ["area_id", "indicator", "n", "slope", "significant", "class"]
    static let ids = ["01", "02", "03", "04"]

    /// Rows of the areas 01, 03 and 04 (02 has no result) as one block over all four areas, then a row-built row.
    static func columnar() -> Table {
        var t = Table(name: "trends", columns: columns)
        t.append(Table.Block(count: 4, columns: [
            .texts(ids), .constant(.text("S1")), .computed(count: 4) { [24, 0, 23, 24][$0] == 0 ? .empty : .integer([24, 0, 23, 24][$0]) }, .numbers([0.5, .nan, -1.25e-7, .nan]),
            .bools([true, nil, false, nil]), .coded([1, 0, -1, 0], labels: ["niedrig", "hoch; sehr \"hoch\""]),
        ], selection: [0, 2, 3]))
        t.append([.text("05"), .text("S2"), .integer(-3), .number(1e20), .bool(false), .empty])
        return t
    }

    static func rowBuilt() -> Table {
        var t = Table(name: "trends", columns: columns)
        t.append([.text("01"), .text("S1"), .integer(24), .number(0.5), .bool(true), .text("hoch; sehr \"hoch\"")])
        t.append([.text("03"), .text("S1"), .integer(23), .number(-1.25e-7), .bool(false), .empty])
        t.append([.text("04"), .text("S1"), .integer(24), .empty, .empty, .text("niedrig")])
        t.append([.text("05"), .text("S2"), .integer(-3), .number(1e20), .bool(false), .empty])
        return t
    }

    func csv(_ table: Table, _ style: CSVWriter.Style) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("table-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data().write(to: url)
        let handle = try FileHandle(forWritingTo: url)
        try table.writeCSV(to: handle, style: style)
        try handle.close()
        return String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }

    @Test func blocksGiveTheCellsOfTheirSelectedRows() {
        let t = Self.columnar()
        #expect(t.rowCount == 4)
        #expect(t == Self.rowBuilt(), "the same cells however the rows are stored")
        #expect(t[1, 0] == .text("03") && t[1, 3] == .number(-1.25e-7) && t[2, 3] == .empty && t[3, 2] == .integer(-3))
        #expect(t.column(named: "class") == [.text("hoch; sehr \"hoch\""), .empty, .text("niedrig"), .empty])
        #expect(t.column(named: "nope") == nil)
    }

    /// Text that a spreadsheet would evaluate as a formula gets a leading `'` (OWASP, CSV injection), in both dialects
    /// and whether the text is a row-built cell, a column of texts or a coded label; numbers stay numbers (-5), and a
    /// text beginning with `'` gets one more, so that dropping one leading `'` gives the original back.
    @Test func formulaTextIsNeutralised() throws {
        let texts = ["=1+1", "+49 30", "-x", "@SUM(A1)", "\tTAB", "\rCR", "'quoted", "ok"]
        var t = Table(name: "t", columns: ["=head", "text", "number"])
        for text in texts { t.append([.text("id"), .text(text), .number(-5)]) }
        t.append(Table.Block(count: 1, columns: [.texts(["=id"]), .coded([0], labels: ["-label"]), .numbers([-1.5])]))
        #expect(try csv(t, .plain) == """
            '=head,text,number
            id,'=1+1,-5
            id,'+49 30,-5
            id,'-x,-5
            id,'@SUM(A1),-5
            id,'\tTAB,-5
            id,"'\rCR",-5
            id,''quoted,-5
            id,ok,-5
            '=id,'-label,-1.5

            """)
        #expect(try csv(t, .excelGerman).contains("id;'=1+1;-5\n") && csv(t, .excelGerman).contains("'=id;'-label;-1,5\n"))
    }

    @Test func csvFromColumnsIsTheCSVOfTheRows() throws {
        let plain = try csv(Self.columnar(), .plain)
        #expect(plain == """
            area_id,indicator,n,slope,significant,class
            01,S1,24,0.5,true,"hoch; sehr ""hoch\"\"\"
            03,S1,23,-1.25e-07,false,
            04,S1,24,,,niedrig
            05,S2,-3,1e+20,false,

            """)
        #expect(try csv(Self.rowBuilt(), .plain) == plain)
        let german = try csv(Self.columnar(), .excelGerman)
        #expect(german.hasPrefix("\u{FEFF}area_id;indicator;n;slope;significant;class\n"))
        #expect(german.contains("=\"01\";S1;24;0,5;WAHR;\"hoch; sehr \"\"hoch\"\"\"\n=\"03\";S1;23;-1,25e-07;FALSCH;\n"))
        #expect(try csv(Self.rowBuilt(), .excelGerman) == german)
    }

    /// German Excel keeps 15 significant digits: the excel-de dialect writes no more (what a spreadsheet shows and
    /// saves again), while the plain dialect keeps the shortest text that reads back as the same double.
    @Test func excelGermanWritesTheDigitsASpreadsheetKeeps() throws {
        var t = Table(name: "t", columns: ["x"])
        for x in [-0.46999999999999886, 1.0 / 3, 2.5e-8, 123456.78901234567] { t.append([.number(x)]) }
        #expect(try csv(t, .excelGerman) == "\u{FEFF}x\n-0,469999999999999\n0,333333333333333\n2,5e-08\n123456,789012346\n")
        #expect(try csv(t, .plain) == "x\n-0.46999999999999886\n0.3333333333333333\n2.5e-08\n123456.78901234567\n")
    }

    /// In excel-de, ids of digits are written as `="0101"` (a spreadsheet keeps them text, leading zeros and all),
    /// other text and the plain dialect as they are; sozmon's reader reads the formula back as the id.
    @Test func excelGermanKeepsIDsText() throws {
        var t = Table(name: "summary_bezirk", columns: ["bezirk_id", "name", "similar", "n"], roles: ["similar": .relatedArea])
        t.append([.text("01"), .text("0101"), .text("01010101"), .integer(7)])
        t.append([.text("Stadt"), .text("Berlin"), .text("A-1"), .integer(8)])
        let german = try csv(t, .excelGerman)
        #expect(german == "\u{FEFF}bezirk_id;name;similar;n\n=\"01\";0101;=\"01010101\";7\nStadt;Berlin;A-1;8\n")
        #expect(try csv(t, .plain) == "bezirk_id,name,similar,n\n01,0101,01010101,7\nStadt,Berlin,A-1,8\n")
        let read = try CSVTable(bytes: Array(german.utf8), file: "summary_bezirk.csv")
        #expect(read.header == ["bezirk_id", "name", "similar", "n"])
        #expect(read.rows.map(\.self) == [["01", "0101", "01010101", "7"], ["Stadt", "Berlin", "A-1", "8"]])
    }

    /// A table of many pieces (formatted on several threads) is written in its order, whole.
    @Test func largeTablesAreWrittenInOrder() throws {
        let n = 50_000
        var t = Table(name: "big", columns: ["i", "x"])
        t.append(Table.Block(count: n, columns: [.integers((0..<n).map { $0 }), .numbers((0..<n).map { Double($0) / 8 })]))
        t.append([.integer(n), .number(0.1)])
        let lines = try csv(t, .plain).split(separator: "\n")
        #expect(lines.count == n + 2)
        #expect(lines[1] == "0,0" && lines[2] == "1,0.125" && lines[n] == "\(n - 1),\(Double(n - 1) / 8)" && lines[n + 1] == "\(n),0.1")
        #expect(lines.dropFirst().enumerated().allSatisfy { k, line in line.hasPrefix("\(k),") })
    }

    /// Disclosure control replaces single cells: a typed column takes the symbol without changing its other cells.
    @Test func aReplacedCellLeavesTheOthers() {
        var t = Self.columnar()
        t.replace(row: 1, column: 2, with: .text("."))
        t.replace(row: 2, column: 2, with: .text("."))
        #expect(t.column(2) == [.integer(24), .text("."), .text("."), .integer(-3)])
        #expect(Self.columnar().column(2) == [.integer(24), .integer(23), .integer(24), .integer(-3)], "the original is untouched")
    }

    @Test func integersAreWrittenWithoutATrip() {
        let f = CSVFormatter(style: .plain)
        for value: Int64 in [0, 7, -7, 10, 999_999_999_999_999, Int64.max, Int64.min] {
            var bytes: [UInt8] = []
            f.appendInteger(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(value))
        }
        for (value, text) in [(-0.0, "0"), (1e15, "1000000000000000.0"), (999_999_999_999_999.0, "999999999999999"), (.infinity, ""), (.nan, "")] {
            var bytes: [UInt8] = []
            f.appendNumber(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == text)
        }
    }

    /// The workbook streams a columnar table across sheets with the same cells as the rows.
    @Test func workbookFromBlocks() throws {
        let a = FileManager.default.temporaryDirectory.appendingPathComponent("wb-\(UUID().uuidString).xlsx")
        let b = FileManager.default.temporaryDirectory.appendingPathComponent("wb-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        try XLSXWriter.write([Self.columnar()], to: a, rowsPerSheet: 3)
        try XLSXWriter.write([Self.rowBuilt()], to: b, rowsPerSheet: 3)
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
        let archive = try Archive(url: a, accessMode: .read)
        var second = Data()
        _ = try archive.extract(try #require(archive["xl/worksheets/sheet2.xml"])) { second.append($0) }
        let xml = String(decoding: second, as: UTF8.self)
        #expect(xml.contains("<row r=\"2\"><c t=\"inlineStr\"><is><t>05</t></is></c>"))
        #expect(xml.contains("<c><v>1e+20</v></c><c t=\"b\"><v>0</v></c></row>"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: a.deletingLastPathComponent().path)
            .filter { $0.hasSuffix(".sheet") }.isEmpty, "no scratch file left")
    }

    /// `tr` puts its arguments where the phrase has `{k}`, as often as it says, in either language; other braces stay.
    @Test func phrasesTakeTheirArguments() {
        #expect(tr("{0} von {1} ({0})", 3, "x") == "3 von x (3)")
        #expect(tr("{a} {} {5} {0}", 7) == "{a} {} {5} 7")
        #expect(ReportLanguage.$current.withValue(.en) { tr("{0} von {1} Gebieten", 2, 9) } == "2 of 9 areas")
        #expect(tr("ohne Argumente") == "ohne Argumente")
    }
}
