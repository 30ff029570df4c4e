import Statistics

/// The Theil–Sen slope (Theil 1950, Sen 1968): the median of the pairwise slopes `(yⱼ − yᵢ)/(tⱼ − tᵢ)`, with
/// intercept `median(y) − slope·median(t)` and the rank-based confidence interval of `scipy.stats.theilslopes`:
/// with N pairwise slopes sorted, σ² the tie-corrected Var(S) of Mann–Kendall over y and t (Sen 1968, eq. 2.6), and
/// z = Φ⁻¹(1 − α/2), the bounds are the slopes of 0-based ranks `round((N − zσ)/2) − 1` and `round((N + zσ)/2)`,
/// clamped to the slopes there are.
public struct TheilSen: Sendable, Equatable {
    public let slope: Double
    public let intercept: Double
    public let confidenceLow: Double
    public let confidenceHigh: Double

    /// - Parameters: `times` (e.g. period numbers), `values`; NaN values are left out. `confidence` e.g. 0.95.
    /// - Throws: `insufficientData` for fewer than 2 values or no pair with different times.
    public init(times: [Double], values: [Double], confidence: Double = 0.95) throws(StatisticsError) {
        let t: [Double], y: [Double]
        if times.contains(where: \.isNaN) || values.contains(where: \.isNaN) || times.count != values.count {
            let pairs = zip(times, values).filter { !$0.1.isNaN && !$0.0.isNaN }
            (t, y) = (pairs.map(\.0), pairs.map(\.1))
        } else {
            (t, y) = (times, values)
        }
        // The slopes, and the tied pairs of y and of t (for σ) in the same pass over the pairs.
        var slopes: [Double] = [], tiedY = 0, tiedT = 0
        if zip(t, t.dropFirst()).allSatisfy({ $0 < $1 }) {
            (slopes, tiedY) = Self.slopes(inOrder: t, y)
        } else {
            slopes.reserveCapacity(t.count * (t.count - 1) / 2)
            for i in 0..<t.count {
                for j in (i + 1)..<max(i + 1, t.count) {
                    tiedY &+= y[j] == y[i] ? 1 : 0
                    if t[j] != t[i] { slopes.append((y[j] - y[i]) / (t[j] - t[i])) } else { tiedT &+= 1 }
                }
            }
        }
        guard !slopes.isEmpty else { throw .insufficientData(statistic: "Theil-Sen slope", count: t.count, needed: 2) }
        let alpha = 1 - confidence
        let z = try StandardNormal.quantile(1 - alpha / 2)
        let sigma = ((MannKendall.tieCorrectedVariance(y, tiedPairs: tiedY) + MannKendall.tieCorrectedVariance(t, tiedPairs: tiedT)
                      - Double(t.count * (t.count - 1) * (2 * t.count + 5)) / 18)).squareRoot()
        let nSlopes = Double(slopes.count)
        let upper = max(0, min(Int(((nSlopes + z * sigma) / 2).rounded(.toNearestOrEven)), slopes.count - 1))
        let lower = min(max(Int(((nSlopes - z * sigma) / 2).rounded(.toNearestOrEven)) - 1, 0), slopes.count - 1)
        // Only four order statistics are needed (the median's one or two, and the bounds): selected, not sorted.
        selectRanks([(slopes.count - 1) / 2, slopes.count / 2, lower, upper], in: &slopes)
        let slope = quantileOfSorted(slopes, at: 0.5, method: .linear)
        self.slope = slope
        self.intercept = Self.median(y) - slope * Self.median(t)
        confidenceLow = slopes[lower]
        confidenceHigh = slopes[upper]
    }

    /// Every pair's slope and the tied pairs of y, for times in order without ties (a series of periods): no pair is
    /// left out, so the loop has no branch.
    private static func slopes(inOrder t: [Double], _ y: [Double]) -> (slopes: [Double], tiedY: Int) {
        var slopes = [Double](repeating: 0, count: t.count * (t.count - 1) / 2), tied = 0, k = 0
        var out = slopes.mutableSpan
        let ys = y.span, ts = t.span
        for i in 0..<ts.count {
            let yi = ys[i], ti = ts[i]
            for j in (i + 1)..<ts.count {
                out[k] = (ys[j] - yi) / (ts[j] - ti)
                tied &+= ys[j] == yi ? 1 : 0
                k += 1
            }
        }
        return (slopes, tied)
    }

    /// The median of a non-empty series, by selection (a copy: the series stays as it is).
    private static func median(_ x: [Double]) -> Double {
        var copy = x
        selectRanks([(x.count - 1) / 2, x.count / 2], in: &copy)
        return quantileOfSorted(copy, at: 0.5, method: .linear)
    }
}
