/// How a quantile interpolates between order statistics: the continuous sample quantile types of Hyndman & Fan
/// (1996), with numpy's names (`numpy.quantile(method=…)`), plus the discontinuous choices.
///
/// For a continuous method with parameters (α, β) and `n` sorted values `x₀ … xₙ₋₁`, the quantile at `p` sits at
/// the 0-based virtual index `h = n·p + α + p·(1 − α − β) − 1` (`(n − 1)·p` for type 7), clamped to
/// `[0, n − 1]`, interpolated linearly.
public enum QuantileMethod: String, Sendable, CaseIterable {
    /// Hyndman–Fan type 7 (α = β = 1): numpy's and R's default.
    case linear
    /// Type 6 (α = β = 0): `p(n + 1)`, Minitab and SPSS.
    case weibull
    /// Type 5 (α = β = ½): piecewise linear where knots are midway.
    case hazen
    /// Type 8 (α = β = ⅓): approximately median-unbiased, the Hyndman–Fan recommendation.
    case medianUnbiased = "median_unbiased"
    /// Type 9 (α = β = ⅜): approximately unbiased for normal data.
    case normalUnbiased = "normal_unbiased"
    /// The order statistic at `⌊h⌋` of type 7's index.
    case lower
    /// The order statistic at `⌈h⌉` of type 7's index.
    case higher
    /// The order statistic nearest to type 7's index, ties to even (as numpy).
    case nearest
    /// The mean of `lower` and `higher`.
    case midpoint

    var alphaBeta: (Double, Double) {
        switch self {
        case .weibull: (0, 0)
        case .hazen: (0.5, 0.5)
        case .medianUnbiased: (1.0 / 3, 1.0 / 3)
        case .normalUnbiased: (3.0 / 8, 3.0 / 8)
        case .linear, .lower, .higher, .nearest, .midpoint: (1, 1)
        }
    }
}

/// The quantiles of `values` at each probability in `probabilities`, NaN entries skipped (as `numpy.nanquantile`).
///
/// Sorts once, O(n log n).
/// - Throws: `insufficientData` when no value is present; `invalidParameter` for a probability outside [0, 1].
public func quantiles(_ values: [Double], at probabilities: [Double],
                      method: QuantileMethod = .linear) throws(StatisticsError) -> [Double] {
    let sorted = values.filter { !$0.isNaN }.sorted()
    guard !sorted.isEmpty else { throw .insufficientData(statistic: "quantile", count: 0, needed: 1) }
    var result: [Double] = []
    for p in probabilities {
        guard p >= 0 && p <= 1 else {
            throw .invalidParameter(name: "probability", value: "\(p)", expected: "a number in the range [0, 1]")
        }
        result.append(quantileOfSorted(sorted, at: p, method: method))
    }
    return result
}

/// The quantile of `values` at `probability` (see `quantiles(_:at:method:)`).
public func quantile(_ values: [Double], at probability: Double,
                     method: QuantileMethod = .linear) throws(StatisticsError) -> Double {
    try quantiles(values, at: [probability], method: method)[0]
}

/// The median, NaN skipped.
public func median(_ values: [Double]) throws(StatisticsError) -> Double {
    try quantile(values, at: 0.5)
}

package func quantileOfSorted(_ sorted: [Double], at p: Double, method: QuantileMethod) -> Double {
    let n = Double(sorted.count)
    let (alpha, beta) = method.alphaBeta
    // numpy's index arithmetic, grouped as numpy groups it, so that ties at integer indices fall alike.
    let index: Double = switch method {
    case .linear, .lower, .higher, .nearest: (n - 1) * p
    case .weibull, .hazen, .medianUnbiased, .normalUnbiased, .midpoint: n * p + (alpha + p * (1 - alpha - beta)) - 1
    }
    let h = Swift.min(Swift.max(index, 0), n - 1)
    let below = h.rounded(.down), above = h.rounded(.up)
    let lowerValue = sorted[Int(below)], upperValue = sorted[Int(above)]
    switch method {
    case .lower: return lowerValue
    case .higher: return upperValue
    case .nearest: return sorted[Int(h.rounded(.toNearestOrEven))]
    case .midpoint: return (lowerValue + upperValue) / 2
    case .linear, .weibull, .hazen, .medianUnbiased, .normalUnbiased:
        let fraction = h - below
        // numpy's lerp form, exact at both ends.
        return fraction < 0.5 ? lowerValue + (upperValue - lowerValue) * fraction
                              : upperValue - (upperValue - lowerValue) * (1 - fraction)
    }
}
