import Foundation
import ZipArchive

/// Writes tables as an Excel workbook (Office Open XML, ECMA-376) that opens finished: one sheet per table, the header
/// row frozen and bold with an autofilter, column widths from the content, number formats per column (counts and
/// populations `#,##0`, p- and q-values scientific, other numbers as Excel's General), numbers as numbers, text as
/// inline strings, and document properties (title, the application and its version). Entries carry a fixed date and
/// no clock enters the properties, so the same tables give the same bytes.
public enum XLSXWriter {
    /// Excel's limit: 1 048 576 rows a sheet, one of them the header.
    public static let dataRowsPerSheet = 1_048_575

    /// Writes `tables` to `url` (which must not exist). A table longer than a sheet allows goes on as many sheets as
    /// it needs (`trends`, `trends (2)`, …), each with the header row. Sheets are formatted and deflated in pieces of
    /// rows on all cores and streamed into the archive in order, so no sheet is ever held whole in memory.
    /// - Parameter catalogue: indicator labels for a second header row (the codes stay in the first) and decimals for
    ///   their columns' number format.
    public static func write(_ tables: [Table], to url: URL, title: String = "sozmon", application: String = "sozmon",
                             catalogue: IndicatorCatalogue = IndicatorCatalogue(),
                             rowsPerSheet: Int = dataRowsPerSheet) throws(OutputError) {
        let sheets = tables.flatMap { table in
            stride(from: 0, to: max(table.rowCount, 1), by: rowsPerSheet).enumerated().map { part, first in
                (table: table, name: part == 0 ? table.sheetName : "\(table.sheetName.prefix(26)) (\(part + 1))",
                 rows: first..<min(first + rowsPerSheet, table.rowCount))
            }
        }
        let names = sheetNames(sheets.map(\.name))
        // With labels, the filter sits on the second header row (the labels), right above the data.
        let labelled = sheets.map { sheet in sheet.table.labels != sheet.table.columns }
        let filters = zip(sheets, labelled).map { sheet, labels in
            let top = labels ? 2 : 1
            return "$A$\(top):$\(columnLetters(max(sheet.table.columns.count, 1) - 1))$\(sheet.rows.count + top)"
        }
        let parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes(count: sheets.count)),
            ("_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
                <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
                <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>\
                </Relationships>
                """),
            ("docProps/core.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
                xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>\(escape(title))</dc:title>\
                <dc:creator>\(escape(application))</dc:creator></cp:coreProperties>
                """),
            ("docProps/app.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
                <Application>\(escape(application))</Application></Properties>
                """),
            ("xl/workbook.xml", workbook(names, filters: filters)),
            ("xl/_rels/workbook.xml.rels", workbookRelationships(count: sheets.count)),
            ("xl/styles.xml", styles),
        ]
        do {
            let zip = try ZipWriter(url: url)
            for (path, text) in parts {
                try zip.begin(path)
                try zip.append(DeflatedPiece(Array(text.utf8)))
                try zip.end()
            }
            for (k, sheet) in sheets.enumerated() {
                try zip.begin("xl/worksheets/sheet\(k + 1).xml")
                try writeSheet(sheet.table, rows: sheet.rows, filter: filters[k], catalogue: labelled[k] ? catalogue : nil,
                               title: title) {
                    try zip.append($0)
                }
                try zip.end()
            }
            try zip.finish()
        } catch {
            throw OutputError(path: url.path, writing: error, action: "cannot write the workbook")
        }
    }

    /// Sheet names: at most 31 characters, none of `[]:*?/\`, unique.
    static func sheetNames(_ names: [String]) -> [String] {
        var used: Set<String> = []
        return names.map { name in
            let clean = String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
            var candidate = clean, n = 2
            while used.contains(candidate.lowercased()) { candidate = String(clean.prefix(28)) + "~\(n)"; n += 1 }
            used.insert(candidate.lowercased())
            return candidate
        }
    }

    /// `A`, `B`, … `Z`, `AA`, … for 0-based column `index`.
    static func columnLetters(_ index: Int) -> String {
        var n = index + 1, letters = ""
        while n > 0 {
            let remainder = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            n = (n - 1) / 26
        }
        return letters
    }

    static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendEscaped(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` as XML character data: `&<>"` escaped, the control characters XML 1.0 forbids left out.
    static func appendEscaped(_ text: String, to buffer: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): buffer.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): buffer.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): buffer.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): buffer.append(contentsOf: "&quot;".utf8)
            case 0x09, 0x0A, 0x0D: buffer.append(byte)
            case ..<0x20: continue
            default: buffer.append(byte)
            }
        }
    }

    /// Rows `rows` of `table` as a worksheet: the header row bold and frozen, numbers as numbers, text inline; handed
    /// to `emit` as deflated pieces in order (pieces of rows are made on all cores, a few at a time).
    /// - Parameter catalogue: given, a second header row holds the table's column labels, and indicator columns take
    ///   its decimals.
    /// - Parameter title: the workbook's title, in the printed page's header.
    static func writeSheet(_ table: Table, rows: Range<Int>, filter: String = "A1", catalogue: IndicatorCatalogue? = nil,
                           title: String? = nil, emit: (DeflatedPiece) throws -> Void) throws {
        let letters = table.columns.indices.map { Array(columnLetters($0).utf8) }
        let formats = table.columns.indices.map { ColumnFormat(table, column: $0, decimals: catalogue?.decimals(table.columns[$0])) }
        let headerRows = catalogue == nil ? 1 : 2
        let widths = columnWidths(table, rows: rows)
        var head = Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><sheetViews><sheetView workbookViewId="0"><pane ySplit="\(headerRows)" topLeftCell="A\(headerRows + 1)" activePane="bottomLeft" state="frozen"/>\
            </sheetView></sheetViews>
            """.utf8)
        if !widths.isEmpty {
            head += Array("<cols>".utf8)
            for (j, width) in widths.enumerated() {
                head += Array("<col min=\"\(j + 1)\" max=\"\(j + 1)\" width=\"\(width)\" customWidth=\"1\"/>".utf8)
            }
            head += Array("</cols>".utf8)
        }
        head += Array("<sheetData>".utf8)
        appendRow(1, count: letters.count, { .text(table.columns[$0]) }, letters: letters, header: true, to: &head)
        if headerRows == 2 {
            appendRow(2, count: letters.count, { .text(table.labels[$0]) },
                      letters: letters, header: true, to: &head)
        }
        try emit(DeflatedPiece(head))
        let pieces = table.pieces(of: rows)
        try forEachInOrder(pieces.count, make: { k in
            let piece = pieces[k], block = table.blocks[piece.block]
            var xml: [UInt8] = []
            xml.reserveCapacity(piece.count * 64 * block.columns.count)
            for r in 0..<piece.count {
                let stored = block.storedRow(piece.first + r)
                // Sheet rows count from 1, the header's.
                appendRow(piece.tableRow + r - rows.lowerBound + 1 + headerRows, count: letters.count, { block.columns[$0][stored] },
                          letters: letters, header: false, formats: formats, to: &xml)
            }
            return DeflatedPiece(xml)
        }, consume: emit)
        try emit(DeflatedPiece(Array(("</sheetData><autoFilter ref=\"\(filter.replacingOccurrences(of: "$", with: ""))\"/>"
                                      + printSetup(title: title) + "</worksheet>").utf8)))
    }

    /// One `<row>` of cells; an empty cell (and NaN) is left out.
    static func appendRow(_ r: Int, count: Int, _ cell: (Int) -> Table.Cell, letters: [[UInt8]], header: Bool,
                          formats: [ColumnFormat] = [], to xml: inout [UInt8]) {
        let numbers = CSVFormatter(style: .plain)
        xml.append(contentsOf: "<row r=\"".utf8)
        numbers.appendInteger(Int64(r), to: &xml)
        xml.append(contentsOf: "\">".utf8)
        // A cell without a reference follows the one before it (ECMA-376 §18.3.1.4): only a cell after a left-out
        // empty one names its place, which keeps the sheet's XML (and its deflating) about a third smaller.
        var follows = true
        for column in 0..<count {
            let value = cell(column)
            if value == .empty { follows = false; continue }
            if case .number(let d) = value, !d.isFinite { follows = false; continue }
            if follows {
                xml.append(contentsOf: "<c".utf8)
            } else {
                xml.append(contentsOf: "<c r=\"".utf8)
                xml.append(contentsOf: letters[column])
                numbers.appendInteger(Int64(r), to: &xml)
                xml.append(UInt8(ascii: "\""))
                follows = true
            }
            switch value {
            case .text: xml.append(contentsOf: " t=\"inlineStr\"".utf8)
            case .bool: xml.append(contentsOf: " t=\"b\"".utf8)
            default: break
            }
            if header {
                xml.append(contentsOf: " s=\"1\"".utf8)
            } else if column < formats.count, let style = formats[column].style(of: value) {
                xml.append(contentsOf: " s=\"".utf8)
                numbers.appendInteger(Int64(style), to: &xml)
                xml.append(UInt8(ascii: "\""))
            }
            switch value {
            case .text(let s):
                // Leading or trailing white space is kept only where the text says so.
                let padded = isWhitespace(at: s.utf8.first, s.first) || isWhitespace(at: s.utf8.last, s.last)
                xml.append(contentsOf: (padded ? "><is><t xml:space=\"preserve\">" : "><is><t>").utf8)
                appendEscaped(s, to: &xml)
                xml.append(contentsOf: "</t></is></c>".utf8)
            case .number(let d): xml.append(contentsOf: "><v>".utf8); numbers.appendNumber(d, to: &xml); xml.append(contentsOf: "</v></c>".utf8)
            case .integer(let i): xml.append(contentsOf: "><v>".utf8); numbers.appendInteger(Int64(i), to: &xml); xml.append(contentsOf: "</v></c>".utf8)
            case .bool(let b): xml.append(contentsOf: (b ? "><v>1</v></c>" : "><v>0</v></c>").utf8)
            case .empty: break
            }
        }
        xml.append(contentsOf: "</row>".utf8)
    }

    /// Whether the character at one end of a text is white space (Unicode's White_Space, as `Character.isWhitespace`),
    /// from its byte at that end where that is ASCII: the Character itself is looked at only for other text.
    private static func isWhitespace(at byte: UInt8?, _ character: @autoclosure () -> Character?) -> Bool {
        guard let byte else { return false }
        guard byte >= 0x80 else { return byte == UInt8(ascii: " ") || (0x09...0x0D).contains(byte) }
        return character()?.isWhitespace == true
    }

    static func contentTypes(count: Int) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
        <Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
        \((1...max(count, 1)).prefix(count).map { "<Override PartName=\"/xl/worksheets/sheet\($0).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined())\
        </Types>
        """
    }

    /// The workbook part: its sheets, and the range of each sheet's autofilter (the hidden name Excel keeps it by).
    /// Printing a sheet: A4 landscape, fitted to the page's width (as many pages down as it needs), narrow margins,
    /// the title and the sheet's name in the header and the page number in the footer (the header rows repeat on
    /// every page: `_xlnm.Print_Titles` in the workbook).
    static func printSetup(title: String?) -> String {
        let header = title.map { "&L" + $0.replacingOccurrences(of: "&", with: "&&") } ?? ""
        return "<pageMargins left=\"0.4\" right=\"0.4\" top=\"0.6\" bottom=\"0.6\" header=\"0.3\" footer=\"0.3\"/>"
            + "<pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/>"
            + "<headerFooter><oddHeader>\(escape(header + "&R&A"))</oddHeader><oddFooter>\(escape("&C" + tr("Seite {0} von {1}", "&P", "&N")))</oddFooter></headerFooter>"
    }

    static func workbook(_ names: [String], filters: [String] = []) -> String {
        let defined = zip(names, filters).enumerated().map { k, sheet in
            let quoted = escape("'" + sheet.0.replacingOccurrences(of: "'", with: "''") + "'")
            // The filter's range starts at the last header row: the rows above it and it are the print titles.
            let headerRows = sheet.1.split(separator: ":").first.map { $0.filter(\.isNumber) } ?? "1"
            return "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(k)\" hidden=\"1\">\(quoted)!\(sheet.1)</definedName>"
                + "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"\(k)\">\(quoted)!$1:$\(headerRows)</definedName>"
        }.joined()
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
        \(names.enumerated().map { "<sheet name=\"\(escape($1))\" sheetId=\"\($0 + 1)\" r:id=\"rId\($0 + 1)\"/>" }.joined())\
        </sheets>\(defined.isEmpty ? "" : "<definedNames>\(defined)</definedNames>")</workbook>
        """
    }

    /// Column widths (in characters) from the header and the first thousand rows: the longest text, numbers as the
    /// digits Excel shows, between 6 and 60.
    static func columnWidths(_ table: Table, rows: Range<Int>) -> [Int] {
        // Room for the filter button, and for the label (up to 30 characters).
        var widths = zip(table.columns, table.labels).map { max($0.count + 3, min($1.count + 1, 30)) }
        for r in rows.prefix(1_000) {
            for j in table.columns.indices {
                let length = switch table[r, j] {
                case .text(let s): s.count
                case .integer(let i): String(abs(i)).count * 4 / 3 + 1
                case .number(let d): d == d.rounded() && abs(d) < 1e12 ? String(Int64(abs(d))).count * 4 / 3 + 1 : 11
                case .bool: 5
                case .empty: 0
                }
                widths[j] = max(widths[j], length + 1)
            }
        }
        return widths.map { min(max($0, 6), 60) }
    }

    static func workbookRelationships(count: Int) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        \((0..<count).map { "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>" }.joined())\
        <Relationship Id="rId\(count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        </Relationships>
        """
    }

    /// The decimals a catalogue may give (0…6): style 4 + d, number format 164 + d (`#,##0.0…`).
    static let decimalPlaces = Array(0...6)

    /// Probabilities (number format 163): three decimals, and below 0.001 scientific with two (`0,480`, `3,70E-05`),
    /// so that a small p-value keeps its size and a large one reads as a share.
    static let numberFormats = "<numFmts count=\"\(decimalPlaces.count + 1)\"><numFmt numFmtId=\"163\" formatCode=\"[&lt;0.001]0.00E+00;0.000\"/>"
        + decimalPlaces.map { d in
            "<numFmt numFmtId=\"\(164 + d)\" formatCode=\"#,##0\(d > 0 ? "." + String(repeating: "0", count: d) : "")\"/>"
        }.joined() + "</numFmts>"

    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\(numberFormats)\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="\(4 + decimalPlaces.count)"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="163" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        \(decimalPlaces.map { "<xf numFmtId=\"\(164 + $0)\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>" }.joined())\
        </cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """
}

/// The number format of a workbook column, as a style of `XLSXWriter.styles`: counts and populations `#,##0` (style
/// 2), probabilities (p- and q-values) `0.000`, scientific below 0.001 (style 3), anything else Excel's General (no style).
struct ColumnFormat {
    let kind: NumberKind

    init(_ table: Table, column j: Int, decimals: Int? = nil) {
        kind = NumberKind(table, column: j, catalogueDecimals: decimals)
    }

    /// The style of `cell` in this column, or nil for General: counts `#,##0` (style 2), probabilities `0.000` or
    /// `0.00E+00` below 0.001 (style 3), others `#,##0.00…` with the kind's decimals (style 4 + d).
    func style(of cell: Table.Cell) -> Int? {
        switch (cell, kind) {
        case (.integer, _), (.number, .count): 2
        case (.number, .probability): 3
        case (.number, .decimals(let d)): 4 + min(d, XLSXWriter.decimalPlaces.count - 1)
        default: nil
        }
    }
}
