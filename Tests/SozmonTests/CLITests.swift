import Foundation
import SozmonIO
import TestSupport
import Testing

/// The `sozmon` executable: exit statuses and messages of docs/report.md §2.
@Suite struct CLITests {
    /// The binary beside the test bundle (SwiftPM builds it for this test target).
    static let binary: URL = {
        var folder = Bundle.main.bundleURL
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("sozmon").path) && folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("sozmon")
    }()

    func sozmon(_ arguments: String..., environment: [String: String] = [:]) throws
        -> (status: Int32, output: String, error: String) {
        try sozmon(arguments: arguments, environment: environment)
    }

    func sozmon(arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let error = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output, error)
    }

    @Test func versionAndHelp() throws {
        #expect(try sozmon("--version") == (0, "0.1.0\n", ""))
        let help = try sozmon("--help")
        #expect(help.status == 0 && ["run", "demo", "validate", "generate"].allSatisfy { help.output.contains($0) })
    }

    @Test func exitStatuses() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try sozmon("run").status == 64, "missing argument: usage error")
        #expect(try sozmon("generate", "--areas", "0", "--out", folder.appendingPathComponent("x").path).status == 64)
        let missing = try sozmon("run", folder.appendingPathComponent("nope.toml").path)
        #expect(missing.status == 66 && missing.error.contains("nope.toml: the config file does not exist"))

        let badConfig = folder.appendingPathComponent("bad.toml")
        try "[input]\ntable = \"t.csv\"\narea_id = \"id\"\ncolour = 1\n[[index]]\nname = \"s\"\nindicators = [\"S1\"]\n"
            .write(to: badConfig, atomically: false, encoding: .utf8)
        let unknownKey = try sozmon("validate", badConfig.path)
        #expect(unknownKey.status == 65 && unknownKey.error.contains("bad.toml:4:1: unknown key 'input.colour'"))

        let table = folder.appendingPathComponent("t.csv")
        try "id,ZEIT,EW,S1\n01100101,2021,500,1\n01100102,2021,600,zwei\n".write(to: table, atomically: false, encoding: .utf8)
        let config = folder.appendingPathComponent("c.toml")
        try """
            [input]
            table = "t.csv"
            area_id = "id"
            period = "ZEIT"
            population = "EW"
            [[index]]
            name = "s"
            indicators = ["S1"]
            """.write(to: config, atomically: false, encoding: .utf8)
        let bad = try sozmon("validate", config.path)
        #expect(bad.status == 65)
        #expect(bad.error.contains("t.csv:3:4: 'zwei' in column 'S1' is not a number"))
        let failed = try sozmon("run", config.path, "--out", folder.appendingPathComponent("out").path)
        #expect(failed.status == 65)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path), "nothing half-written")

        let occupied = folder.appendingPathComponent("occupied")
        try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: true)
        try "x".write(to: occupied.appendingPathComponent("keep.txt"), atomically: false, encoding: .utf8)
        try "id,ZEIT,EW,S1\n01100101,2021,500,1\n01100102,2021,600,2\n01100103,2021,700,4\n"
            .write(to: table, atomically: false, encoding: .utf8)
        #expect(try sozmon("validate", config.path).status == 0)
        #expect(try sozmon("run", config.path, "--out", occupied.path).status == 73)
        #expect(FileManager.default.fileExists(atPath: occupied.appendingPathComponent("keep.txt").path))
        let ok = try sozmon("run", config.path, "--out", folder.appendingPathComponent("ok").path, "--csv-dialect", "excel-de")
        #expect(ok.status == 0)
        // German Excel: a byte order mark (else UTF-8 is read as Windows-1252), `;`, WAHR/FALSCH.
        let bytes = try Data(contentsOf: folder.appendingPathComponent("ok/tables/areas.csv"))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let areas = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(areas.hasPrefix("area_id;area_name;bezirk_id;"))
        #expect(areas.contains(";WAHR;") && !areas.contains(";true;"))
        let readBack = try CSVTable(contentsOf: folder.appendingPathComponent("ok/tables/areas.csv"))
        #expect(readBack.header.first == "area_id", "sozmon reads its own excel-de tables")
    }

    /// The report does not depend on the BLAS thread count: every file of the demo edition (tables, workbook,
    /// GeoJSON, HTML, profiles) is byte for byte the same with `OPENBLAS_NUM_THREADS` 1 and 2; `run.json` differs
    /// only in its timings.
    @Test func reportDoesNotDependOnTheThreadCount() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-threads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [[String: Data]] = []
        for threads in ["1", "2"] {
            let out = folder.appendingPathComponent(threads)
            let run = try sozmon("demo", "--out", out.path, "--quiet", environment: ["OPENBLAS_NUM_THREADS": threads])
            #expect(run.status == 0, "\(run.error)")
            var contents: [String: Data] = [:]
            let enumerator = FileManager.default.enumerator(atPath: out.path)
            while let path = enumerator?.nextObject() as? String {
                var isFolder: ObjCBool = false
                let url = out.appendingPathComponent(path)
                guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
                var data = try Data(contentsOf: url)
                if path == "run.json" {  // everything but the timings
                    var manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                    manifest["timings_seconds"] = nil
                    data = try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys])
                }
                contents[path] = data
            }
            files.append(contents)
        }
        #expect(files[0].keys.sorted() == files[1].keys.sorted())
        #expect(files[0].count > 20, "the demo writes tables, workbook, GeoJSON, HTML and profiles")
        for (path, data) in files[0] { #expect(files[1][path] == data, "\(path) depends on the BLAS thread count") }
    }

    /// The final line is short: the report's files by kind, tables and profiles counted (a profile's HTML and
    /// Markdown page once); `--quiet` prints nothing on success.
    @Test func finalLineListsEveryOutputAndQuietMeansNothing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-final-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let loud = try sozmon("demo", "--out", folder.appendingPathComponent("a").path)
        #expect(loud.status == 0)
        for name in ["report.html", "report.xlsx", "results.geojson", "run.json", "30 tables in tables/", "192 profiles in profiles/"] {
            #expect(loud.output.contains(name), "the final line names \(name)")
        }
        #expect(loud.output.split(separator: "\n").last.map { $0.count < 300 } ?? false, "\(loud.output)")
        let quiet = try sozmon("demo", "--out", folder.appendingPathComponent("b").path, "--quiet")
        #expect(quiet.status == 0 && quiet.output.isEmpty, "\(quiet.output)")
    }
}
