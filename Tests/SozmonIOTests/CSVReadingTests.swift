import Foundation
import AreaData
import SozmonIO
import TestSupport
import Testing

@Suite struct CSVReadingTests {
    func table(_ text: String, dialect: CSVDialect? = nil) throws -> CSVTable {
        try CSVTable(bytes: Array(text.utf8), file: "test.csv", dialect: dialect)
    }

    @Test func rfc4180QuotingAndLineEndings() throws {
        let t = try table("id,name,note\r\n\"01100101\",\"Stüler, Straße\",\"say \"\"hi\"\"\"\r\n02,\"two\nlines\",x\r\n")
        #expect(t.header == ["id", "name", "note"])
        #expect(t.rows == [["01100101", "Stüler, Straße", "say \"hi\""], ["02", "two\nlines", "x"]])
        #expect(t.lines == [2, 3])
        #expect(t.dialect.separator == .comma)
    }

    @Test func detectsGermanDialectWithBOMAndPaddedHeader() throws {
        let text = "\u{FEFF}Gebiet ;Wert;Anteil\r\nA; 1 675    ;9,7\r\nB;  162 ;12,5\r\n"
        let t = try table(text)
        #expect(t.dialect == CSVDialect(separator: .semicolon, decimalMark: .comma, thousandsSeparator: .space))
        #expect(t.header == ["Gebiet", "Wert", "Anteil"])
        #expect(try t.numericColumn("Wert") == [.value(1675), .value(162)])
        #expect(try t.numericColumn("Anteil") == [.value(9.7), .value(12.5)])
    }

    @Test func windows1252IsDetectedAndDecoded() throws {
        // "Größe;Wert\nÄ€;1\n" in Windows-1252.
        let bytes: [UInt8] = [0x47, 0x72, 0xF6, 0xDF, 0x65, 0x3B, 0x57, 0x65, 0x72, 0x74, 0x0A, 0xC4, 0x80, 0x3B, 0x31, 0x0A]
        let t = try CSVTable(bytes: bytes, file: "latin.csv")
        #expect(t.dialect.encoding == .windows1252)
        #expect(t.header == ["Größe", "Wert"])
        #expect(t.rows == [["Ä€", "1"]])
    }

    @Test func officialSymbolsBecomeMissingWithReason() throws {
        let parser = NumberParser(dialect: .excelGerman)
        #expect(parser.parse(" . ") == .missing(.secret))
        #expect(parser.parse("-") == .missing(.nothing))
        #expect(parser.parse("x") == .missing(.notMeaningful))
        #expect(parser.parse("...") == .missing(.later))
        #expect(parser.parse("/") == .missing(.unreliable))
        #expect(parser.parse("") == .missing(.empty))
        #expect(parser.parse("-9999") == .missing(.sentinel))
        #expect(parser.parse("-  23    ") == .value(-23))
        #expect(parser.parse("(12,5)") == .value(12.5))
        #expect(parser.parse("3,4p") == .value(3.4))
        #expect(parser.parse("abc") == nil)
        #expect(parser.parse("1.5") == nil, "a point is not a decimal mark in this dialect")
        let withPoints = NumberParser(dialect: CSVDialect(separator: .semicolon, decimalMark: .comma,
                                                          thousandsSeparator: .point))
        #expect(withPoints.parse("1.675.000,5") == .value(1_675_000.5))
    }

