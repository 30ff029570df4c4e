import Foundation
import ZIPFoundation

/// Writes tables as an Excel workbook (Office Open XML, ECMA-376): one sheet per table, the header row frozen and
/// bold, numbers as numbers, text as inline strings. Entries carry a fixed date, so the same tables give the same
/// bytes.
public enum XLSXWriter {
    /// Excel's limit: 1 048 576 rows a sheet, one of them the header.
    public static let dataRowsPerSheet = 1_048_575

    /// Writes `tables` to `url` (which must not exist). A table longer than a sheet allows goes on as many sheets as
    /// it needs (`trends`, `trends (2)`, …), each with the header row.
    public static func write(_ tables: [Table], to url: URL, rowsPerSheet: Int = dataRowsPerSheet) throws(OutputError) {
        let tables = tables.flatMap { sheets(of: $0, rowsPerSheet: rowsPerSheet) }
        let names = sheetNames(tables.map(\.name))
        var entries: [(String, String)] = [
            ("[Content_Types].xml", contentTypes(count: tables.count)),
            ("_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
                </Relationships>
                """),
            ("xl/workbook.xml", workbook(names)),
            ("xl/_rels/workbook.xml.rels", workbookRelationships(count: tables.count)),
            ("xl/styles.xml", styles),
        ]
        for (index, table) in tables.enumerated() { entries.append(("xl/worksheets/sheet\(index + 1).xml", sheet(table))) }
        do {
            let archive = try Archive(url: url, accessMode: .create)
            let date = Date(timeIntervalSince1970: 315_532_800)  // 1980-01-01, the ZIP epoch
            for (path, text) in entries {
                let data = Data(text.utf8)
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: date,
                                     compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<(Int(position) + size))
                }
            }
        } catch {
            throw OutputError(path: url.path, message: "cannot write the workbook (\(error))")
        }
    }

    /// `table` cut into sheets of at most `rowsPerSheet` rows.
    static func sheets(of table: Table, rowsPerSheet: Int) -> [Table] {
        guard table.rows.count > rowsPerSheet else { return [table] }
        return stride(from: 0, to: table.rows.count, by: rowsPerSheet).enumerated().map { part, first in
            var sheet = Table(name: part == 0 ? table.name : "\(table.name) (\(part + 1))", columns: table.columns)
            for row in table.rows[first..<min(first + rowsPerSheet, table.rows.count)] { sheet.append(row) }
            return sheet
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
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                // XML 1.0 forbids most control characters.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func sheet(_ table: Table) -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
            </sheetView></sheetViews><sheetData>
            """
        func cell(_ value: Table.Cell, _ reference: String, header: Bool) -> String {
            let style = header ? " s=\"1\"" : ""
            switch value {
            case .text(let s): return "<c r=\"\(reference)\" t=\"inlineStr\"\(style)><is><t xml:space=\"preserve\">\(escape(s))</t></is></c>"
            case .number(let d): return d.isFinite ? "<c r=\"\(reference)\"\(style)><v>\(d)</v></c>" : ""
            case .integer(let i): return "<c r=\"\(reference)\"\(style)><v>\(i)</v></c>"
            case .bool(let b): return "<c r=\"\(reference)\" t=\"b\"\(style)><v>\(b ? 1 : 0)</v></c>"
            case .empty: return ""
            }
        }
        let letters = table.columns.indices.map(columnLetters)
        xml += "<row r=\"1\">" + table.columns.enumerated().map { cell(.text($1), "\(letters[$0])1", header: true) }.joined() + "</row>"
        for (r, row) in table.rows.enumerated() {
            xml += "<row r=\"\(r + 2)\">" + row.enumerated().map { cell($1, "\(letters[$0])\(r + 2)", header: false) }.joined() + "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    static func contentTypes(count: Int) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        \((1...max(count, 1)).prefix(count).map { "<Override PartName=\"/xl/worksheets/sheet\($0).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined())\
        </Types>
        """
    }

    static func workbook(_ names: [String]) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
        \(names.enumerated().map { "<sheet name=\"\(escape($1))\" sheetId=\"\($0 + 1)\" r:id=\"rId\($0 + 1)\"/>" }.joined())\
        </sheets></workbook>
        """
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

    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """
}
