import Dispatch
import Foundation
import Synchronization
import Sozmon
import SozmonIO
import TestSupport
import Testing

/// A scratch copy of the shipped data set with an edited config, run through the `sozmon` binary in its own
/// process: a trap shows as a signal status instead of ending the test run.
struct Scratch {
    let folder: URL

    /// Copies `datasets/synthetic-berlin` and writes `edit(config text)` as `c.toml`.
    init(_ edit: (String) -> String = { $0 }) throws {
        let demo = try DemoData.configURL().deletingLastPathComponent()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-scratch-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: demo, to: folder)
        let config = try String(contentsOf: demo.appendingPathComponent("sozialindex.toml"), encoding: .utf8)
        try edit(config).write(to: folder.appendingPathComponent("c.toml"), atomically: false, encoding: .utf8)
    }

    var config: URL { folder.appendingPathComponent("c.toml") }
    func url(_ name: String) -> URL { folder.appendingPathComponent(name) }
    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// Replaces the text of file `name`.
    func write(_ text: String, to name: String) throws {
        try text.write(to: url(name), atomically: false, encoding: .utf8)
    }

    /// `sozmon <verb> c.toml [--out out]`.
    func run(_ verb: String = "run", out: String? = "out") throws -> (status: Int32, output: String, error: String) {
        try CLITests().sozmon(arguments: [verb, config.path] + (out.map { ["--out", url($0).path, "--quiet"] } ?? []))
    }

    /// `text` without the TOML tables named (each up to the next table header): a quicker run. Without `supply`, its
    /// scenarios and `[locate]` go too (they need it).
    static func without(_ tables: [String], in text: String) -> String {
        let tables = tables.contains("supply") ? tables + ["scenario", "locate"] : tables
        var skipping = false
        return text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            if line.hasPrefix("[") { skipping = tables.contains { line == "[\($0)]" || line == "[[\($0)]]" } }
            return !skipping
        }.joined(separator: "\n")
    }

    /// The files left in the scratch folder whose names begin with a dot (partial output folders).
    var hiddenLeftovers: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix(".") }
    }
}

/// Config values that used to pass `validate` and then trap, escape the report folder or compute nonsense: each is
/// refused with its key, its line and the documented range.
@Suite struct ConfigHardeningTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let replace: String, with: String, message: String
        var testDescription: String { "\(with) → \(message)" }
    }

    static let cases: [Case] = [
        Case(replace: "[report]", with: "[report]\ndisclosure_threshold = 9223372036854775807",
             message: "'report.disclosure_threshold' must be an integer in 0…1000000"),
        Case(replace: "[report]", with: "[uncertainty]\nruns = 5\nconcentration = 1e-300\n[report]",
             message: "'uncertainty.concentration' must be a number in [1, 1000000]"),
        Case(replace: "[report]", with: "[uncertainty]\nruns = 5\nconcentration = -1\n[report]",
             message: "'uncertainty.concentration' must be a number in [1, 1000000]"),
        Case(replace: "levels = [\"Bezirksregion\"]", with: "levels = [\"Bezirk\", \"Bezirk\"]",
             message: "'profiles.levels' must be a list without repeats; \"Bezirk\" is given twice"),
        Case(replace: "name = \"dynamik\"", with: "name = \"../../../../tmp/x\"",
             message: "'index[2].name' must be a safe name: \"../../../../tmp/x\" must begin with a letter or digit"),
        Case(replace: "name = \"dynamik\"", with: "name = \"a/b\"", message: "'index[2].name' must be a safe name: \"a/b\" has '/'"),
        Case(replace: "name = \"dynamik\"", with: "name = \"a\\tb\"", message: "has '\\u{9}'"),
        Case(replace: "name = \"dynamik\"", with: "name = \"" + String(repeating: "x", count: 300) + "\"",
             message: "has 300 characters, at most 64"),
        Case(replace: "name = \"dynamik\"", with: "name = \"STATUS\"", message: "two indices are named 'STATUS'"),
        Case(replace: "level_names = [\"Bezirk\", \"Prognoseraum\", \"Bezirksregion\"]",
             with: "level_names = [\"Bezirk\", \"Prognoseraum\", \"bezirk\"]",
             message: "'input.level_names' must be a list of names that differ in more than case; \"bezirk\" is given twice"),
        Case(replace: "min_population = 300", with: "min_population = -5",
             message: "'eligibility.min_population' must be a number in [0, 1000000000]"),
        Case(replace: "hierarchy = [2, 4, 6]", with: "hierarchy = [2, 4, 1e300]",
             message: "'input.hierarchy' must be an array of integers in 1…64"),
        Case(replace: "status = \"status\"", with: "status = \"dynamik\"",
             message: "'combined.status' names index \"dynamik\" with classes \"mss-dynamik\""),
        Case(replace: "indicators = [\"S1\", \"S3\", \"S4\"]\n\n", with: "indicators = [\"S1\", \"S3\", \"S1\"]\n\n",
             message: "'index[1].indicators' must be a list without repeats; \"S1\" is given twice"),
        Case(replace: "variables = [\"status_value\", \"S4\"]", with: "variables = [\"S4\", \"S4\"]",
             message: "'spatial.variables' must be a list without repeats"),
        Case(replace: "permutations = 999", with: "permutations = 999\nalpha = 1.5",
             message: "'spatial.alpha' must be a number in (0, 1)"),
        Case(replace: "[report]", with: "[report]\ndisclosure_threshold = 2.5",
             message: "'report.disclosure_threshold' must be an integer"),
        Case(replace: "methods = [\"ols\", \"mann-kendall\"", with: "methods = [\"ols\", \"lowess\", \"mann-kendall\"",
             message: "'trends.methods' has \"lowess\"; expected some of ols, mann-kendall, theil-sen, seasonal-mann-kendall"),
        Case(replace: "weights = \"queen\"", with: "weights = \"Queen\"",
             message: "'spatial.weights' must be one of \"queen\", \"rook\", \"knn\", \"distance\", \"neighbours\", \"file\", not \"Queen\""),
        Case(replace: "weights = \"queen\"", with: "weights = \"queen\"\ntransform = \"row\"",
             message: "'spatial.transform' must be one of \"row-standardized\", \"binary\", not \"row\""),
        Case(replace: "methods = [\"ols\", \"mann-kendall\", \"theil-sen\", \"seasonal-mann-kendall\"]", with: "methods = []",
             message: "'trends.methods' must be a list of at least one of ols, mann-kendall, theil-sen, seasonal-mann-kendall"),
        Case(replace: "methods = [\"kmeans\", \"ward\", \"regions\", \"skater\", \"max-p\"]", with: "methods = []",
             message: "'clusters.methods' must be a list of at least one of kmeans, ward, regions, skater, max-p"),
        Case(replace: "methods = [\"kmeans\"", with: "methods = [\"kmeans\", \"dbscan\"",
             message: "'clusters.methods' has \"dbscan\"; expected some of kmeans, ward, regions, skater"),
        // The keys of session 7, each with a wrong value.
        Case(replace: "need_index = \"status\"", with: "method = \"2sfca\"\nneed_index = \"status\"",
             message: "'supply.radius' (metres, > 0) goes with method = \"2sfca\" or \"e2sfca\", and only with them"),
        Case(replace: "need_index = \"status\"", with: "radius = 1500\nneed_index = \"status\"",
             message: "'supply.radius' (metres, > 0) goes with method = \"2sfca\" or \"e2sfca\", and only with them"),
        Case(replace: "need_index = \"status\"", with: "method = \"3sfca\"\nneed_index = \"status\"",
             message: "'supply.method' must be one of \"area\", \"2sfca\", \"e2sfca\", not \"3sfca\""),
        Case(replace: "need_index = \"status\"", with: "method = \"2sfca\"\nradius = -3\nneed_index = \"status\"",
             message: "'supply.radius' must be a number in (0, 1000000]"),
        Case(replace: "[report]", with: "[report]\ngeojson_crs = \"25833\"",
             message: "'report.geojson_crs' must be one of \"EPSG:4326\", \"input\", not \"25833\""),
        Case(replace: "weights = \"queen\"", with: "weights = \"queen\"\nweights_file = \"w.gal\"",
             message: "'spatial.weights_file' (a GeoDa .gal or .gwt file) goes with weights = \"file\", and only with it"),
        Case(replace: "weights = \"queen\"", with: "weights = \"file\"",
             message: "'spatial.weights_file' (a GeoDa .gal or .gwt file) goes with weights = \"file\", and only with it"),
        Case(replace: "[report]", with: "[history]\ntables = [\"a.csv\", \"b.csv\"]\nlabels = [\"2019\"]\n[report]",
             message: "'history.labels' must name each of the 2 tables, in their order"),
        Case(replace: "scope = \"other-districts\"", with: "scope = \"other-districts\"\nmetric = \"cosine\"",
             message: "'similar.metric' must be one of \"euclidean\", \"mahalanobis\", not \"cosine\""),
        Case(replace: "k = 5\nscope", with: "k = 0\nscope", message: "'similar.k' must be an integer in 1…50"),
        Case(replace: "time_window = 1", with: "time_window = -1", message: "'hotspots.time_window' must be an integer in 0…100"),
        Case(replace: "time_window = 1", with: "time_window = 1\nalpha = 1", message: "'hotspots.alpha' must be a number in (0, 1)"),
        Case(replace: "variables = [\"S4\"]\ntime_window", with: "variables = []\ntime_window",
             message: "'hotspots.variables'"),
        Case(replace: "floor = 25000", with: "floor = -5",
             message: "'clusters.floor' must be a number in (0, 1000000000000000]"),
        Case(replace: "floor_variable = \"EW\"\nfloor = 25000", with: "floor_variable = \"EW\"",
             message: "'clusters.floor_variable' and 'clusters.floor' (> 0) go together with methods = [\"max-p\", …], and only with it"),
        Case(replace: "preset = \"mss-status\"", with: "preset = \"mss-status\"\nimpute_level = \"Bezirk\"",
             message: "'index[1].impute_level' goes with impute = \"group-median\""),
        Case(replace: "preset = \"mss-status\"", with: "preset = \"mss-status\"\nwinsorize = \"yes\"",
             message: "'index[1].winsorize' must be one of \"none\", \"coinr\", not \"yes\""),
        Case(replace: "preset = \"mss-status\"", with: "preset = \"mss-status\"\nwinsorize = \"coinr\"\nwinsorize_max = 0",
             message: "'index[1].winsorize_max' must be an integer in 1…1000"),
        Case(replace: "classification = \"natural-breaks\"", with: "classification = \"jenks\"",
             message: "'maps.classification' must be one of \"quantiles\", \"equal-interval\", \"natural-breaks\", \"manual\""),
        Case(replace: "decimals = 2\ndescription = \"Arbeitslosigkeit", with: "decimals = 7\ndescription = \"Arbeitslosigkeit",
             message: "'indicators.S1.decimals' must be an integer in 0…6"),
        Case(replace: "[indicators.S1]\nlabel = \"Arbeitslosigkeit (SGB II)\"", with: "[indicators.S1]",
             message: "'indicators.S1.label' is required"),
    ]

    @Test(arguments: cases)
    func refusedWithItsKeyAndLine(_ c: Case) throws {
        let demo = try DemoData.configURL()
        let text = try String(contentsOf: demo, encoding: .utf8)
        #expect(text.contains(c.replace), "the demo config has the text to replace")
        let edited = text.replacingOccurrences(of: c.replace, with: c.with)
        do {
            _ = try RunConfig.parse(edited, file: "c.toml", baseFolder: demo.deletingLastPathComponent().path)
            Issue.record("accepted: \(c.with)")
        } catch let problems as ConfigProblems {
            #expect(problems.description.contains(c.message), "\(problems)")
            #expect(problems.problems.allSatisfy { $0.line > 0 }, "every problem has its line: \(problems)")
        }
    }
}