    @Test func badInputGivesPlaceAndExpectation() throws {
        #expect(throws: InputError(file: "test.csv", line: 3, column: 3,
                                   message: "2 fields, expected 3 as in the header")) {
            try table("a,b,c\n1,2,3\n4,5\n")
        }
        #expect(throws: InputError(file: "test.csv", line: 2, column: 2,
                                   message: "unterminated quoted field (a \" opens here and is never closed)")) {
            try table("a,b\n1,\"open\n2,3\n")
        }
        #expect(throws: InputError(file: "test.csv", message: "the file is empty; expected a header row and data rows")) {
            try table("")
        }
        #expect(throws: InputError.self) { try CSVTable(bytes: [0x61, 0x00, 0x62, 0x0A], file: "bin") }
        // A repeated column name is an error when that column is read, not before.
        #expect(throws: InputError(file: "test.csv", line: 1, column: 2, message: "column 'a' appears twice in the header (columns 1 and 2)")) {
            try table("a,a\n1,2\n").columnIndex("a")
        }
        let t = try table("id,value\n1,2.5\n2,zwei\n")
        do {
            _ = try t.numericColumn("value")
            Issue.record("text in a numeric column must be an error")
        } catch {
            #expect(error.line == 3 && error.column == 2)
            #expect(error.description.hasPrefix("test.csv:3:2: 'zwei' in column 'value' is not a number"))
        }
        #expect(throws: InputError.self) { try t.columnIndex("missing") }
        #expect(throws: InputError(.missingFile, file: "/nonexistent.csv", message: "the file does not exist")) {
            try CSVTable(contentsOf: URL(fileURLWithPath: "/nonexistent.csv"))
        }
    }

    @Test func randomMutationsNeverCrash() throws {
        // A seeded mutation fuzz: every input either parses or throws an InputError; none traps or hangs.
        let seed: [UInt8] = Array("id;wert;anteil\n\"01\"; 1 675 ;9,7\n02;-  23;.\n".utf8)
        var state: UInt64 = 0x5EED
        func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) }
        let alphabet: [UInt8] = Array("\";,\n\r .-x0123456789".utf8) + [0xC3, 0xB6, 0xFF, 0x00]
        var parsed = 0, refused = 0
        for _ in 0..<3000 {
            var bytes = seed
            for _ in 0..<(1 + next() % 4) {
                let position = next() % (bytes.count + 1)
                switch next() % 3 {
                case 0: bytes.insert(alphabet[next() % alphabet.count], at: position)
                case 1: if position < bytes.count { bytes.remove(at: position) }
                default: if position < bytes.count { bytes[position] = alphabet[next() % alphabet.count] }
                }
            }
            // Every failure is an input error naming the file (no other error type, no trap).
            do {
                let t = try CSVTable(bytes: bytes, file: "fuzz.csv")
                parsed += 1
                for name in t.header {
                    do { _ = try t.numericColumn(name) } catch { #expect(error.file == "fuzz.csv", "\(error)") }
                }
            } catch {
                refused += 1
                #expect(error.file == "fuzz.csv" && !error.message.isEmpty, "\(error)")
            }
        }
        #expect(parsed > 0 && refused > 0, "parsed \(parsed), refused \(refused)")
    }
}

/// The real files in ../shared/data (see their SOURCE.md).
@Suite(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipMessage)))
struct RealCSVTests {
    @Test func hamburgStadtteilprofile() throws {
        let t = try CSVTable(contentsOf: SharedData.url(
            "hamburg-stadtteilprofile-2014/Daten_fuer_die_Stadtteilprofile_2014.csv"))
        #expect(t.dialect == CSVDialect(separator: .semicolon, decimalMark: .comma, thousandsSeparator: .space))
        #expect(t.rows.count == 107 && t.header.count == 69)
        #expect(t.header[0] == "Stadtgebiet" && t.header[1] == "Bevölkerung")
        let names = t.rows.map { $0[0] }
        let population = try t.numericColumn("Bevölkerung")
        let altstadt = names.firstIndex(of: "Hamburg-Altstadt")!
        #expect(population[altstadt] == .value(1675))
        #expect(population[names.firstIndex(of: "Neustadt")!] == .value(12301))
        #expect(try t.numericColumn("Anteil der unter 18-Jährigen in %")[altstadt] == .value(9.7))
        // The balance of migration, negative as "-  23" for Hamburg-Altstadt.
        #expect(try t.numericColumn("Wanderungssaldo")[altstadt] == .value(-23))
        // Every column reads: numbers, or official symbols ('.' secret appears 84 times per SOURCE.md).
        var secret = 0
        for name in t.header.dropFirst() {
            secret += try t.numericColumn(name).filter { $0 == .missing(.secret) }.count
        }
        #expect(secret == 84)
    }

