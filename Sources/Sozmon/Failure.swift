import AreaData
import Foundation
import SozmonIO
import Statistics

/// An error of a command as the command line reports it (docs/report.md §2): the lines to print, one per problem, and the exit
/// status: 65 bad input data (including a config with problems), 66 input file missing, 73 output cannot be created,
/// 1 anything else.
package struct Failure: Sendable {
    package let lines: [String]
    package let exitStatus: Int32

    package init(_ error: Error) {
        switch error {
        case let error as InputError: (lines, exitStatus) = (["\(error)"], error.kind == .missingFile ? 66 : 65)
        case let error as ConfigProblems:
            (lines, exitStatus) = (error.problems.map { "\($0)" }, error.problems.allSatisfy { $0.kind == .missingFile } ? 66 : 65)
        case let error as OutputError: (lines, exitStatus) = (["\(error)"], 73)
        case is StatisticsError, is AreaDataError: (lines, exitStatus) = (["\(error)"], 65)
        default: (lines, exitStatus) = (["\(error)"], 1)
        }
    }
}