/// A required list given with a repeat is one problem, said once (it was followed by "must list at least one …", as if
/// the list were empty).
@Suite struct RepeatedListTests {
    @Test func aRepeatInARequiredListIsOneProblem() throws {
        let demo = try DemoData.configURL()
        let text = try String(contentsOf: demo, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "[spatial]\nvariables = [\"status_value\", \"S4\"]",
                                              with: "[spatial]\nvariables = [\"S4\", \"S4\"]")
        #expect(edited != text)
        do {
            _ = try RunConfig.parse(edited, file: "c.toml", baseFolder: demo.deletingLastPathComponent().path)
            Issue.record("accepted")
        } catch let problems as ConfigProblems {
            let spatial = problems.problems.filter { $0.description.contains("spatial.variables") }
            #expect(spatial.count == 1 && spatial[0].description.contains("\"S4\" is given twice"), "\(problems)")
        }
    }
}

/// Setups that used to trap: a flat list of areas, a facility far outside the map.
@Suite struct TrapHardeningTests {
    /// A Landkreis with its Gemeinden or a city without districts: no levels. Trends and quarter comparisons rank
    /// over the whole city (an empty `district_id`).
    @Test func flatListOfAreasRunsTrendsAndQuarters() throws {
        let scratch = try Scratch {
            Scratch.without(["spatial", "clusters", "supply"], in: $0)
                .replacingOccurrences(of: "hierarchy = [2, 4, 6]", with: "hierarchy = []")
                .replacingOccurrences(of: "level_names = [\"Bezirk\", \"Prognoseraum\", \"Bezirksregion\"]", with: "level_names = []")
                .replacingOccurrences(of: "[profiles]\nlevels = [\"Bezirksregion\"]\n", with: "")
        }
        defer { scratch.remove() }
        let run = try scratch.run()
        #expect(run.status == 0, "\(run.error)")
        let quarters = try CSVTable(contentsOf: scratch.url("out/tables/quarters.csv"))
        let district = try quarters.columnIndex("district_id"), rank = try quarters.columnIndex("rank_in_district")
        #expect(quarters.rows.allSatisfy { $0[district].isEmpty })
        let ranks = quarters.rows.filter { $0[2] == "S1" }.compactMap { Int($0[rank]) }.sorted()
        #expect(ranks.count > 500 && ranks == Array(1...ranks.count), "one ranking over the whole city")
    }