    @Test func berlinLORKeysWithBOMAndLeadingZeros() throws {
        let t = try CSVTable(contentsOf: SharedData.url("berlin-lor-2021-keys/LOR_2021.csv"))
        #expect(t.dialect.separator == .comma && t.dialect.encoding == .utf8)
        #expect(t.header[1] == "Planungsraum (Nummer)", "the BOM is not part of the first name: \(t.header[0])")
        #expect(t.rows.count == 542)
        let ids = t.rows.map { $0[1] }
        #expect(ids.first == "01100101" && ids.allSatisfy { $0.count == 8 })
        #expect(Set(ids).count == 542)
        #expect(t.rows[0][2] == "Stülerstraße")
    }

    @Test func berlinPopulationTablesOfEveryHalfYear() throws {
        let root = SharedData.url("berlin-ewr-population-lor")
        var counts: [String: Int] = [:]
        for year in 2015...2024 {
            for half in ["01", "02"] {
                let name = "berlin-lor-population-\(year)-\(half)"
                let t = try CSVTable(contentsOf: root.appendingPathComponent(
                    "\(name)-csv/\(name)-t1-planning-areas.csv"))
                let inhabitants = try t.numericColumn("inhabitants")
                #expect(inhabitants.allSatisfy { $0.number >= 0 || $0 == .missing(.empty) }, "\(name)")
                counts["\(year)-\(half)"] = t.rows.count
            }
        }
        #expect(Set(counts.values).isSubset(of: [447, 448, 542]), "\(counts)")
        #expect(counts["2020-02"] == 448 && counts["2021-01"] == 542)
    }
}

@Suite struct ByteLevelTests {
    @Test func sha256KnownVectors() {
        // FIPS 180-4 examples.
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var chunked = SHA256.Hasher()
        for piece in stride(from: 0, to: long.count, by: 7) { chunked.update(long[piece..<min(piece + 7, long.count)]) }
        #expect(chunked.finalizeHex() == SHA256.hex(long))
    }

    /// The fast decimal path agrees with the standard library's correctly rounded parser on every value.
    @Test func fastNumberPathIsCorrectlyRounded() {
        let parser = NumberParser(dialect: .plain)
        var state: UInt64 = 12345
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 11 }
        for _ in 0..<20_000 {
            let digits = String(next() % 1_000_000_000_000_000)
            let decimals = Int(next() % 12)
            var text = digits
            if decimals > 0 && decimals < text.count { text.insert(".", at: text.index(text.endIndex, offsetBy: -decimals)) }
            if next() % 2 == 0 { text = "-" + text }
            #expect(parser.parse(text) == .value(Double(text)!), "\(text)")
        }
        #expect(parser.parse("1.7976931348623157e308") == .value(.greatestFiniteMagnitude))
        #expect(parser.parse("12345678901234567890123") == .value(12345678901234567890123))
        #expect(parser.parse("1e400") == nil, "overflow is not a number")
    }

    @Test func recordsSplitAcrossChunksReadTheSame() throws {
        let text = "id;v\r\n\"a;b\";\"x\"\"y\"\r\n02;  \"q\"  \r\n\r\n03;\"multi\nline\"\r\n04;ab\"c\r\n05;\r\n"
            + "06;\"\"\"\"\r\n 07 ;\"\""
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("chunks-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let whole = try CSVTable(bytes: Array(text.utf8), file: "x")
        for chunk in 1...text.utf8.count {  // every place a chunk can end
            let reader = try CSVReader(contentsOf: url, chunkSize: chunk)
            var rows: [[String]] = []
            try reader.forEachRecord { record throws(InputError) in
                rows.append(try (0..<record.count).map { i throws(InputError) in try reader.text(record, i) })
            }
            #expect(rows == whole.rows, "chunk size \(chunk)")
        }
        #expect(whole.rows == [["a;b", "x\"y"], ["02", "q"], ["03", "multi\nline"], ["04", "ab\"c"], ["05", ""],
                               ["06", "\""], [" 07 ", ""]])
    }
}
