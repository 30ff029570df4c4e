import AreaData
import ArgumentParser
import Foundation
import Sozmon
import SozmonIO
import Statistics

/// Runs `body`, printing any error to standard error (one line per problem, unchanged) and exiting with the status
/// of SPEC §4: 65 bad input data (including a config with problems), 66 input file missing, 73 output cannot be
/// created, 1 anything else.
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as InputError {
        printError("\(error)")
        throw ExitCode(error.kind == .missingFile ? 66 : 65)
    } catch let error as ConfigProblems {
        for problem in error.problems { printError("\(problem)") }
        throw ExitCode(65)
    } catch let error as OutputError {
        printError("\(error)")
        throw ExitCode(73)
    } catch let error as StatisticsError {
        printError("\(error)")
        throw ExitCode(65)
    } catch let error as AreaDataError {
        printError("\(error)")
        throw ExitCode(65)
    } catch let error as ExitCode {
        throw error
    } catch {
        printError("\(error)")
        throw ExitCode(1)
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("sozmon: \(message)\n".utf8))
}
