import ArgumentParser
import Foundation
import Sozmon

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every analysis CONFIG asks for and write the report folder (atomically).")

    @Argument(help: "The TOML config of the edition (paths in it are relative to it).")
    var config: String

    @Option(help: "Output folder (must not exist or be empty; default: report-<config name> beside the config).")
    var out: String?

    @Option(name: .customLong("csv-dialect"), help: "CSV dialect of the tables: plain or excel-de (overrides the config).")
    var csvDialect: CSVStyle?

    @Flag(help: "No progress display.")
    var quiet = false

    func run() throws {
        try runReportingErrors {
            let url = URL(fileURLWithPath: config)
            let output = out.map { URL(fileURLWithPath: $0) } ?? url.deletingLastPathComponent()
                .appendingPathComponent("report-" + url.deletingPathExtension().lastPathComponent)
            // A destination that cannot be written is said first, before the config and its inputs are read.
            try RunJob.checkDestination(output)
            var job = try RunJob(configURL: url)
            if let csvDialect { job = job.with(csvDialect: csvDialect) }
            let outcome = try job.run(output: output, progress: ProgressLine(quiet: quiet).show)
            for warning in outcome.warnings { printError("warning: \(warning)") }
            if !quiet { print(summary(of: outcome.files, in: output)) }
        }
    }
}

/// The final line of a run: the folder and what is in it by kind — tables and profile pages counted (a profile is
/// one page in HTML and Markdown), the other files named.
func summary(of files: [String], in folder: URL) -> String {
    let tables = files.filter { $0.hasPrefix("tables/") }.count
    let profiles = files.filter { $0.hasPrefix("profiles/") && $0.hasSuffix(".html") }.count
    let others = files.filter { !$0.hasPrefix("tables/") && !$0.hasPrefix("profiles/") }
    return "wrote \(folder.path): \(tables) tables in tables/, "
        + (profiles > 0 ? "\(profiles) profiles in profiles/ (HTML and Markdown), " : "") + others.joined(separator: ", ")
}

extension CSVStyle: ExpressibleByArgument {}

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the edition shipped in datasets/synthetic-berlin (a Berlin-scale synthetic city).")

    @Option(help: "Output folder (default: demo-report; a previous demo report there is replaced).")
    var out: String = "demo-report"

    @Flag(help: "No progress display.")
    var quiet = false

    func run() throws {
        try runReportingErrors {
            let config = try DemoData.configURL()
            let output = URL(fileURLWithPath: out)
            try RunJob.removePreviousReport(at: output)
            let job = try RunJob(configURL: config)
            let outcome = try job.run(output: output, progress: ProgressLine(quiet: quiet).show)
            for warning in outcome.warnings { printError("warning: \(warning)") }
            if !quiet {
                print("demo: \(config.path)")
                print(summary(of: outcome.files, in: output))
            }
        }
    }
}

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check CONFIG and its inputs; list every problem with its place; write nothing.")

    @Argument(help: "The TOML config to check.")
    var config: String

    func run() throws {
        try runReportingErrors {
            let job = try RunJob(configURL: URL(fileURLWithPath: config))
            let warnings = try job.validate()
            for warning in warnings { printError("warning: \(warning)") }
            print("\(config): ok")
        }
    }
}
