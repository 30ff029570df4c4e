import Foundation

/// Progress for work that takes more than a moment: a single line on standard error, redrawn, when standard error
/// is a terminal; silent otherwise or when quiet (so that logs and pipes stay clean).
public struct ProgressLine: Sendable {
    let enabled: Bool
    let started = Date()

    public init(quiet: Bool) {
        enabled = !quiet && isatty(STDERR_FILENO) == 1
    }

    /// Shows `message` after the first second.
    public func update(_ message: String) {
        guard enabled, Date().timeIntervalSince(started) > 1 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(message)".utf8))
    }

    /// Clears the line.
    public func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
