import ArgumentParser
import Foundation
import Sozmon

/// `sozmon part …`: one edition in passes over parts of the areas (what `integrations/dask` runs on a cluster).
struct PartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "part",
        abstract: "One edition in passes over parts of the areas: split, stats (twice, with merge), apply, finish.",
        discussion: """
            sozmon part split CONFIG --parts N --out PARTS
            sozmon part stats CONFIG --part PARTS/part-0001.csv --out S1/part-0001.json        (each part)
            sozmon part merge S1/*.json --out M1.json
            sozmon part stats CONFIG --part PARTS/part-0001.csv --moments M1.json --out S2/part-0001.json
            sozmon part merge S2/*.json --out M2.json
            sozmon part apply CONFIG --part PARTS/part-0001.csv --moments M2.json --out OUT/part-0001
            sozmon part finish CONFIG OUT/part-0001 OUT/part-0002 … --moments M2.json [--split PARTS] --out REPORT
            (--split with [trends] or [quarters].) With [spatial], between apply and finish:
            sozmon part gather CONFIG OUT/part-0001 OUT/part-0002 … --order PARTS/order.csv --out GATHERED
            sozmon part spatial CONFIG --gathered GATHERED --part 1 --out SP/part-0001                  (each part)
            sozmon part finish … --gathered GATHERED --spatial SP/part-0001 --spatial SP/part-0002 … --out REPORT
            """,
        subcommands: [Split.self, Stats.self, Merge.self, Apply.self, Gather.self, Spatial.self, Finish.self])

    struct Split: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Split the indicator table into parts by the top level.")
        @Argument(help: "The TOML config of the edition.") var config: String
        @Option(help: "Number of parts.") var parts: Int
        @Option(help: "Folder for part-0001.csv … (written atomically).") var out: String
        @Flag(help: "Check only the tables split reads, not the config's other files (a worker that has only the tables).")
        var tablesOnly = false
        func run() throws {
            try runReportingErrors {
                let job = try PartJob(configURL: URL(fileURLWithPath: config), readsInputs: !tablesOnly)
                let names = try job.split(into: parts, folder: URL(fileURLWithPath: out))
                if names.count < parts {
                    printError("note: \(names.count) parts, not \(parts): a top-level unit is never cut, and there are not enough to fill more")
                }
                print(names.joined(separator: "\n"))
            }
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The moments of one part (first pass, or second with --moments).")
        @Argument(help: "The TOML config of the edition.") var config: String
        @Option(help: "A part table (from split).") var part: String
        @Option(help: "The merged moments of the first pass (for the second).") var moments: String?
        @Option(help: "The JSON file to write.") var out: String
        func run() throws {
            try runReportingErrors {
                let job = try PartJob(configURL: URL(fileURLWithPath: config), part: URL(fileURLWithPath: part))
                let given = try moments.map { try PartMoments.read(URL(fileURLWithPath: $0)) }
                try job.stats(moments: given).write(to: URL(fileURLWithPath: out))
            }
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Merge the moments of parts, in the order given.")
        @Argument(help: "The moments of the parts (from stats).") var files: [String]
        @Option(help: "The JSON file to write.") var out: String
        func run() throws {
            try runReportingErrors {
                try PartMoments.merge(files.map { try PartMoments.read(URL(fileURLWithPath: $0)) }).write(to: URL(fileURLWithPath: out))
            }
        }
    }

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A part's tables with the merged moments of both passes.")
        @Argument(help: "The TOML config of the edition.") var config: String
        @Option(help: "A part table (from split).") var part: String
        @Option(help: "The merged moments of the second pass.") var moments: String
        @Option(help: "Output folder of this part (written atomically).") var out: String
        func run() throws {
            try runReportingErrors {
                let job = try PartJob(configURL: URL(fileURLWithPath: config), part: URL(fileURLWithPath: part))
                let warnings = try job.apply(moments: try PartMoments.read(URL(fileURLWithPath: moments)), output: URL(fileURLWithPath: out))
                for warning in warnings { printError("warning: \(warning)") }
            }
        }
    }

    struct Gather: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "[spatial]: all areas' values in the table's order, and each part's rows of the weights with its halo.")
        @Argument(help: "The TOML config of the edition.") var config: String
        @Argument(help: "The output folders of the parts (from apply), in order.") var parts: [String]
        @Option(help: "order.csv of split.") var order: String
        @Option(help: "Output folder (written atomically).") var out: String
        func run() throws {
            try runReportingErrors {
                try PartJob(configURL: URL(fileURLWithPath: config), readsInputs: false).gather(
                    parts: parts.map { URL(fileURLWithPath: $0) }, order: URL(fileURLWithPath: order), output: URL(fileURLWithPath: out))
            }
        }
    }

    struct Spatial: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "[spatial]: one part's local statistics and Moran sums.")
        @Argument(help: "The TOML config of the edition.") var config: String
        @Option(help: "The folder gather wrote.") var gathered: String
        @Option(help: "The part's number (1, 2, … in the order given to gather).") var part: Int
        @Option(help: "Output folder of this part (written atomically).") var out: String
        func run() throws {
            try runReportingErrors {
                try PartJob(configURL: URL(fileURLWithPath: config), readsInputs: false).spatial(
                    gathered: URL(fileURLWithPath: gathered), part: part, output: URL(fileURLWithPath: out))
            }
        }
    }

    struct Finish: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The report folder from the parts' outputs, in the order given.")
        @Argument(help: "The TOML config of the edition.") var config: String
        @Argument(help: "The output folders of the parts (from apply), in order.") var parts: [String]
        @Option(help: "The merged moments of the second pass (for the diagnostics over all areas).") var moments: String?
        @Option(help: "[spatial]: the folder gather wrote.") var gathered: String?
        @Option(help: "[spatial]: the output of part spatial of each part, in order (repeated).") var spatial: [String] = []
        @Option(help: "[trends]/[quarters]: the folder split wrote.") var split: String?
        @Flag(help: """
            Leave the parts' tables (areas, summaries …) to the caller: the parts' folders need not hold them, and run.json \
            lists each with every part's SHA-256, for the caller to write each table as the parts' tables/NAME one after \
            the other (the header once), checking each part's bytes. Not with "parquet" among the formats.
            """)
        var withoutPartTables = false
        @Option(help: "The report folder (written atomically).") var out: String
        func run() throws {
            try runReportingErrors {
                let output = URL(fileURLWithPath: out)
                let outcome = try PartJob.finish(configURL: URL(fileURLWithPath: config), parts: parts.map { URL(fileURLWithPath: $0) },
                                                 moments: try moments.map { try PartMoments.read(URL(fileURLWithPath: $0)) },
                                                 spatial: spatial.map { URL(fileURLWithPath: $0) },
                                                 gathered: gathered.map { URL(fileURLWithPath: $0) },
                                                 split: split.map { URL(fileURLWithPath: $0) },
                                                 partTablesLeft: withoutPartTables, output: output)
                for warning in outcome.warnings { printError("warning: \(warning)") }
                print(summary(of: outcome.files, in: output))
            }
        }
    }
}
