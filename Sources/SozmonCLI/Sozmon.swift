import ArgumentParser
import Foundation
import Sozmon

@main
struct SozmonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sozmon",
        abstract: "Indicator analytics for social monitoring of small areas.",
        version: Sozmon.version,
        subcommands: [RunCommand.self, DemoCommand.self, ValidateCommand.self, GenerateCommand.self, NotebooksCommand.self,
                      PartCommand.self])

    static func main() {
        Interruption.install()
        main(nil)
    }
}
