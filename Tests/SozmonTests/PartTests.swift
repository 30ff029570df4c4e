import AreaData
import Foundation
import Sozmon
import SozmonIO
import Testing

/// One edition in passes over parts (`sozmon part`, what integrations/dask runs on a cluster) against `sozmon run`
/// on the whole table: a generated city of 3 000 areas, three indices (MSS status and dynamics, a population-weighted
/// index with a minimum share), split into 1, 3 and 7 parts.
@Suite(.serialized) struct PartTests {
    static let folder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-part-tests")
        try? FileManager.default.removeItem(at: folder)
        let city = folder.appendingPathComponent("city")
        _ = try! GenerateJob(areaCount: 3000, years: 2022...2024, quarters: nil, seed: 5, output: city).run(progress: ProgressLine(quiet: true))
        // The generated index edition, and a population-weighted index with a minimum share.
        let generated = try! String(contentsOf: city.appendingPathComponent("index.toml"), encoding: .utf8)
        try! (generated + """

            [[index]]
            name = "gewichtet"
            normalization = "z-weighted"
            indicators = ["S1", "S2", "S4", "K1"]
            min_share = 0.7

            """).write(to: city.appendingPathComponent("index.toml"), atomically: false, encoding: .utf8)
        _ = try! RunJob(configURL: city.appendingPathComponent("index.toml"))
            .run(output: folder.appendingPathComponent("single"))
        return folder
    }()

    static var config: URL { folder.appendingPathComponent("city/index.toml") }

    /// The passes as the Dask driver runs them, in process, in `work`; returns the report folder.
    /// A city generated afresh into `name` under the test folder, with a quarterly table.
    func generatedCity(_ name: String, areas: Int, years: ClosedRange<Int>, quarters: ClosedRange<Period>, seed: UInt64) throws -> URL {
        let folder = Self.folder.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: folder)
        _ = try GenerateJob(areaCount: areas, years: years, quarters: quarters, seed: seed, output: folder).run(progress: ProgressLine(quiet: true))
        return folder
    }

    /// With `partTablesLeft`, finish leaves the parts' tables to the caller, and the parts' folders lack them (as on
    /// the Dask worker that runs finish).
    func distributed(parts count: Int, config: URL = Self.config, work: URL? = nil, partTablesLeft: Bool = false) throws -> URL {
        let work = work ?? Self.folder.appendingPathComponent("parts-\(count)")
        try? FileManager.default.removeItem(at: work)
        let names = try PartJob(configURL: config).split(into: count, folder: work.appendingPathComponent("parts"))
        let parts = names.map { work.appendingPathComponent("parts/\($0)") }
        let jobs = try parts.map { try PartJob(configURL: config, part: $0) }
        let first = try PartMoments.merge(try jobs.map { try $0.stats() })
        let second = try PartMoments.merge(try jobs.map { try $0.stats(moments: first) })
        let outputs = parts.indices.map { work.appendingPathComponent("out/\($0)") }
        for (job, output) in zip(jobs, outputs) { _ = try job.apply(moments: second, output: output) }
        // [spatial]: gather (split wrote order.csv), each part's statistics, then finish with them.
        let order = work.appendingPathComponent("parts/order.csv")
        var spatial: [URL] = [], gathered: URL?
        if FileManager.default.fileExists(atPath: outputs[0].appendingPathComponent("values.csv").path) {
            gathered = work.appendingPathComponent("gathered")
            try PartJob(configURL: config).gather(parts: outputs, order: order, output: gathered!)
            spatial = outputs.indices.map { work.appendingPathComponent("spatial/\($0)") }
            for (k, folder) in spatial.enumerated() { try PartJob(configURL: config).spatial(gathered: gathered!, part: k + 1, output: folder) }
        }
        let report = work.appendingPathComponent("report")
        if partTablesLeft { for output in outputs { try FileManager.default.removeItem(at: output.appendingPathComponent("tables")) } }
        _ = try PartJob.finish(configURL: config, parts: outputs, moments: second, spatial: spatial, gathered: gathered,
                               split: work.appendingPathComponent("parts"), partTablesLeft: partTablesLeft, output: report)
        return report
    }

    /// `finish --without-part-tables` (integrations/dask streams the parts' tables into the report itself): the parts'
    /// folders need not hold their tables; every other file is the full finish's, `run.json` byte for byte (with each
    /// part's checksum of each table the caller writes); refused where Parquet is asked for (finish types those tables).
    @Test func finishCanLeaveThePartTablesToTheCaller() throws {
        let full = try distributed(parts: 3)
        let left = try distributed(parts: 3, work: Self.folder.appendingPathComponent("left"), partTablesLeft: true)
        let written = AtomicFolder.files(in: left.appendingPathComponent("tables")).sorted()
        let parts = ["areas.csv", "attention_areas.csv", "summary_bezirk.csv", "summary_bezirksregion.csv", "summary_prognoseraum.csv"]
        #expect(written == AtomicFolder.files(in: full.appendingPathComponent("tables")).filter { !parts.contains($0) }.sorted())
        #expect(written.contains("diagnostics_status.csv"))
        for name in written + ["../run.json"] {
            #expect(try Data(contentsOf: left.appendingPathComponent("tables/\(name)")) == Data(contentsOf: full.appendingPathComponent("tables/\(name)")), "\(name)")
        }
        let manifest = try String(contentsOf: left.appendingPathComponent("run.json"), encoding: .utf8)
        #expect(parts.allSatisfy { manifest.contains("\"tables\\/\($0)\"") && manifest.contains("\"\($0)\" : \"") })
        // With "parquet": refused, nothing written.
        let parquet = Self.folder.appendingPathComponent("city/parquet.toml")
        try (try String(contentsOf: Self.config, encoding: .utf8).replacingOccurrences(of: "formats = [\"csv\"]", with: "formats = [\"csv\", \"parquet\"]"))
            .write(to: parquet, atomically: false, encoding: .utf8)
        let report = Self.folder.appendingPathComponent("left/parquet-report")
        #expect { _ = try PartJob.finish(configURL: parquet, parts: [], partTablesLeft: true, output: report) } throws: {
            "\($0)".contains("\"parquet\": finish types the parts' tables")
        }
        #expect(!FileManager.default.fileExists(atPath: report.path))
    }

    /// `[trends]` and `[quarters]` over parts, on a generated city with a quarterly table (2021Q1–2024Q4): the
    /// quarterly table split into the same parts as the annual one, trends per area in the parts, q-values,
    /// `deteriorating` and `significant_deterioration` over all areas at finish — every text identical to the single
    /// run's, numbers within 1e-12; also with the quarterly table's rows shuffled (its own order of areas), in the
    /// German dialect, and with the trends read from the indicator table itself (annual, two methods).
    @Test(arguments: [(3, false, false, false), (5, true, true, false), (1, true, false, false), (4, false, false, true)])
    func trendPartsEqualTheSingleRun(_ count: Int, _ shuffled: Bool, _ german: Bool, _ annual: Bool) throws {
        let folder = try generatedCity("trends-\(count)-\(shuffled)-\(german)-\(annual)", areas: 1500, years: 2020...2024,
                                       quarters: Period.quarter(2021, 1)...Period.quarter(2024, 4), seed: 9)
        let quarterly = folder.appendingPathComponent("indicators_quarterly.csv")
        var lines = try String(contentsOf: quarterly, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines.removeFirst()
        if shuffled {
            var generator = SystemRandomNumberGenerator()
            lines.shuffle(using: &generator)
        }
        var dialect = ""
        if german {
            lines = ([header] + lines).map { $0.split(separator: ",", omittingEmptySubsequences: false).map { field in
                Double(field) != nil ? field.replacingOccurrences(of: ".", with: ",") : String(field)
            }.joined(separator: ";") }
            lines.removeFirst()
            dialect = "separator = \";\"\ndecimal = \",\"\n"
        }
        let head = german ? header.replacingOccurrences(of: ",", with: ";") : header
        try ([head] + lines).joined(separator: "\n").appending("\n").write(to: quarterly, atomically: false, encoding: .utf8)
        let url = folder.appendingPathComponent("index.toml")
        let section = annual ? """

            [trends]
            indicators = ["S1", "S4"]
            methods = ["ols", "mann-kendall"]

            """ : """

            [trends]
            table = "indicators_quarterly.csv"
            indicators = ["S1", "S3", "S4"]
            methods = ["ols", "mann-kendall", "theil-sen", "seasonal-mann-kendall"]
            higher_is_better = ["S3"]
            \(dialect)
            [quarters]
            indicators = ["S1", "S4"]

            """
        try (try String(contentsOf: url, encoding: .utf8) + section).write(to: url, atomically: false, encoding: .utf8)
        _ = try RunJob(configURL: url).run(output: folder.appendingPathComponent("single"))
        let report = try distributed(parts: count, config: url, work: folder.appendingPathComponent("work"))
        for name in annual ? ["trends"] : ["trends", "quarters"] {
            let single = try CSVTable(contentsOf: folder.appendingPathComponent("single/tables/\(name).csv"))
            let parts = try CSVTable(contentsOf: report.appendingPathComponent("tables/\(name).csv"))
            #expect(parts.header == single.header && parts.rows.count == single.rows.count, "\(name)")
            var worst = 0.0, differing = 0
            for (a, b) in zip(parts.rows, single.rows) {
                for (x, y) in zip(a, b) where x != y {
                    if let u = Double(x), let v = Double(y) { worst = max(worst, abs(u - v) / max(1, abs(v))) } else {
                        differing += 1
                        if differing < 5 { Issue.record("\(name) \(a[0]) \(a[1]) \(a[2]): \(x) against \(y)") }
                    }
                }
            }
            #expect(differing == 0 && worst < 1e-12, "\(name), \(count) parts: \(differing) cells differ, worst \(worst)")
        }
        let trends = try CSVTable(contentsOf: report.appendingPathComponent("tables/trends.csv")).rows
        #expect(trends.contains { $0[19] == "true" } && trends.contains { $0[19] == "false" }, "a test that can tell")
    }

    /// Parquet of the trend tables from parts: a row group per indicator, typed by all the table's cells. With one
    /// indicator the file is a single row group, byte for byte the single run's `trends.parquet` and `quarters.parquet`
    /// (with two, the files differ in their row groups: 325 961 against 313 530 bytes).
    @Test func trendParquetOfPartsIsTheSingleRuns() throws {
        let folder = try generatedCity("trend-parquet", areas: 900, years: 2020...2024,
                                       quarters: Period.quarter(2022, 1)...Period.quarter(2024, 4), seed: 5)
        let url = folder.appendingPathComponent("index.toml")
        let config = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "formats = [\"csv\"]", with: "formats = [\"csv\", \"parquet\"]")
        #expect(config.contains("\"parquet\""), "the generated config's formats changed")
        try (config + """

            [trends]
            table = "indicators_quarterly.csv"
            indicators = ["S4"]
            methods = ["ols", "mann-kendall", "theil-sen"]

            [quarters]
            indicators = ["S4"]

            """).write(to: url, atomically: false, encoding: .utf8)
        _ = try RunJob(configURL: url).run(output: folder.appendingPathComponent("single"))
        let report = try distributed(parts: 3, config: url, work: folder.appendingPathComponent("work"))
        for name in ["trends", "quarters"] {
            let single = try Data(contentsOf: folder.appendingPathComponent("single/parquet/\(name).parquet"))
            let parts = try Data(contentsOf: report.appendingPathComponent("parquet/\(name).parquet"))
            #expect(parts == single, "\(name).parquet: \(parts.count) bytes against \(single.count)")
        }
    }

    /// `[spatial]` over parts: global Moran from the parts' merged sums, local Moran and G* rows from the parts with
    /// their halos, q-values over all areas — equal to the single run: texts (quadrants, p-values of the conditional
    /// permutations, q-values, significance, cluster types) identical, numbers within 1e-12. Queen contiguity of the
    /// polygons, row-standardised; k nearest neighbours (not symmetric), binary; the rook neighbour list; and a table
    /// whose rows are shuffled (the parts' areas interleave: split records the order, gather restores it).
    @Test(arguments: [("queen", 3, false), ("knn", 4, false), ("neighbours", 7, true), ("queen", 1, true)])
    func spatialPartsEqualTheSingleRun(_ weights: String, _ count: Int, _ shuffled: Bool) throws {
        let folder = Self.folder.appendingPathComponent("spatial-\(weights)-\(count)-\(shuffled)")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.copyItem(at: Self.folder.appendingPathComponent("city"), to: folder)
        if shuffled {
            let table = folder.appendingPathComponent("indicators_annual.csv")
            var lines = try String(contentsOf: table, encoding: .utf8).split(separator: "\n").map(String.init)
            let header = lines.removeFirst()
            var generator = SystemRandomNumberGenerator()
            lines.shuffle(using: &generator)
            try ([header] + lines).joined(separator: "\n").appending("\n").write(to: table, atomically: false, encoding: .utf8)
        }
        let section = switch weights {
        case "knn": "weights = \"knn\"\nk = 5\ntransform = \"binary\"\n"
        case "neighbours": "weights = \"neighbours\"\n"
        default: "weights = \"queen\"\n"
        }
        let url = folder.appendingPathComponent("index.toml")
        var config = try String(contentsOf: url, encoding: .utf8)
        if weights == "neighbours" {
            config = config.replacingOccurrences(of: "geometry = \"planungsraeume.geojson\"\ngeometry_id = \"PLR_ID\"\n", with: "neighbours = \"neighbours.csv\"\n")
        }
        try (config + "\n[spatial]\nvariables = [\"status_value\", \"S4\", \"gewichtet_value\"]\n" + section + "permutations = 199\nseed = 7\n")
            .write(to: url, atomically: false, encoding: .utf8)
        _ = try RunJob(configURL: url).run(output: folder.appendingPathComponent("single"))
        let report = try distributed(parts: count, config: url, work: folder.appendingPathComponent("work"))
        for name in ["spatial_global", "spatial_local"] {
            let single = try CSVTable(contentsOf: folder.appendingPathComponent("single/tables/\(name).csv"))
            let parts = try CSVTable(contentsOf: report.appendingPathComponent("tables/\(name).csv"))
            #expect(parts.header == single.header && parts.rows.count == single.rows.count, "\(name)")
            // The statistics (from index values that differ in the last bits) within 1e-12; the rest identical.
            let measured: Set<String> = name == "spatial_global" ? Set(single.header).subtracting(["p_sim"]) : ["local_i", "gi_star", "gi_star_z"]
            var worst = 0.0, differing = 0
            for (a, b) in zip(parts.rows, single.rows) {
                for (k, (x, y)) in zip(a, b).enumerated() where x != y {
                    if measured.contains(single.header[k]), let u = Double(x), let v = Double(y) {
                        worst = max(worst, abs(u - v) / max(1, abs(v)))
                    } else {
                        differing += 1
                        if differing < 5 { Issue.record("\(name) \(a[0]) \(a[1]): \(x) against \(y)") }
                    }
                }
            }
            #expect(differing == 0 && worst < 1e-12, "\(name), \(weights), \(count) parts: \(differing) cells differ, worst \(worst)")
        }
        let rows = try CSVTable(contentsOf: report.appendingPathComponent("tables/spatial_local.csv")).rows
        #expect(rows.contains { $0[6] == "true" } && rows.contains { $0[6] == "false" }, "a test that can tell")
    }

    @Test(arguments: [1, 3, 7, 500])
    func partsEqualTheSingleRun(_ count: Int) throws {
        let report = try distributed(parts: count)
        for name in ["areas", "attention_areas", "summary_bezirk", "summary_prognoseraum", "summary_bezirksregion",
                     "diagnostics_status", "diagnostics_dynamik", "diagnostics_gewichtet"] {
            let single = try CSVTable(contentsOf: Self.folder.appendingPathComponent("single/tables/\(name).csv"))
            let parts = try CSVTable(contentsOf: report.appendingPathComponent("tables/\(name).csv"))
            #expect(parts.header == single.header, "\(name): header")
            // Rows by their id (the diagnostics, whose first column repeats, in their order).
            let keyed = Set(single.rows.map { $0[0] }).count == single.rows.count
            let byID = keyed ? Dictionary(uniqueKeysWithValues: single.rows.map { ($0[0], $0) }) : [:]
            #expect(parts.rows.count == single.rows.count && (!keyed || Set(parts.rows.map { $0[0] }) == Set(byID.keys)), "\(name): rows")
            var worst = 0.0
            for (k, row) in parts.rows.enumerated() {
                guard let other = keyed ? byID[row[0]] : single.rows[k] else { continue }
                for (a, b) in zip(row, other) where a != b {
                    if let x = Double(a), let y = Double(b) { worst = max(worst, abs(x - y) / max(1, abs(y))) } else {
                        Issue.record("\(name) \(row[0]): \(a) against \(b)")
                    }
                }
            }
            #expect(worst < 1e-12, "\(name), \(count) parts: worst difference \(worst)")
        }
        // More parts than Bezirke: as many parts as Bezirke, none empty.
        let bezirke = Set(try CSVTable(contentsOf: Self.folder.appendingPathComponent("single/tables/areas.csv")).rows.map { $0[0].prefix(2) }).count
        let manifest = try String(contentsOf: report.appendingPathComponent("run.json"), encoding: .utf8)
        #expect(manifest.contains("\"mode\" : \"parts\"") && manifest.components(separatedBy: "\"folder\"").count - 1 == min(count, bezirke))
    }

    /// Disclosure control over parts suppresses the same cells as the single run: partners are searched within an
    /// area's top-level unit, which a part holds whole. Small populations planted in six Bezirke (alone in a
    /// Bezirksregion, beside others, two in one region).
    @Test func disclosureInPartsEqualsTheSingleRun() throws {
        let folder = Self.folder.appendingPathComponent("planted")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.copyItem(at: Self.folder.appendingPathComponent("city"), to: folder)
        let table = folder.appendingPathComponent("indicators_annual.csv")
        var lines = try String(contentsOf: table, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let (period, people) = (header.firstIndex(of: "ZEIT")!, header.firstIndex(of: "EW")!)
        // The first 2024 rows of six Bezirke get 1 or 2 inhabitants, and the first Bezirk's second row too.
        let rows = lines.indices.dropFirst().filter { lines[$0].split(separator: ",", omittingEmptySubsequences: false)[period] == "2024" }
        let byBezirk = Dictionary(grouping: rows) { lines[$0].prefix(2) }
        let bezirke = byBezirk.keys.sorted().prefix(6)
        let chosen = bezirke.flatMap { b in byBezirk[b]!.prefix(b == bezirke.first! ? 2 : 1) }
        for (n, k) in chosen.enumerated() {
            var fields = lines[k].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[people] = String(1 + n % 2)
            lines[k] = fields.joined(separator: ",")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: table, atomically: false, encoding: .utf8)
        let config = folder.appendingPathComponent("index.toml")
        let single = folder.appendingPathComponent("single")
        _ = try RunJob(configURL: config).run(output: single)
        let report = try distributed(parts: 3, config: config, work: folder.appendingPathComponent("work"))
        for name in ["areas", "summary_bezirk", "summary_prognoseraum", "summary_bezirksregion"] {
            let a = try CSVTable(contentsOf: single.appendingPathComponent("tables/\(name).csv"))
            let b = try CSVTable(contentsOf: report.appendingPathComponent("tables/\(name).csv"))
            let dots = { (t: CSVTable) in t.rows.flatMap { row in row.indices.filter { row[$0] == "." }.map { "\(row[0]):\($0)" } } }
            #expect(Set(dots(a)) == Set(dots(b)), "\(name): the same cells suppressed")
            #expect(!dots(a).isEmpty || name == "summary_bezirk", "\(name): something is suppressed")
        }
    }

    /// A table in the German spreadsheet dialect (semicolons, decimal commas, Windows-1252, a name with an umlaut and a
    /// quoted semicolon) is split byte for byte and read back with its dialect: the same tables as a single run.
    @Test func partsKeepTheTablesDialect() throws {
        let city = Self.folder.appendingPathComponent("city")
        let german = Self.folder.appendingPathComponent("german")
        try? FileManager.default.removeItem(at: german)
        try FileManager.default.createDirectory(at: german, withIntermediateDirectories: true)
        let lines = try String(contentsOf: city.appendingPathComponent("indicators_annual.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let text = lines.enumerated().map { k, line in
            line.split(separator: ",", omittingEmptySubsequences: false).enumerated().map { j, field in
                if j == 1 && k == 1 { return "\"Grün; Süd\"" }
                return Double(field) != nil && field.contains(".") ? field.replacingOccurrences(of: ".", with: ",") : String(field)
            }.joined(separator: ";")
        }.joined(separator: "\r\n") + "\r\n"
        try text.data(using: .windowsCP1252)!.write(to: german.appendingPathComponent("indicators_annual.csv"))
        let config = try String(contentsOf: Self.config, encoding: .utf8)
            .replacingOccurrences(of: "[input]\n", with: "[input]\nseparator = \";\"\ndecimal = \",\"\nencoding = \"windows-1252\"\n")
            .replacingOccurrences(of: "geometry = \"planungsraeume.geojson\"\ngeometry_id = \"PLR_ID\"\n", with: "")
        let url = german.appendingPathComponent("index.toml")
        try config.write(to: url, atomically: false, encoding: .utf8)
        _ = try RunJob(configURL: url).run(output: german.appendingPathComponent("single"))
        let report = try distributed(parts: 3, config: url, work: german.appendingPathComponent("work"))
        let single = try CSVTable(contentsOf: german.appendingPathComponent("single/tables/areas.csv"))
        let parts = try CSVTable(contentsOf: report.appendingPathComponent("tables/areas.csv"))
        let byID = Dictionary(uniqueKeysWithValues: single.rows.map { ($0[0], $0) })
        #expect(parts.rows.count == single.rows.count && parts.rows.contains { $0[1] == "Grün; Süd" })
        let classes = single.header.indices.filter { single.header[$0].hasSuffix("_class") }
        #expect(parts.rows.allSatisfy { row in classes.allSatisfy { row[$0] == byID[row[0]]![$0] } })
    }

    /// Ids that lost their leading zero in a spreadsheet (Bezirk 01's areas written as 7-digit numbers) are read
    /// padded in the parts as in a single run, and split with their Bezirk: the same summaries; an excluded area the
    /// table lacks is refused by split, as by a single run.
    @Test func repairedIDsStayWithTheirUnit() throws {
        let damaged = Self.folder.appendingPathComponent("damaged")
        try? FileManager.default.removeItem(at: damaged)
        try FileManager.default.copyItem(at: Self.folder.appendingPathComponent("city"), to: damaged)
        let table = damaged.appendingPathComponent("indicators_annual.csv")
        let lines = try String(contentsOf: table, encoding: .utf8).split(separator: "\n")
        try (lines.enumerated().map { k, line in k % 3 == 1 && line.hasPrefix("0101") ? String(line.dropFirst()) : String(line) }
            .joined(separator: "\n") + "\n").write(to: table, atomically: false, encoding: .utf8)
        let url = damaged.appendingPathComponent("index.toml")
        _ = try RunJob(configURL: url).run(output: damaged.appendingPathComponent("single"))
        let report = try distributed(parts: 4, config: url, work: damaged.appendingPathComponent("work"))
        for name in ["summary_bezirk", "summary_prognoseraum"] {
            let single = try CSVTable(contentsOf: damaged.appendingPathComponent("single/tables/\(name).csv"))
            let parts = try CSVTable(contentsOf: report.appendingPathComponent("tables/\(name).csv"))
            #expect(Set(parts.rows.map { $0[0] }) == Set(single.rows.map { $0[0] }) && parts.rows.count == single.rows.count, "\(name)")
            let byID = Dictionary(uniqueKeysWithValues: single.rows.map { ($0[0], $0) })
            #expect(parts.rows.allSatisfy { $0[1] == byID[$0[0]]?[1] }, "\(name): the same areas per unit")
        }
        var config = try String(contentsOf: url, encoding: .utf8)
        config = config.replacingOccurrences(of: "min_population = 300", with: "min_population = 300\nexclude = [\"99999999\"]")
        try config.write(to: url, atomically: false, encoding: .utf8)
        #expect { try PartJob(configURL: url).split(into: 2, folder: damaged.appendingPathComponent("p2")) } throws: {
            "\($0)".contains("eligibility.exclude names area 99999999")
        }
    }

    /// Trend tables that a part run cannot put together are refused, naming the table: a quarterly table with a
    /// Bezirk the indicator table lacks (split), a part whose quarterly rows lack the last quarter (finish: the parts'
    /// trends would span other periods than the single run's), finish without the split folder.
    @Test func trendPassesRefuseWhatTheyCannotMatch() throws {
        let folder = try generatedCity("trends-wrong", areas: 800, years: 2022...2024,
                                       quarters: Period.quarter(2023, 1)...Period.quarter(2024, 4), seed: 4)
        let url = folder.appendingPathComponent("index.toml")
        try (try String(contentsOf: url, encoding: .utf8) + "\n[trends]\ntable = \"indicators_quarterly.csv\"\nindicators = [\"S1\"]\n")
            .write(to: url, atomically: false, encoding: .utf8)
        let quarterly = folder.appendingPathComponent("indicators_quarterly.csv")
        let original = try String(contentsOf: quarterly, encoding: .utf8)
        var lines = original.split(separator: "\n").map(String.init)
        // A Bezirk (99) only in the quarterly table.
        try (lines + ["99" + lines[1].dropFirst(2)]).joined(separator: "\n").appending("\n").write(to: quarterly, atomically: false, encoding: .utf8)
        #expect { try PartJob(configURL: url).split(into: 2, folder: folder.appendingPathComponent("p")) } throws: {
            "\($0)".contains("unit 99 is not in the indicator table")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("p").path))
        // Only the last Bezirk has the last quarter: the other parts' trends end a quarter earlier.
        let last = lines.dropFirst().compactMap { $0.split(separator: ",").dropFirst(2).first.map(String.init) }.max()!
        let lastBezirk = lines.dropFirst().map { $0.prefix(2) }.max()!
        lines = lines.filter { $0.hasPrefix(lastBezirk) || !$0.contains(",\(last),") }
        try lines.joined(separator: "\n").appending("\n").write(to: quarterly, atomically: false, encoding: .utf8)
        #expect { try distributed(parts: 3, config: url, work: folder.appendingPathComponent("work")) } throws: {
            "\($0)".contains("the parts' trends span different periods")
        }
        try original.write(to: quarterly, atomically: false, encoding: .utf8)
        _ = try distributed(parts: 3, config: url, work: folder.appendingPathComponent("work"))
        let outputs = (0..<3).map { folder.appendingPathComponent("work/out/\($0)") }
        #expect { try PartJob.finish(configURL: url, parts: outputs, output: folder.appendingPathComponent("r")) } throws: {
            "\($0)".contains("finish needs --split")
        }
    }

    /// The spatial verbs used wrongly: each refused with the file or option named, and no output left.
    @Test func spatialPassesRefuseWrongInputs() throws {
        let folder = Self.folder.appendingPathComponent("spatial-wrong")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.copyItem(at: Self.folder.appendingPathComponent("city"), to: folder)
        let url = folder.appendingPathComponent("index.toml")
        try (try String(contentsOf: url, encoding: .utf8) + "\n[spatial]\nvariables = [\"S4\"]\npermutations = 9\n")
            .write(to: url, atomically: false, encoding: .utf8)
        let names = try PartJob(configURL: url).split(into: 2, folder: folder.appendingPathComponent("parts"))
        let parts = names.map { folder.appendingPathComponent("parts/\($0)") }
        let jobs = try parts.map { try PartJob(configURL: url, part: $0) }
        let first = try PartMoments.merge(try jobs.map { try $0.stats() })
        let second = try PartMoments.merge(try jobs.map { try $0.stats(moments: first) })
        let outputs = parts.indices.map { folder.appendingPathComponent("out/\($0)") }
        for (job, output) in zip(jobs, outputs) { _ = try job.apply(moments: second, output: output) }
        let order = folder.appendingPathComponent("parts/order.csv"), gathered = folder.appendingPathComponent("gathered")
        let job = try PartJob(configURL: url)
        func refused(_ expected: String, _ body: () throws -> Void) {
            #expect { try body() } throws: { "\($0)".contains(expected) }
        }
        // The parts in another order than split's.
        refused("where part-0001.csv is expected") { try job.gather(parts: outputs.reversed(), order: order, output: gathered) }
        refused("part.json: is not the output of sozmon part apply on part-0002.csv") {
            try job.gather(parts: [outputs[0], folder], order: order, output: gathered)
        }
        refused("gather is for [spatial]") {
            try PartJob(configURL: Self.config).gather(parts: outputs, order: order, output: gathered)
        }
        #expect(!FileManager.default.fileExists(atPath: gathered.path))
        try job.gather(parts: outputs, order: order, output: gathered)
        refused("part-0003.weights.csv: is missing") { try job.spatial(gathered: gathered, part: 3, output: folder.appendingPathComponent("s3")) }
        refused("--part 0: parts are numbered from 1") { try job.spatial(gathered: gathered, part: 0, output: folder.appendingPathComponent("s3")) }
        let spatial = outputs.indices.map { folder.appendingPathComponent("spatial/\($0)") }
        for (k, output) in spatial.enumerated() { try job.spatial(gathered: gathered, part: k + 1, output: output) }
        let report = folder.appendingPathComponent("report")
        refused("finish needs --gathered") { _ = try PartJob.finish(configURL: url, parts: outputs, moments: second, output: report) }
        refused("finish needs --gathered") {
            _ = try PartJob.finish(configURL: url, parts: outputs, moments: second, spatial: [spatial[0]], gathered: gathered, output: report)
        }
        refused("finish takes no --spatial") {
            _ = try PartJob.finish(configURL: Self.config, parts: outputs, moments: second, spatial: spatial, gathered: gathered, output: report)
        }
        // Another part's statistics in the place of the first: its rows are not the first part's areas.
        refused("expected the row of area") {
            _ = try PartJob.finish(configURL: url, parts: outputs, moments: second, spatial: spatial.reversed(), gathered: gathered, output: report)
        }
        /// Refused while `file` has `text` in the place of `original`; then restored.
        func refusedEditing(_ file: URL, _ original: String, _ text: String, _ expected: String) throws {
            let content = try String(contentsOf: file, encoding: .utf8)
            try content.replacingOccurrences(of: original, with: text).write(to: file, atomically: false, encoding: .utf8)
            refused(expected) {
                _ = try PartJob.finish(configURL: url, parts: outputs, moments: second, spatial: spatial, gathered: gathered, output: report)
            }
            try content.write(to: file, atomically: false, encoding: .utf8)
        }
        // A part's statistics made with another seed (another config): refused, not a trap in the merge.
        try refusedEditing(spatial[1].appendingPathComponent("spatial.json"), "\"seed\":1", "\"seed\":2", "made with another seed")
        #expect(!FileManager.default.fileExists(atPath: report.path) && !FileManager.default.fileExists(atPath: folder.appendingPathComponent("s3").path))
        // A retried gather or part spatial whose output is committed already succeeds; a local.csv edited since is refused.
        try job.gather(parts: outputs, order: order, output: gathered)
        try job.spatial(gathered: gathered, part: 1, output: spatial[0])
        try refusedEditing(spatial[1].appendingPathComponent("local.csv"), ",HH,", ",LL,", "is not the output of sozmon part spatial --part 2")
        _ = try PartJob.finish(configURL: url, parts: outputs, moments: second, spatial: spatial, gathered: gathered, output: report)
        #expect(FileManager.default.fileExists(atPath: report.appendingPathComponent("tables/spatial_local.csv").path))
    }

    /// Part runs cannot publish a wrong edition (#27): every pass checks what it is given against the config's and the
    /// split's SHA-256 and the records' checksums; finish takes every part exactly once, in split's order, applied with
    /// the moments given and unchanged since. A retried apply (its output committed already) succeeds.
    @Test func passesRefuseWhatWouldPublishAWrongEdition() throws {
        let folder = Self.folder.appendingPathComponent("integrity")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let names = try PartJob(configURL: Self.config).split(into: 3, folder: folder.appendingPathComponent("parts"))
        let parts = names.map { folder.appendingPathComponent("parts/\($0)") }
        let jobs = try parts.map { try PartJob(configURL: Self.config, part: $0) }
        let stats = try jobs.map { try $0.stats() }
        let first = try PartMoments.merge(stats)
        let second = try PartMoments.merge(try jobs.map { try $0.stats(moments: first) })
        let outputs = parts.indices.map { folder.appendingPathComponent("out/\($0)") }
        for (job, output) in zip(jobs, outputs) { _ = try job.apply(moments: second, output: output) }
        let report = folder.appendingPathComponent("report")
        func refused(_ expected: String, _ body: () throws -> Void) {
            #expect { try body() } throws: { "\($0)".contains(expected) }
            #expect(!FileManager.default.fileExists(atPath: report.path))
        }
        func finish(_ given: [URL], moments: PartMoments? = second) throws {
            _ = try PartJob.finish(configURL: Self.config, parts: given, moments: moments, output: report)
        }
        refused("1 of the split's 3 parts are missing: part-0003.csv") { try finish(Array(outputs.prefix(2))) }
        refused("is part-0002.csv again") { try finish([outputs[0], outputs[1], outputs[1]]) }
        refused("where part-0001.csv is expected") { try finish([outputs[1], outputs[0], outputs[2]]) }
        refused("given twice to merge") { _ = try PartMoments.merge([stats[0], stats[1], stats[1]]) }
        refused("these moments are of 2 parts, the split has 3 (missing: part-0003.csv)") {
            _ = try jobs[0].stats(moments: try PartMoments.merge(Array(stats.prefix(2))))
        }
        // Another config: the parts were split for this one.
        let other = folder.appendingPathComponent("other.toml")
        try (try String(contentsOf: Self.config, encoding: .utf8) + "\n# edited\n").write(to: other, atomically: false, encoding: .utf8)
        refused("was split for another config") { _ = try PartJob(configURL: other, part: parts[0]) }
        // Moments of another city (another split of another table): refused by apply.
        let city = folder.appendingPathComponent("city2")
        _ = try GenerateJob(areaCount: 400, years: 2022...2024, quarters: nil, seed: 9, output: city).run(progress: ProgressLine(quiet: true))
        let otherConfig = city.appendingPathComponent("index.toml")
        let otherParts = try PartJob(configURL: otherConfig).split(into: 2, folder: city.appendingPathComponent("parts"))
        let otherJobs = try otherParts.map { try PartJob(configURL: otherConfig, part: city.appendingPathComponent("parts/\($0)")) }
        let otherFirst = try PartMoments.merge(try otherJobs.map { try $0.stats() })
        let otherSecond = try PartMoments.merge(try otherJobs.map { try $0.stats(moments: otherFirst) })
        refused("another config or another split") { _ = try jobs[0].apply(moments: otherSecond, output: report) }
        // One mean edited in the moments file.
        let file = folder.appendingPathComponent("m2.json")
        try second.write(to: file)
        let text = try String(contentsOf: file, encoding: .utf8)
        let edited = text.replacingOccurrences(of: #""mean" : (-?)([0-9])"#, with: "\"mean\" : $17$2", options: .regularExpression, range: nil)
        #expect(edited != text)
        try edited.write(to: file, atomically: false, encoding: .utf8)
        refused("was changed after sozmon wrote it") { _ = try PartMoments.read(file) }
        // A part file cut at a line boundary after stats.
        let table = try String(contentsOf: parts[2], encoding: .utf8)
        try (table.split(separator: "\n").dropLast(5).joined(separator: "\n") + "\n").write(to: parts[2], atomically: false, encoding: .utf8)
        refused("changed since split wrote it") { _ = try PartJob(configURL: Self.config, part: parts[2]) }
        try table.write(to: parts[2], atomically: false, encoding: .utf8)
        // A part's table edited after apply.
        let areas = outputs[1].appendingPathComponent("tables/areas.csv")
        let rows = try String(contentsOf: areas, encoding: .utf8)
        try rows.replacingOccurrences(of: ",true,", with: ",false,").write(to: areas, atomically: false, encoding: .utf8)
        refused("changed since apply wrote it") { try finish(outputs) }
        try rows.write(to: areas, atomically: false, encoding: .utf8)
        // Moments other than those the parts were applied with.
        refused("other moments than those given") { try finish(outputs, moments: first) }
        // A retried apply whose output is committed already succeeds and leaves it as it was.
        let before = try Data(contentsOf: outputs[0].appendingPathComponent("part.json"))
        _ = try jobs[0].apply(moments: second, output: outputs[0])
        #expect(try Data(contentsOf: outputs[0].appendingPathComponent("part.json")) == before)
        try finish(outputs)
        #expect(FileManager.default.fileExists(atPath: report.appendingPathComponent("tables/areas.csv").path))
    }

    /// A top-level unit is never cut: each Bezirk's areas are in one part.
    @Test func splitKeepsUnitsWhole() throws {
        let names = try PartJob(configURL: Self.config).split(into: 5, folder: Self.folder.appendingPathComponent("split-5"))
        var partOf: [String: String] = [:]
        for name in names {
            let table = try CSVTable(contentsOf: Self.folder.appendingPathComponent("split-5/\(name)"))
            for row in table.rows {
                let unit = String(row[0].prefix(2))
                #expect(partOf[unit, default: name] == name, "Bezirk \(unit) in two parts")
                partOf[unit] = name
            }
        }
        #expect(Set(partOf.values).count == 5)
    }

    /// `split --tables-only` on a worker that was given the config and its indicator table, nothing else (the Dask
    /// driver's `--data`): the same parts as the split beside every file; without the flag the missing geometry is
    /// refused up front, and a missing table is named when split reads it.
    @Test func aWorkerWithOnlyTheTablesSplits() throws {
        let worker = Self.folder.appendingPathComponent("worker-only-tables")
        try? FileManager.default.removeItem(at: worker)
        try FileManager.default.createDirectory(at: worker, withIntermediateDirectories: true)
        let config = worker.appendingPathComponent("index.toml")
        try FileManager.default.copyItem(at: Self.config, to: config)
        #expect { try PartJob(configURL: config, readsInputs: false).split(into: 3, folder: worker.appendingPathComponent("parts")) }
            throws: { "\($0)".contains("indicators_annual.csv") }
        try FileManager.default.copyItem(at: Self.folder.appendingPathComponent("city/indicators_annual.csv"),
                                         to: worker.appendingPathComponent("indicators_annual.csv"))
        #expect { try PartJob(configURL: config) } throws: { "\($0)".contains("planungsraeume.geojson") }
        let names = try PartJob(configURL: config, readsInputs: false).split(into: 3, folder: worker.appendingPathComponent("parts"))
        let beside = try PartJob(configURL: Self.config).split(into: 3, folder: Self.folder.appendingPathComponent("split-3"))
        #expect(names == beside)
        for name in names + ["split.json"] {
            let here = try Data(contentsOf: worker.appendingPathComponent("parts/\(name)"))
            #expect(here == (try Data(contentsOf: Self.folder.appendingPathComponent("split-3/\(name)"))), "\(name) differs")
        }
    }

    /// A part's CSV cell read back as the cell it was, for the report's Parquet files (finish): by its column's type,
    /// in either dialect; what does not fit is named.
    @Test func partCellsReadBackByTheirType() throws {
        func cell(_ field: String, _ type: StorageType, german: Bool = false) throws -> Table.Cell {
            try PartJob.cell(field, as: type, suppressedSymbol: ".", german: german) { InputError(file: "t.csv", line: 2, column: 3, message: "'\(field)' is not \($0)") }
        }
        #expect(try cell("01010101", .text) == .text("01010101"))
        #expect(try cell("", .real) == .empty && cell("", .text) == .empty)
        #expect(try cell(".", .integer) == .text(".") && cell("12", .integer) == .number(12))
        #expect(try cell("-0.46999999999999886", .real) == .number(-0.46999999999999886))
        #expect(try cell("-0,469999999999999", .real, german: true) == .number(-0.469999999999999))
        #expect(try cell("WAHR", .boolean, german: true) == .bool(true) && cell("false", .boolean) == .bool(false))
        #expect { try cell("viel", .real) } throws: { "\($0)".contains("t.csv:2:3") && "\($0)".contains("'viel' is not a number") }
        #expect { try cell("ja", .boolean) } throws: { "\($0)".contains("is not true or false") }
    }

    /// What a part run cannot compute is refused with the section; passes out of order are refused.
    @Test func refusesWhatItCannotDistribute() throws {
        let demo = try DemoData.configURL()
        #expect { try PartJob(configURL: demo) } throws: { "\($0)".contains("[hotspots] is not distributed") && "\($0)".contains("[clusters]")
            && !"\($0)".contains("[spatial]") && !"\($0)".contains("[trends]") }
        let names = try PartJob(configURL: Self.config).split(into: 2, folder: Self.folder.appendingPathComponent("split-2"))
        let job = try PartJob(configURL: Self.config, part: Self.folder.appendingPathComponent("split-2/\(names[0])"))
        let first = try job.stats()
        #expect(throws: InputError.self) { try job.apply(moments: first, output: Self.folder.appendingPathComponent("x")) }
        #expect(throws: InputError.self) { try job.stats(moments: try job.stats(moments: first)) }
        #expect(throws: InputError.self) { try PartMoments.merge([first, try job.stats(moments: first)]) }
        #expect(!FileManager.default.fileExists(atPath: Self.folder.appendingPathComponent("x").path))
    }
}