    /// Coordinates of 1e30 or 1e308 lie in no area: the facility is listed without an area id.
    @Test(arguments: ["1e30", "1e308", "-1e308"])
    func facilityFarOutsideLiesInNoArea(_ x: String) throws {
        let scratch = try Scratch { Scratch.without(["spatial", "clusters", "trends", "quarters"], in: $0) }
        defer { scratch.remove() }
        var lines = try String(contentsOf: scratch.url("einrichtungen.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        lines[2] = "E2,Familienzentrum,46,\(x),5818552.6"
        try scratch.write(lines.joined(separator: "\n") + "\n", to: "einrichtungen.csv")
        let run = try scratch.run()
        #expect(run.status == 0, "\(run.error)")
        let facilities = try CSVTable(contentsOf: scratch.url("out/tables/facilities.csv"))
        #expect(facilities.rows.first { $0[0] == "E2" }?.last == "")
    }

}

/// Nothing is written outside the report folder, nothing is left behind, nothing of the user's is replaced.
@Suite struct OutputHardeningTests {
    /// Paths that would leave the folder are refused, whatever a name in the config or the data holds.
    /// A path to write, shown with its control characters escaped (a NUL in a test name would reach the logs).
    struct Path: CustomTestStringConvertible, Sendable {
        let text: String
        var testDescription: String { text.debugDescription.count > 60 ? "\(text.count) characters" : text.debugDescription }
    }

    @Test(arguments: ["../x.csv", "tables/../../x.csv", "/etc/x", "a\u{0}b", String(repeating: "n", count: 300),
                      "tables//x.csv", "./x"].map(Path.init))
    func pathsOutsideTheFolderAreRefused(_ path: Path) throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-contain-\(UUID().uuidString)")
        let folder = try AtomicFolder(out)
        defer { folder.discard() }
        #expect(throws: OutputError.self) { try folder.write("x", to: path.text) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.staging.path).isEmpty)
    }

    /// A folder made at `--out` while the run is going, with a user's file in it, is never replaced: commit refuses
    /// (73) and the file stays (it was removed with the folder, recursively, when the folder was found at commit).
    @Test func aFolderMadeDuringTheRunIsNotReplaced() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-race-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let folder = try AtomicFolder(out)
        try folder.write("report", to: "run.json")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
        try "mine".write(to: out.appendingPathComponent("thesis.docx"), atomically: false, encoding: .utf8)
        #expect(throws: OutputError.self) { try folder.commit() }
        folder.discard()
        #expect(try String(contentsOf: out.appendingPathComponent("thesis.docx"), encoding: .utf8) == "mine")
        #expect(!FileManager.default.fileExists(atPath: folder.staging.path))
        // Made empty meanwhile: still refused, since the run did not find it there.
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-race-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: empty) }
        let second = try AtomicFolder(empty)
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: false)
        #expect(throws: OutputError.self) { try second.commit() }
        second.discard()
    }

    /// An empty folder given as `--out` and filled while the run is going keeps its files (rmdir, not remove).
    @Test func anEmptyFolderFilledDuringTheRunIsKept() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-race-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
        let folder = try AtomicFolder(out)
        try folder.write("report", to: "run.json")
        try "mine".write(to: out.appendingPathComponent("notes.txt"), atomically: false, encoding: .utf8)
        #expect(throws: OutputError.self) { try folder.commit() }
        folder.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["notes.txt"])
        // Still empty at commit: replaced by the report.
        try FileManager.default.removeItem(at: out.appendingPathComponent("notes.txt"))
        let again = try AtomicFolder(out)
        try again.write("report", to: "run.json")
        try again.commit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["run.json"])
    }

    /// Two runs into one `--out` at once: one writes the report, the other exits 73 and replaces nothing.
    @Test func twoRunsIntoOneFolder() throws {
        let scratch = try Scratch { Scratch.without(["spatial", "clusters", "trends", "quarters", "supply", "crosswalk"], in: $0) }
        defer { scratch.remove() }
        let results = Mutex<[Int32]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let status = (try? scratch.run())?.status ?? -1
            results.withLock { $0.append(status) }
        }
        #expect(results.withLock { $0.sorted() } == [0, 73], "\(results.withLock { $0 })")
        #expect(FileManager.default.fileExists(atPath: scratch.url("out/run.json").path))
        #expect(scratch.hiddenLeftovers.isEmpty)
    }

    /// A symbolic link as `--out` (dangling or not) is refused before the work: with a broken input table, the link
    /// is what is reported (it was the whole run, then 73).
    @Test func aSymbolicLinkAsOutputIsRefusedFirst() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createSymbolicLink(atPath: scratch.url("out").path, withDestinationPath: "/nonexistent/place")
        try scratch.write("PLR_ID,ZEIT\n", to: "indicators_annual.csv")
        let run = try scratch.run()
        #expect(run.status == 73 && run.error.contains("is a symbolic link"), "\(run.status): \(run.error)")
    }

    /// A staging folder named for another host is never judged abandoned by its process id (a shared disk).
    @Test func anotherHostsStagingFolderIsLeftAlone() throws {
        let scratch = try Scratch { Scratch.without(["spatial", "clusters", "trends", "quarters", "supply", "crosswalk"], in: $0) }
        defer { scratch.remove() }
        let foreign = scratch.url(".out.partial-some-other-host-999999")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        let run = try scratch.run()
        #expect(run.status == 0, "\(run.error)")
        #expect(FileManager.default.fileExists(atPath: foreign.path))
    }

    /// A full disk is said in words with the path (exit status 73), not as a Foundation error code.
    @Test func fullDiskIsSaidInWords() throws {
        do {
            try Data("x".utf8).write(to: URL(fileURLWithPath: "/dev/full"))
            Issue.record("writing to /dev/full succeeded")
        } catch {
            let output = OutputError(path: "/dev/full", writing: error, action: "cannot write")
            #expect(output.description == "/dev/full: cannot write: no space left on the device", "\(error)")
        }
    }

    /// `demo --out DIR` replaces only a report that sozmon wrote and nobody changed; a folder with anything
    /// else is refused with 73 and left as it was.
    @Test func demoReplacesOnlyItsOwnUntouchedReport() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cli = CLITests()
        #expect(try cli.sozmon("demo", "--out", folder.path, "--quiet").status == 0)
        #expect(try cli.sozmon("demo", "--out", folder.path, "--quiet").status == 0, "its own report is replaced")
        let thesis = folder.appendingPathComponent("tables/my-thesis.docx")
        try Data("mine".utf8).write(to: thesis)
        let refused = try cli.sozmon("demo", "--out", folder.path, "--quiet")
        #expect(refused.status == 73 && refused.error.contains("holds files that sozmon did not write"), "\(refused.error)")
        #expect(FileManager.default.fileExists(atPath: thesis.path))
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-user-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: other) }
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: other.appendingPathComponent("run.json"))
        #expect(try cli.sozmon("demo", "--out", other.path, "--quiet").status == 73, "a run.json alone is not enough")
        #expect(FileManager.default.fileExists(atPath: other.appendingPathComponent("run.json").path))
    }

    /// SIGTERM while the report is written: exit 143 and no partial folder left.
    @Test func interruptedRunLeavesNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["run", scratch.config.path, "--out", scratch.url("out").path, "--quiet"]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        while process.isRunning && scratch.hiddenLeftovers.isEmpty { usleep(2_000) }
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 143, "the run was interrupted while writing")
        #expect(scratch.hiddenLeftovers.isEmpty && !FileManager.default.fileExists(atPath: scratch.url("out").path))
    }

    /// A partial folder of a process that no longer exists (a killed run) is removed by the next run, with a warning.
    @Test func leftoverOfAKilledRunIsRemoved() throws {
        let scratch = try Scratch { Scratch.without(["spatial", "clusters", "trends", "quarters", "supply", "crosswalk"], in: $0) }
        defer { scratch.remove() }
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, 255)
        let leftover = scratch.url(".out.partial-\(String(cString: host))-\(gone.processIdentifier)")
        try FileManager.default.createDirectory(at: leftover.appendingPathComponent("tables"), withIntermediateDirectories: true)
        let run = try scratch.run()
        #expect(run.status == 0, "\(run.error)")
        #expect(run.error.contains("removed \(leftover.path), the partial output of an earlier run"), "\(run.error)")
        #expect(scratch.hiddenLeftovers.isEmpty)
    }
}

