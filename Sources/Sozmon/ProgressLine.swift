import Foundation

/// Progress for work that takes more than a moment: a single line on standard error, redrawn, when standard error
/// is a terminal; silent otherwise or when quiet (so that logs and pipes stay clean).
package struct ProgressLine: Sendable {
    let enabled: Bool
    let started = Date()

    package init(quiet: Bool) {
        enabled = !quiet && isatty(STDERR_FILENO) == 1
    }

    /// Shows `message` after the first second, with the time since the start ("12 s: computing the analyses").
    package func update(_ message: String) {
        let elapsed = Date().timeIntervalSince(started)
        guard enabled, elapsed > 1 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(Int(elapsed)) s: \(message)".utf8))
    }

    /// Shows the stage a run has reached; clears the line when it has finished.
    package func show(_ stage: RunProgress) {
        switch stage {
        case .readingInputs: update("reading inputs")
        case .computingIndices: update("computing indices")
        case .computingAnalyses: update("computing the analyses")
        case .analysis(let name): update("computing \(name)")
        case .writingReport: update("writing the report")
        case .writingFiles(let count): update("writing the report: \(count) files")
        case .finished: finish()
        }
    }

    /// Clears the line.
    package func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
