import AreaData
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
        let range = try periodRange(periods, option: "--periods")
        guard range.lowerBound.frequency == .annual else {
            throw ValidationError("--periods takes years, e.g. 2015..2024. Got '\(periods)' instead.")
        }
        return range.lowerBound.year...range.upperBound.year
    }

    func quarterRange() throws -> ClosedRange<Period> {
        let range = try periodRange(quarters, option: "--quarters")
        guard range.lowerBound.frequency == .quarterly else {
            throw ValidationError("--quarters takes quarters, e.g. 2019Q1..2024Q4. Got '\(quarters)' instead.")
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

/// `FROM..TO` with two periods of one frequency, FROM ≤ TO.
func periodRange(_ text: String, option: String) throws -> ClosedRange<Period> {
    let parts = text.components(separatedBy: "..")
    guard parts.count == 2, let from = Period(parsing: parts[0]), let to = Period(parsing: parts[1]),
          from.frequency == to.frequency, from <= to else {
        throw ValidationError("\(option) must be FROM..TO with two periods of one kind, FROM first. Got '\(text)' instead.")
    }
    return from...to
}