/// Small counts planted in the demo data (populations 2 and 1) must not be readable or recoverable in any output.
@Suite struct DisclosureHardeningTests {
    /// Areas whose 2024 population is set to a small count: one in a region of two areas, one in a larger region.
    static let planted = ["01010101": "2", "01020101": "1"]

    @Test func plantedSmallCountsAppearNowhere() throws {
        let scratch = try Scratch { Scratch.without(["spatial", "clusters", "trends", "quarters"], in: $0) }
        defer { scratch.remove() }
        let table = try String(contentsOf: scratch.url("indicators_annual.csv"), encoding: .utf8)
        let edited = table.split(separator: "\n").map { line -> String in
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if let count = Self.planted[fields[0]], fields[2] == "2024" { fields[3] = count }
            return fields.joined(separator: ",")
        }
        try scratch.write(edited.joined(separator: "\n") + "\n", to: "indicators_annual.csv")
        let run = try scratch.run()
        #expect(run.status == 0, "\(run.error)")
        let out = scratch.url("out")

        // Per-area tables: the small count, its shares and rates are suppressed.
        for name in ["areas", "supply_areas"] {
            let t = try CSVTable(contentsOf: out.appendingPathComponent("tables/\(name).csv"))
            let id = try t.columnIndex("area_id")
            let count = try t.columnIndex(name == "areas" ? "population" : "target_population")
            for row in t.rows where Self.planted[row[id]] != nil {
                #expect(row[count] == ".", "\(name): \(row[id])")
                let numbers = zip(t.header, row).filter { !$0.0.hasSuffix("_id") && $0.0 != "period" }.compactMap { Double($0.1) }
                #expect(numbers.allSatisfy { $0 == 0 }, "\(name): only zeros and '.' in the row of a small count: \(row)")
            }
        }
        // No region total minus its published areas gives back a single suppressed area.
        let areas = try CSVTable(contentsOf: out.appendingPathComponent("tables/areas.csv"))
        let region = try areas.columnIndex("bezirksregion_id"), population = try areas.columnIndex("population")
        let hidden = Dictionary(grouping: areas.rows.filter { $0[population] == "." }, by: { $0[region] }).mapValues(\.count)
        #expect(!hidden.isEmpty && hidden.values.allSatisfy { $0 >= 2 }, "\(hidden)")
        // Profiles: no class population or unit total below 3.
        let pages = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("profiles").path)
        for page in pages where page.hasSuffix(".md") {
            let text = try String(contentsOf: out.appendingPathComponent("profiles/\(page)"), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("| ") {
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                if cells.count == 3, let people = Double(cells[2].replacingOccurrences(of: ".", with: "")) {
                    #expect(!(people > 0 && people < 3), "\(page): \(line)")
                }
            }
            #expect(!text.contains(" 2 Einwohner") && !text.contains(" 1 Einwohner"), "\(page)")
        }
        // GeoJSON: a suppressed count is null with a flag, so that GIS tools keep the column numeric.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("results.geojson")))
        let features = try #require((json as? [String: Any])?["features"] as? [[String: Any]])
        for feature in features {
            let properties = try #require(feature["properties"] as? [String: Any])
            #expect(!(properties["population"] is String), "population stays a number or null")
            if let id = properties["area_id"] as? String, Self.planted[id] != nil {
                #expect(properties["population"] is NSNull && properties["population_suppressed"] as? Bool == true)
            }
        }
    }
}

/// Counts that the config names (`input.counts`: numerator and denominator of a share) are counts of people: a small
/// one is suppressed with the share computed from it, and a second count of its group goes too.
@Suite struct CountDisclosureTests {
    @Test func smallNumeratorGoesWithItsShare() throws {
        let scratch = try Scratch {
            Scratch.without(["trends", "quarters", "spatial", "clusters", "crosswalk", "supply", "profiles"], in: $0)
                .replacingOccurrences(of: "[eligibility]", with: "[input.counts]\nQ = [\"N\", \"D\"]\n\n[eligibility]")
        }
        defer { scratch.remove() }
        let table = try String(contentsOf: scratch.url("indicators_annual.csv"), encoding: .utf8)
        let rows = table.split(separator: "\n").enumerated().map { k, line -> String in
            if k == 0 { return line + ",N,D" }
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let people = Double(f[3]) ?? 0
            let n = f[0] == "01010101" && f[2] == "2024" ? 2 : Int(people * 0.07)
            return line + ",\(n),\(f[3])"
        }
        try scratch.write(rows.joined(separator: "\n") + "\n", to: "indicators_annual.csv")
        let run = try scratch.run()
        #expect(run.status == 0, "\(run.error)")
        let areas = try CSVTable(contentsOf: scratch.url("out/tables/areas.csv"))
        let n = try areas.columnIndex("N"), q = try areas.columnIndex("Q"), s1 = try areas.columnIndex("S1")
        let small = try #require(areas.rows.first { $0[0] == "01010101" })
        #expect(small[n] == "." && small[q] == ".", "the count and its share")
        #expect(small[s1] != ".", "other indicators of the row stay")
        let other = try #require(areas.rows.first { $0[0] == "01010102" })
        #expect(other[n] == ".", "the second count of the Bezirksregion")
    }
}

