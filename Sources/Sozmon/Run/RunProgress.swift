/// The stage a run has reached, for a progress display (``RunJob/run(output:progress:)``).
public enum RunProgress: Sendable, Equatable {
    case readingInputs
    case computingIndices
    /// Trends, quarters, hot spots, spatial statistics, clusters, supply, profiles: what the config asks for.
    case computingAnalyses
    case writingReport
    case finished
}
