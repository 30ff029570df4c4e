import ArgumentParser
import Foundation
import Sozmon

struct NotebooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebooks",
        abstract: "Regenerate the worked analyses in notebooks-exports/ from the shipped data set.")

    @Option(help: "Output folder.")
    var out: String = "notebooks-exports"

    func run() throws {
        try runReportingErrors {
            let files = try Notebooks.export(to: URL(fileURLWithPath: out))
            print("wrote \(out): \(files.joined(separator: ", "))")
        }
    }
}