/// Bad inputs as users and fuzzers make them: each gets its exit status and a message with its place.
@Suite struct InputHardeningTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// The file edited and how; an empty file name edits nothing.
        let file: String
        let edit: @Sendable (String) -> String
        /// Extra config edit.
        let config: @Sendable (String) -> String
        let status: Int32
        let message: String
        var testDescription: String { name }

        init(_ name: String, file: String = "", edit: @escaping @Sendable (String) -> String = { $0 },
             config: @escaping @Sendable (String) -> String = { $0 }, status: Int32 = 65, message: String) {
            self.name = name; self.file = file; self.edit = edit; self.config = config; self.status = status
            self.message = message
        }
    }

    /// Replaces line `number` (1-based) of `text` by `transform(line)`.
    static func line(_ number: Int, _ transform: @escaping @Sendable (String) -> String) -> @Sendable (String) -> String {
        { text in
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines[number - 1] = transform(lines[number - 1])
            return lines.joined(separator: "\n")
        }
    }

    static let cases: [Case] = [
        Case("NUL bytes after a table", file: "indicators_annual.csv", edit: { $0 + String(repeating: "\u{0}", count: 1 << 20) },
             message: "indicators_annual.csv:5422:1: a NUL byte"),
        Case("NUL bytes in GeoJSON", file: "planungsraeume.geojson", edit: { $0 + String(repeating: "\u{0}", count: 1 << 20) },
             message: "a NUL byte: this looks like a binary or damaged file, not GeoJSON text"),
        Case("projected GeoJSON without crs", file: "planungsraeume.geojson",
             edit: { $0.replacingOccurrences(of: Self.namedCRS + ",", with: "") },
             message: "feature 1 (id 01010101): the point (370000.0, 5800000.0) is no longitude/latitude"),
        Case("crs as a plain string", file: "planungsraeume.geojson",
             edit: { $0.replacingOccurrences(of: Self.namedCRS, with: #""crs":"EPSG:25833""#) },
             status: 0, message: "ok"),
        Case("empty id property", file: "planungsraeume.geojson",
             edit: { $0.replacingOccurrences(of: #""PLR_ID":"01010102""#, with: #""PLR_ID":"""#) },
             message: "feature 2: the id property 'PLR_ID' is empty"),
        Case("negative population", file: "indicators_annual.csv", edit: line(7) { line in
                 var fields = line.split(separator: ",").map(String.init)
                 fields[3] = "-5"
                 return fields.joined(separator: ",")
             }, message: "indicators_annual.csv:7:4: population -5 in column 'EW' is negative"),
        Case("area id of the wrong length", file: "indicators_annual.csv", edit: line(100) { "0" + $0 },
             message: "indicators_annual.csv:100:1: area id"),
        Case("facility id twice", file: "einrichtungen.csv", edit: line(3) { "E1" + $0.drop { $0 != "," } },
             message: "einrichtungen.csv:3:1: facility id 'E1' is used again (first on line 2)"),
        Case("facilities: header only", file: "einrichtungen.csv", edit: { String($0.prefix { $0 != "\n" }) + "\n" },
             message: "einrichtungen.csv:1: the table has a header but no facilities"),
        Case("neighbour of itself", file: "neighbours.csv", edit: line(2) { _ in "01010101,01010101" },
             config: Self.neighbourWeights, message: "neighbours.csv:2:2: area 01010101 is given as its own neighbour"),
        Case("neighbour not in the table", file: "neighbours.csv", edit: line(4) { _ in "01010101,99999999" },
             config: Self.neighbourWeights, message: "neighbours.csv:4:2: area 99999999 is not among the areas of the table"),
        Case("neighbour pair twice", file: "neighbours.csv", edit: { text in
                 let lines = text.split(separator: "\n")
                 return (lines + [lines[1]]).joined(separator: "\n") + "\n"
             }, config: Self.neighbourWeights, message: "is listed again (first on line 2)"),
        Case("neighbours: header only", file: "neighbours.csv", edit: { String($0.prefix { $0 != "\n" }) + "\n" },
             config: Self.neighbourWeights, message: "neighbours.csv:1: the table has a header but no neighbour pairs"),
        Case("negative neighbour weight", file: "neighbours.csv",
             edit: { text in text.split(separator: "\n").enumerated().map { $0 == 0 ? "\($1),weight" : "\($1),\($0 % 2 == 0 ? -1 : 1)" }.joined(separator: "\n") },
             config: Self.neighbourWeights, message: "neighbours.csv:3:3: weight -1 of"),
        Case("geometry is a folder", config: { $0.replacingOccurrences(of: "geometry = \"planungsraeume.geojson\"", with: "geometry = \"/tmp\"") },
             status: 66, message: "/tmp: is a folder; the file is expected here"),
    ]

    /// The `crs` member of the shipped GeoJSON.
    static let namedCRS = #""crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25833"}}"#

    /// Neighbour-list weights for `[spatial]`, without permutations (quicker).
    static let neighbourWeights: @Sendable (String) -> String = {
        $0.replacingOccurrences(of: "weights = \"queen\"", with: "weights = \"neighbours\"")
            .replacingOccurrences(of: "permutations = 999", with: "permutations = 0")
            .replacingOccurrences(of: "geometry_id = \"PLR_ID\"", with: "geometry_id = \"PLR_ID\"\nneighbours = \"neighbours.csv\"")
    }

    @Test(arguments: cases)
    func refusedWithItsPlace(_ c: Case) throws {
        let scratch = try Scratch {
            let lean = Scratch.without(["trends", "quarters", "clusters", "crosswalk"], in: $0)
            return c.config(c.file == "neighbours.csv" ? lean : Scratch.without(["spatial"], in: lean))
        }
        defer { scratch.remove() }
        if !c.file.isEmpty {
            let text = try String(contentsOf: scratch.url(c.file), encoding: .utf8)
            #expect(c.edit(text) != text, "the edit changes the file")
            try scratch.write(c.edit(try String(contentsOf: scratch.url(c.file), encoding: .utf8)), to: c.file)
        }
        let result = try scratch.run("validate", out: nil)
        #expect(result.status == c.status, "\(result.error)")
        #expect((result.error + result.output).contains(c.message), "\(result.error)")
    }

    /// `sozmon run FOLDER` says that the path is a folder.
    @Test func configThatIsAFolder() throws {
        let result = try CLITests().sozmon("run", FileManager.default.temporaryDirectory.path)
        #expect(result.status == 66 && result.error.contains("is a folder; the config file is expected here"), "\(result.error)")
    }
}

/// Messages that say what the user needs to know.
@Suite struct MessageHardeningTests {
    /// `validate` lists every bad cell of a data table (up to 50, then how many more), not only the first.
    @Test func validateListsEveryBadCell() throws {
        let scratch = try Scratch { Scratch.without(["trends", "quarters", "spatial", "clusters", "crosswalk"], in: $0) }
        defer { scratch.remove() }
        var lines = try String(contentsOf: scratch.url("indicators_annual.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        for i in 10..<70 {
            var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[5] = "n/a\(i)"
            lines[i] = fields.joined(separator: ",")
        }
        try scratch.write(lines.joined(separator: "\n") + "\n", to: "indicators_annual.csv")
        let result = try scratch.run("validate", out: nil)
        let problems = result.error.split(separator: "\n")
        #expect(result.status == 65)
        #expect(problems.count == 51, "50 cells and the rest counted: \(problems.count)")
        #expect(problems.first?.hasSuffix("indicators_annual.csv:11:6: 'n/a10' in column 'S2' is not a number; "
                                          + "expected a number with decimal point or a missing-value symbol (empty, -, ., x, ..., /)") == true)
        #expect(problems.last?.hasSuffix("indicators_annual.csv: and 10 more problems") == true, "\(problems.last ?? "")")
    }

    /// Config problems name the line and the column where the key stands.
    @Test func configProblemsHaveLineAndColumn() throws {
        do {
            _ = try RunConfig.parse("[input]\ntable = \"t.csv\"\narea_id = \"id\"\n  colour = 1\n[[index]]\nname = \"s\"\nindicators = [\"S1\"]\n",
                                    file: "c.toml", baseFolder: "/tmp")
            Issue.record("accepted")
        } catch let problems as ConfigProblems {
            #expect(problems.description == "c.toml:4:3: unknown key 'input.colour'; see the config reference in README")
        }
    }

    /// Lines come from the parsed document: a key in an inline table or a dotted key has its own line too.
    @Test func problemsInInlineTablesAndDottedKeysHaveTheirLine() throws {
        let text = "title = \"x\"\ninput = { table = \"t.csv\", area_id = \"id\", colour = 1 }\nreport.formats = [\"pdf\"]\n[[index]]\nname = \"s\"\nindicators = [\"S1\"]\n"
        do {
            _ = try RunConfig.parse(text, file: "c.toml", baseFolder: "/tmp")
            Issue.record("accepted")
        } catch let problems as ConfigProblems {
            let messages = problems.problems.map(\.description)
            #expect(messages.contains { $0.hasPrefix("c.toml:2:1: unknown key 'input.colour'") }, "\(messages)")
            #expect(messages.contains { $0.hasPrefix("c.toml:3:1: 'report.formats' has \"pdf\"") }, "\(messages)")
        }
    }

    /// A threshold that leaves no area says so, instead of a statistic's complaint about too few values.
    @Test func noEligibleAreaIsSaidSo() throws {
        let scratch = try Scratch {
            Scratch.without(["trends", "quarters", "spatial", "clusters", "crosswalk"], in: $0)
                .replacingOccurrences(of: "min_population = 300", with: "min_population = 1e9")
        }
        defer { scratch.remove() }
        let result = try scratch.run("validate", out: nil)
        #expect(result.status == 65 && result.error.contains("no area is eligible in 2024: eligibility.min_population = 1000000000"),
                "\(result.error)")
    }
}

/// Disclosure control against differencing over all linked tables (#27): a generated city of 40 areas
/// (`sozmon generate --areas 40 --seed 5`) with small counts planted where subtraction used to give them back. The
/// linear-programming audit of the same cases is `scripts/disclosure-audit`; these tests hold the structure.
@Suite struct DifferencingTests {
    /// A generated city with `edit` applied to the 2024 rows of its annual table, run with its full config.
    static func run(_ edit: ([String], inout [[String]]) -> Void) throws -> (folder: URL, out: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-differencing-\(UUID().uuidString)")
        let made = try CLITests().sozmon("generate", "--areas", "40", "--seed", "5", "--out", folder.path)
        #expect(made.status == 0, "\(made.error)")
        let table = folder.appendingPathComponent("indicators_annual.csv")
        var lines = try String(contentsOf: table, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let header = lines.removeFirst()
        edit(header, &lines)
        try (([header] + lines).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n")
            .write(to: table, atomically: false, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        let run = try CLITests().sozmon("run", folder.appendingPathComponent("sozialindex.toml").path, "--out", out.path, "--quiet")
        #expect(run.status == 0, "\(run.error)")
        return (folder, out)
    }

    /// Bezirksregion → its areas in 2024.
    static func regions(_ lines: [[String]]) -> [String: [Int]] {
        Dictionary(grouping: lines.indices.filter { lines[$0][2] == "2024" }, by: { String(lines[$0][0].prefix(6)) })
    }

    /// Rows of a report table as dictionaries by column name.
    static func rows(_ out: URL, _ name: String) throws -> [[String: String]] {
        let t = try CSVTable(contentsOf: out.appendingPathComponent("tables/\(name).csv"))
        return t.rows.map { Dictionary(uniqueKeysWithValues: zip(t.header, $0)) }
    }

    /// Within every published total of a level (and the city), the withheld totals of the level below (or the areas'
    /// withheld populations) are none or at least two: no subtraction isolates one.
    static func expectNoLoneWithheldPart(_ out: URL) throws {
        let areas = try rows(out, "areas")
        let levels = [("bezirk", 2), ("prognoseraum", 4), ("bezirksregion", 6)]
        var published: [String: Bool] = ["": true]  // unit id → total published; "" the city
        for (name, _) in levels {
            for row in try rows(out, "summary_\(name)") { published[row["\(name)_id"]!] = row["population"] != "." }
        }
        var parts: [String: [Bool]] = [:]  // parent → withheld flags of its parts
        for (k, (name, length)) in levels.enumerated() {
            for row in try rows(out, "summary_\(name)") {
                let parent = k == 0 ? "" : String(row["\(name)_id"]!.prefix(levels[k - 1].1))
                parts[parent, default: []].append(row["population"] == ".")
                _ = length
            }
        }
        for row in areas { parts[row["bezirksregion_id"]!, default: []].append(row["population"] == ".") }
        for (parent, flags) in parts where published[parent] == true {
            #expect(flags.filter { $0 }.count != 1, "unit '\(parent)': one withheld part under a published total")
        }
    }

    /// The issue's first case: an area of 2 alone in its Bezirksregion. Its region publishes nothing (its values are
    /// the area's), the Prognoseraum total minus the published regions gives nothing back, nor do the class populations.
    @Test func anAreaAloneInItsRegion() throws {
        var alone = ""
        let (folder, out) = try Self.run { _, lines in
            let i = Self.regions(lines).values.first { $0.count == 1 }![0]
            lines[i][3] = "2"
            alone = lines[i][0]
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let region = String(alone.prefix(6))
        let area = try #require(try Self.rows(out, "areas").first { $0["area_id"] == alone })
        #expect(area["population"] == ".")
        let summary = try #require(try Self.rows(out, "summary_bezirksregion").first { $0["bezirksregion_id"] == region })
        #expect(summary.filter { $0.key != "bezirksregion_id" }.allSatisfy { $0.value == "." }, "\(summary)")
        for row in try Self.rows(out, "profiles_bezirksregion") where row["region_id"] == region {
            #expect(["population", "value", "z", "rank"].allSatisfy { row[$0] == "." || row[$0] == "" }, "\(row)")
        }
        let page = try String(contentsOf: out.appendingPathComponent("profiles/\(region).md"), encoding: .utf8)
        #expect(page.contains(". Einwohner") && !page.contains(" 2 Einwohner"))
        // z and rank among the regions whose values are published, and the page says among how many.
        let regions = try Self.rows(out, "summary_bezirksregion")
        let ranked = regions.filter { $0["population"] != "." }.count
        let htmlPage = try String(contentsOf: out.appendingPathComponent("profiles/\(region).html"), encoding: .utf8)
        #expect(ranked < regions.count && htmlPage.contains("z unter den \(ranked) Einheiten"), "\(ranked) of \(regions.count)")
        // Its shares are in no table per area: with them and the published shares of its partner, the level means would
        // give its count back. Quarter rows and comparable areas keep their ids but no number; spatial statistics
        // leave its value out (its neighbours' local statistics would contain it).
        for row in try Self.rows(out, "quarters") where row["area_id"] == alone {
            #expect(["value", "change_prev", "change_year"].allSatisfy { row[$0] == "." || row[$0] == "" }, "\(row)")
        }
        let similar = try Self.rows(out, "similar").filter { $0["area_id"] == alone || $0["similar_id"] == alone }
        #expect(!similar.isEmpty && similar.allSatisfy { $0["distance"] == "." }, "\(similar)")
        #expect(try Self.rows(out, "spatial_local").allSatisfy { $0["area_id"] != alone })
        // The maps of report.html show no value of its row (they showed its S1 and S4 in the tooltips).
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.firstMatch(of: try Regex("\\(\(alone)\\): [0-9-]")) == nil)
        // The unclassified population of its Prognoseraum and Bezirk holds it (with others or alone): withheld.
        for (name, length) in [("prognoseraum", 4), ("bezirk", 2)] {
            let row = try #require(try Self.rows(out, "summary_\(name)").first { $0["\(name)_id"] == String(alone.prefix(length)) })
            #expect(row["status_unclassified_population"] == ".", "\(name): \(row)")
        }
        try Self.expectNoLoneWithheldPart(out)
    }

    /// Small counts at every level: an area alone in its region (1), a region of two areas of 1 (a small region
    /// total), and a small area in a larger region (2).
    @Test func smallCountsAtEveryLevel() throws {
        let (folder, out) = try Self.run { _, lines in
            let regions = Self.regions(lines)
            let alone = regions.values.filter { $0.count == 1 }.sorted { $0[0] < $1[0] }
            let pairs = regions.values.filter { $0.count == 2 }.sorted { $0[0] < $1[0] }
            lines[alone.last![0]][3] = "1"
            lines[pairs.last![0]][3] = "1"
            lines[pairs.last![1]][3] = "1"
            lines[pairs.first![0]][3] = "2"
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["summary_bezirk", "summary_prognoseraum", "summary_bezirksregion", "areas", "supply_areas",
                     "supply_bezirksregion", "profiles_bezirksregion"] {
            for row in try Self.rows(out, name) {
                for (column, value) in row where column.hasSuffix("population") {
                    #expect(!((Double(value) ?? 0) > 0 && (Double(value) ?? 0) < 3), "\(name): \(column) = \(value)")
                }
            }
        }
        try Self.expectNoLoneWithheldPart(out)
    }
}

/// Neither formulas nor markup from data values (#27): area names that a spreadsheet would evaluate, or that Markdown
/// would render as an image or a link, reach the CSV tables neutralised and the Markdown profiles escaped.
@Suite struct InjectionTests {
    static let payloads = ["=HYPERLINK(\"http://x\";\"klick\")", "<img src=x onerror=alert(1)>", "[klick](javascript:alert(1))",
                           "+49 30 1234", "@SUM(A1)", "-2+3"]

    @Test func namesReachTablesAndProfilesAsText() throws {
        let (folder, out) = try DifferencingTests.run { header, lines in
            let name = header.firstIndex(of: "PLR_NAME")!
            for i in lines.indices { lines[i][name] = "\"" + Self.payloads[i % Self.payloads.count].replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        for dialect in ["tables/areas.csv", "tables/attention_areas.csv"] {
            let t = try CSVTable(contentsOf: out.appendingPathComponent(dialect))
            let names = t.rows.map { $0[1] }
            #expect(!names.isEmpty)
            for name in names {
                let original = name.hasPrefix("'") ? String(name.dropFirst()) : name
                #expect(Self.payloads.contains(original), "\(name)")
                #expect(!["=", "+", "-", "@"].contains(name.first.map(String.init) ?? ""), "\(dialect): \(name)")
            }
        }
        let pages = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("profiles").path)
        var listed = 0
        for page in pages where page.hasSuffix(".md") {
            let text = try String(contentsOf: out.appendingPathComponent("profiles/\(page)"), encoding: .utf8)
            // An unescaped `<` or `](` would be markup; escaped ones are preceded by a backslash.
            #expect(text.firstMatch(of: /(^|[^\\])(<|\]\()/) == nil, "\(page)")
            listed += text.components(separatedBy: "\\<img src=x onerror=alert(1)\\>").count - 1
                + text.components(separatedBy: "\\[klick\\](javascript:alert(1))").count - 1
        }
        #expect(listed > 0, "the attention areas' names are listed, escaped")
    }
}

/// Real inputs that were misread without a word, or refused though they are what Excel writes (#27): each is read
/// right, or refused with its place and the key to set.
@Suite struct MisreadTests {
    /// A folder with `table` (bytes) as `t.csv` and a config reading it (`extra` appended to `[input]`); runs
    /// `sozmon run` and returns its status, error text and `areas.csv` rows (area id → row by column name).
    static func run(_ table: [UInt8], extra: String = "", after: String = "") throws
        -> (status: Int32, error: String, areas: [String: [String: String]], rows: Int) {
        try run(table, config: """
            [input]
            table = "t.csv"
            area_id = "id"
            population = "EW"
            period = "year"
            \(extra)
            [indicators.S1]
            label = "Arbeitslosigkeit"
            unit = "%"
            [[index]]
            name = "status"
            preset = "mss-status"
            indicators = ["S1"]
            \(after)
            """)
    }

    /// A folder with `table` as `t.csv` and `config` as its config, run; the areas as `run` returns them, and how
    /// many rows `areas.csv` has.
    static func run(_ table: [UInt8], config: String) throws
        -> (status: Int32, error: String, areas: [String: [String: String]], rows: Int) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-misread-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(table).write(to: folder.appendingPathComponent("t.csv"))
        try config.write(to: folder.appendingPathComponent("c.toml"), atomically: false, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        let run = try CLITests().sozmon("run", folder.appendingPathComponent("c.toml").path, "--out", out.path, "--quiet")
        var areas: [String: [String: String]] = [:], rows = 0
        if run.status == 0 {
            let t = try CSVTable(contentsOf: out.appendingPathComponent("tables/areas.csv"))
            for row in t.rows { areas[row[0]] = Dictionary(uniqueKeysWithValues: zip(t.header, row)) }
            rows = t.rows.count
        }
        return (run.status, run.error, areas, rows)
    }

    static let rows = [("01010101", "6547", "3.74"), ("01010102", "12201", "4.5"), ("01010201", "900", "4.1")]

    static func table(separator: String = ",", population: (String) -> String = { $0 }, share: (String) -> String = { $0 },
                      lineBreak: String = "\n") -> String {
        (["id", "year", "EW", "S1"].joined(separator: separator) + lineBreak)
            + rows.map { [$0.0, "2024", population($0.1), share($0.2)].joined(separator: separator) + lineBreak }.joined()
    }

    @Test func aPointBetweenThousandsIsNotAFraction() throws {
        let run = try Self.run(Array(Self.table(separator: ";", population: { $0.count > 3 ? $0.dropLast(3) + "." + $0.suffix(3) : $0 }).utf8))
        #expect(run.status == 65)
        #expect(run.error.contains("t.csv:2:3: population '6.547' in column 'EW' is not a whole number"), "\(run.error)")
        #expect(run.error.contains("thousands = \".\""), "\(run.error)")
    }

    @Test func countColumnsHoldWholeNumbers() throws {
        let table = "id,year,EW,S1,N,D\n01010101,2024,6547,3.74,2.5,4000\n01010102,2024,12201,4.5,300,8000\n01010201,2024,900,4.1,20,600\n"
        let run = try Self.run(Array(table.utf8), extra: "[input.counts]\nQ = [\"N\", \"D\"]")
        #expect(run.status == 65)
        #expect(run.error.contains("column 'N' counts people, but area 01010101 has 2.5 in 2024; expected a whole number"), "\(run.error)")
    }

    @Test func aShareAboveAHundredIsAWarning() throws {
        let run = try Self.run(Array(Self.table(share: { $0 == "4.5" ? "374" : $0 }).utf8))
        #expect(run.status == 0, "\(run.error)")
        #expect(run.error.contains("S1 is a share in %, but 1 values are above 100 (01010102 in 2024: 374)"), "\(run.error)")
    }

    @Test func aFlatListNeedsNoLevelNames() throws {
        let run = try Self.run(Array(Self.table().utf8), extra: "hierarchy = []")
        #expect(run.status == 0, "\(run.error)")
        #expect(run.areas.count == 3)
    }

    /// Excel's "Unicode text": UTF-16 (either byte order) with a byte-order mark, tab-separated, CRLF.
    @Test(arguments: [false, true]) func utf16WithAByteOrderMark(bigEndian: Bool) throws {
        let text = Self.table(separator: "\t", share: { $0.replacingOccurrences(of: ".", with: ",") }, lineBreak: "\r\n")
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 { bytes += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let run = try Self.run(bytes)
        #expect(run.status == 0, "\(run.error)")
        #expect(run.areas["01010102"]?["population"] == "12201" && run.areas["01010101"]?["S1"] == "3.74", "\(run.areas)")
    }

    /// Excel's first line `sep=;` says the separator.
    @Test func excelsSeparatorLine() throws {
        let run = try Self.run(Array(("sep=;\n" + Self.table(separator: ";", share: { $0.replacingOccurrences(of: ".", with: ",") })).utf8))
        #expect(run.status == 0, "\(run.error)")
        #expect(run.areas["01010101"]?["S1"] == "3.74", "\(run.areas)")
    }

    /// No-break spaces between thousands (U+00A0, U+202F, as spreadsheets write them) and a percent sign.
    @Test func noBreakSpacesAndPercentSigns() throws {
        let nbsp = ["6547": "6\u{00A0}547", "12201": "12\u{202F}201"]
        let run = try Self.run(Array(Self.table(separator: ";", population: { nbsp[$0] ?? $0 },
                                                share: { $0.replacingOccurrences(of: ".", with: ",") + " %" }).utf8))
        #expect(run.status == 0, "\(run.error)")
        #expect(run.areas["01010102"]?["population"] == "12201" && run.areas["01010101"]?["S1"] == "3.74", "\(run.areas)")
        // A thin space is not read as a thousands separator: the message names it.
        let thin = try Self.run(Array(Self.table(separator: ";", population: { $0 == "6547" ? "6\u{2009}547" : $0 }).utf8))
        #expect(thin.status == 65 && thin.error.contains("U+2009 (a thin space)"), "\(thin.error)")
    }

    /// A named pipe as an input is refused (66) at once: it was opened up to three times, and the run hung.
    @Test func aNamedPipeIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(mkfifo(folder.appendingPathComponent("t.csv").path, 0o600) == 0)
        try "[input]\ntable = \"t.csv\"\narea_id = \"id\"\n[[index]]\nname = \"status\"\nindicators = [\"S1\"]\n".write(to: folder.appendingPathComponent("c.toml"), atomically: false, encoding: .utf8)
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["run", folder.appendingPathComponent("c.toml").path, "--out", folder.appendingPathComponent("out").path]
        let err = Pipe()
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { process.terminate(); Issue.record("still running after 30 s") }
        process.waitUntilExit()
        let error = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 66 && error.contains("is not a regular file"), "\(error)")
    }
}

/// Rows that hold totals (`input.totals`, `input.city_total`): left out of the areas, compared with their sums.
@Suite struct TotalsRowTests {
    /// A Berlin-style table ending with two Bezirk rows and "Berlin insgesamt" (00000000), whose population is 2 off.
    @Test func totalsRowsAreLeftOutAndChecked() throws {
        let table = "id,year,EW,S1\n01010101,2024,6547,3.74\n01010102,2024,12201,4.5\n02010201,2024,900,4.1\n"
            + "01,2024,18748,4.2\n02,2024,900,4.1\n00000000,2024,19650,4.3\n"
        let run = try MisreadTests.run(Array(table.utf8), extra: "totals = [\"01\", \"02\"]\ncity_total = \"00000000\"")
        #expect(run.status == 0, "\(run.error)")
        #expect(Set(run.areas.keys) == ["01010101", "01010102", "02010201"])
        #expect(run.error.contains("t.csv:7: the total of the city in 2024 has EW 19650; its 3 areas add up to 19648"), "\(run.error)")
        #expect(!run.error.contains("t.csv:5") && !run.error.contains("t.csv:6"), "the Bezirk totals agree: \(run.error)")
        // A totals id the table does not have (a typo) is refused: the row meant would stay an area in silence.
        let typo = try MisreadTests.run(Array(table.utf8), extra: "totals = [\"01\", \"2\"]\ncity_total = \"00000000\"")
        #expect(typo.status == 65 && typo.error.contains("input.totals names '2', which the table has no row of"), "\(typo.error)")
        // Without the keys, the totals row is an area and changes the classes: it is what the keys are for.
        let plain = try MisreadTests.run(Array(table.utf8))
        #expect(plain.status != 0 || plain.areas["00000000"] != nil)
    }

    /// Hamburg's Stadtteilprofile: 99 Stadtteile, then the 7 Bezirke and "Hamburg" as rows of the same table;
    /// "Eimsbüttel" is a Stadtteil and a Bezirk (refused at line 103 as a repeated id before).
    @Test(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipMessage)))
    func hamburgStadtteileWithTheirTotals() throws {
        let data = try [UInt8](Data(contentsOf: SharedData.url(
            "hamburg-stadtteilprofile-2014/Daten_fuer_die_Stadtteilprofile_2014.csv")))
        let bezirke = ["Hamburg-Mitte", "Altona", "Eimsbüttel", "Hamburg-Nord", "Wandsbek", "Bergedorf", "Harburg"]
        let run = try MisreadTests.run(data, config: """
            [input]
            table = "t.csv"
            area_id = "Stadtgebiet"
            population = "Bevölkerung"
            hierarchy = []
            totals = [\(bezirke.map { "\"\($0)\"" }.joined(separator: ", "))]
            city_total = "Hamburg"
            [[index]]
            name = "status"
            preset = "mss-status"
            indicators = ["Arbeitslosenanteil in % (Dez 2013)", "Anteil der Leistungs-empfänger/-innen nach SGB II in % (Dez 2013)"]
            """)
        #expect(run.status == 0, "\(run.error)")
        #expect(run.rows == 99 && run.areas.count == 99, "Eimsbüttel once, as a Stadtteil")
        #expect(run.areas["Eimsbüttel"] != nil && run.areas["Hamburg"] == nil)
        // The Bezirke total no unit of a flat list: named, not checked; the city's total is checked.
        #expect(run.error.contains("t.csv:103: the totals row 'Eimsbüttel' is no unit of the hierarchy"), "\(run.error)")
        #expect(run.error.contains("t.csv:108: the total of the city has Bevölkerung 1788994; its 99 areas add up to"), "\(run.error)")
    }
}
