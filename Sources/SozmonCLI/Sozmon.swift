import ArgumentParser
import Foundation

@main
struct SozmonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sozmon",
        abstract: "Indicator analytics for social monitoring of small areas.",
        version: sozmonVersion,
        subcommands: [GenerateCommand.self])
}

/// The version printed by `--version` and recorded in manifests.
let sozmonVersion = "0.1.0"
