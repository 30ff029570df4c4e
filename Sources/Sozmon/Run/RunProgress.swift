/// The stage a run has reached, for a progress display (``RunJob/run(output:progress:)``).
public enum RunProgress: Sendable, Equatable {
    case readingInputs
    case computingIndices
    /// Trends, quarters, hot spots, spatial statistics, clusters, supply, profiles: what the config asks for.
    case computingAnalyses
    /// The analysis being computed now ("trends", "spatial statistics and clusters", …), for each the config asks for.
    case analysis(String)
    case writingReport
    /// While the report is written: the files written so far (reported every half second).
    case writingFiles(Int)
    case finished
}
