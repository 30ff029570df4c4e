import Foundation
import Testing
import ZIPFoundation
import ZipArchive

/// The workbook's ZIP writer, read back by an independent reader (ZIPFoundation, which checks each entry's CRC-32).
@Suite struct ZipWriterTests {
    @Test func piecesDeflatedApartReadBackAsOneEntry() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID().uuidString).zip")
        defer { try? FileManager.default.removeItem(at: url) }
        var random = SystemRandomNumberGenerator()
        let text = Array((0..<300_000).map { "row \($0);" }.joined().utf8)
        let noise = (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let zip = try ZipWriter(url: url)
        try zip.begin("a/text.xml")
        for start in stride(from: 0, to: text.count, by: 777_777) {
            try zip.append(DeflatedPiece(Array(text[start..<min(start + 777_777, text.count)])))
        }
        try zip.end()
        try zip.begin("empty.txt")
        try zip.end()
        try zip.begin("noise/ä.bin")  // incompressible bytes and a UTF-8 name
        try zip.append(DeflatedPiece(noise, level: 9))
        try zip.append(DeflatedPiece([]))
        try zip.end()
        try zip.finish()

        let archive = try Archive(url: url, accessMode: .read)
        func read(_ path: String) throws -> [UInt8] {
            var data = Data()
            _ = try archive.extract(try #require(archive[path], "entry \(path)")) { data.append($0) }
            return Array(data)
        }
        #expect(try read("a/text.xml") == text)
        #expect(try read("empty.txt").isEmpty)
        #expect(try read("noise/ä.bin") == noise)
        #expect(Array(archive).map(\.path) == ["a/text.xml", "empty.txt", "noise/ä.bin"])
        #expect(try Data(contentsOf: url).count < noise.count + text.count / 3, "text compresses")
    }

    @Test func sameContentSameBytes() throws {
        func write() throws -> Data {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID().uuidString).zip")
            defer { try? FileManager.default.removeItem(at: url) }
            let zip = try ZipWriter(url: url)
            try zip.begin("x.txt")
            try zip.append(DeflatedPiece(Array("hello, hello, hello".utf8)))
            try zip.end()
            try zip.finish()
            return try Data(contentsOf: url)
        }
        #expect(try write() == write())
    }
}
