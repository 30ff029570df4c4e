import ArgumentParser
import LinearAlgebra

@main
struct Sozmon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sozmon",
        abstract: "Indicator analytics for social monitoring of small areas.",
        version: "0.1.0")
}
