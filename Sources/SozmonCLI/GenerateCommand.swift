import ArgumentParser
import Foundation
import Sozmon

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic city: hierarchical ids, polygons or a neighbour list, population and "
            + "correlated, spatially autocorrelated indicators, with a ready-to-run config.")

    @Option(name: .customLong("areas"), help: "Number of planning areas (1 to 100000000).")
    var areaCount: Int

    @Option(help: "Annual periods, e.g. 2015..2024 (default 2012..2024).")
    var periods: String = "2012..2024"

    @Option(help: "Quarterly periods, e.g. 2019Q1..2024Q4 (default 2019Q1..2024Q4).")
    var quarters: String = "2019Q1..2024Q4"

    @Option(help: "Write the years before this one in an earlier area system (pairs of areas merged) with a crosswalk.")
    var systemChange: Int?

    @Option(help: "Seed of the random generator: the same seed gives the same files.")
    var seed: UInt64 = 1

    @Option(help: "Output folder (must not exist or be empty).")
    var out: String

    @Flag(help: "No progress display.")
    var quiet = false

    func validate() throws {
        guard (1...100_000_000).contains(areaCount) else {
            throw ValidationError("--areas must be an int in the range [1, 100000000]. Got \(areaCount) instead.")
        }
        _ = try yearRange()
        _ = try quarterRange()
    }

    func yearRange() throws -> ClosedRange<Int> {
        guard let range = GenerateJob.years(parsing: periods) else {
            throw ValidationError("--periods takes two years FROM..TO, FROM first, e.g. 2015..2024. Got '\(periods)' instead.")
        }
        return range
    }

    func quarterRange() throws -> GenerateJob.QuarterRange {
        guard let range = GenerateJob.quarters(parsing: quarters) else {
            throw ValidationError("--quarters takes two quarters FROM..TO, FROM first, e.g. 2019Q1..2024Q4. Got '\(quarters)' instead.")
        }
        return range
    }

    func run() throws {
        try runReportingErrors {
            let job = GenerateJob(areaCount: areaCount, years: try yearRange(), quarters: try quarterRange(),
                                  seed: seed, systemChange: systemChange, output: URL(fileURLWithPath: out))
            let files = try job.run(progress: ProgressLine(quiet: quiet))
            print("wrote \(out): \(files.joined(separator: ", "))")
        }
    }
}
