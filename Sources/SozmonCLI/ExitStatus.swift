import ArgumentParser
import Foundation
import Sozmon

/// Runs `body`, printing any error to standard error (one line per problem, unchanged) and exiting with the status
/// of docs/report.md §2 (`Failure`).
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        let failure = Failure(error)
        for line in failure.lines { printError(line) }
        throw ExitCode(failure.exitStatus)
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("sozmon: \(message)\n".utf8))
}
