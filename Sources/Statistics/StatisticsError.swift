/// What can go wrong when a statistic meets its data. Each case says what was found and what was expected.
public enum StatisticsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer usable (non-missing) values than the statistic needs.
    case insufficientData(statistic: String, count: Int, needed: Int)
    /// All usable values are equal, so the statistic (e.g. a z-score) is undefined. `column` is 0 for a vector.
    case zeroVariance(statistic: String, column: Int)
    /// A parameter outside its valid range, in scikit-learn's message form.
    case invalidParameter(name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .insufficientData(let statistic, let count, let needed):
            "\(statistic) needs at least \(needed) non-missing values, got \(count)"
        case .zeroVariance(let statistic, let column):
            "\(statistic): column \(column) has zero variance (all values equal among the reference areas), "
                + "so it cannot be standardised"
        case .invalidParameter(let name, let value, let expected):
            "The '\(name)' parameter must be \(expected). Got \(value) instead."
        }
    }
}
