import AreaData
import Foundation
import SozmonIO
import Statistics

/// An error of a command as the command line reports it (SPEC §4): the lines to print, one per problem, and the exit
/// status: 65 bad input data (including a config with problems), 66 input file missing, 73 output cannot be created,
/// 1 anything else.
public struct Failure: Sendable {
    public let lines: [String]
    public let exitStatus: Int32

    public init(_ error: Error) {
        switch error {
        case let error as InputError: (lines, exitStatus) = (["\(error)"], error.kind == .missingFile ? 66 : 65)
        case let error as ConfigProblems: (lines, exitStatus) = (error.problems.map { "\($0)" }, 65)
        case let error as OutputError: (lines, exitStatus) = (["\(error)"], 73)
        case is StatisticsError, is AreaDataError: (lines, exitStatus) = (["\(error)"], 65)
        default: (lines, exitStatus) = (["\(error)"], 1)
        }
    }
}

/// How the tables' CSV is written (`--csv-dialect`, `[report] csv_dialect`).
public typealias CSVStyle = CSVWriter.Style

extension RunJob {
    /// Removes a report folder that an earlier run wrote at `output` (its `run.json` lists exactly its files), so
    /// that the demo can be run again; anything else there is refused.
    public static func removePreviousReport(at output: URL) throws { try AtomicFolder.removePreviousReport(at: output) }

    /// Removes the partial output of every run in progress (for a signal handler: the process exits next).
    public static func discardPartialOutputs() { AtomicFolder.discardAllOnSignal() }
}

extension GenerateJob {
    /// The quarters of a generated city, first to last.
    public typealias QuarterRange = ClosedRange<Period>

    /// `FROM..TO` with two years, FROM ≤ TO (`--periods 2015..2024`), or nil.
    public static func years(parsing text: String) -> ClosedRange<Int>? {
        periodRange(text, .annual).map { $0.lowerBound.year...$0.upperBound.year }
    }

    /// `FROM..TO` with two quarters, FROM ≤ TO (`--quarters 2019Q1..2024Q4`), or nil.
    public static func quarters(parsing text: String) -> ClosedRange<Period>? { periodRange(text, .quarterly) }

    private static func periodRange(_ text: String, _ frequency: Period.Frequency) -> ClosedRange<Period>? {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, let from = Period(parsing: parts[0]), let to = Period(parsing: parts[1]),
              from.frequency == frequency, to.frequency == frequency, from <= to else { return nil }
        return from...to
    }
}
