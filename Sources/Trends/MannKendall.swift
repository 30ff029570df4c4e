import Foundation
import Statistics

/// The Mann–Kendall trend test (Mann 1945, Kendall 1975) with tie correction, as pymannkendall's `original_test`.
///
///     S = Σ_{i<j} sign(x_j − x_i),   Var(S) = [n(n−1)(2n+5) − Σ_p t_p(t_p−1)(2t_p+5)] / 18
///     Z = (S − 1)/√Var(S) if S > 0,  (S + 1)/√Var(S) if S < 0,  0 otherwise (continuity correction)
///     p = 2(1 − Φ(|Z|)),  τ = S / (n(n−1)/2)
///
/// t_p are the sizes of the groups of tied values. Missing values (NaN) are left out. O(n²) per series, which is
/// fine for the n ≤ 100 periods of monitoring series.
public struct MannKendall: Sendable, Equatable {
    public let count: Int
    public let s: Double
    public let variance: Double
    public let z: Double
    public let pValue: Double
    public let tau: Double
    /// `increasing`, `decreasing` or `no trend` at the level α given to `init`.
    public let direction: Direction

    public enum Direction: String, Sendable { case increasing, decreasing, noTrend = "no trend" }

    /// - Throws: `insufficientData` for fewer than 3 values.
    public init(_ series: [Double], alpha: Double = 0.05) throws(StatisticsError) {
        let x = series.contains(where: \.isNaN) ? series.filter { !$0.isNaN } : series
        guard x.count >= 3 else { throw .insufficientData(statistic: "Mann-Kendall test", count: x.count, needed: 3) }
        let (s, variance) = Self.statistic(x)
        self.init(count: x.count, s: s, variance: variance, pairs: Double(x.count * (x.count - 1)) / 2, alpha: alpha)
    }

    init(count: Int, s: Double, variance: Double, pairs: Double, alpha: Double) {
        self.count = count
        self.s = s
        self.variance = variance
        let z = variance > 0 ? (s > 0 ? (s - 1) / variance.squareRoot() : s < 0 ? (s + 1) / variance.squareRoot() : 0) : 0
        self.z = z
        self.pValue = StandardNormal.twoSidedPValue(z)
        self.tau = pairs > 0 ? s / pairs : .nan
        self.direction = pValue < alpha ? (z > 0 ? .increasing : .decreasing) : .noTrend
    }

    /// S and its tie-corrected variance for a series without missing values.
    static func statistic(_ x: [Double]) -> (s: Double, variance: Double) {
        let (s, tiedPairs) = signSum(x)
        return (Double(s), tieCorrectedVariance(x, tiedPairs: tiedPairs))
    }

    /// `Var(S) = (n(n−1)(2n+5) − Σ t(t−1)(2t+5)) / 18` over the groups of t tied values; the groups are sorted out
    /// only where `tiedPairs` (from `signSum`) says there are any.
    static func tieCorrectedVariance(_ x: [Double], tiedPairs: Int) -> Double {
        let n = Double(x.count)
        let untied = n * (n - 1) * (2 * n + 5)
        guard tiedPairs > 0 else { return untied / 18 }
        var tieTerm = 0.0
        let sorted = x.sorted()
        var start = 0
        while start < sorted.count {
            var end = start + 1
            while end < sorted.count && sorted[end] == sorted[start] { end += 1 }
            let t = Double(end - start)
            tieTerm += t * (t - 1) * (2 * t + 5)
            start = end
        }
        return (untied - tieTerm) / 18
    }

    /// `S = Σ_{i<j} sign(x_j − x_i)` and the number of tied pairs, without branches (the comparisons of a series of
    /// a few dozen periods are cheap; mispredicted branches were most of their cost), four j at a time: a true lane of
    /// a comparison's mask is −1, so mask(x_j < x_i) − mask(x_j > x_i) is sign(x_j − x_i), and −mask(x_j = x_i) a tie.
    static func signSum(_ x: [Double]) -> (s: Int, tiedPairs: Int) {
        var s = 0, tied = 0
        var lanes = SIMD4<Int64>(), tiedLanes = SIMD4<Int64>()
        let v = x.span, n = v.count
        for i in 0..<n {
            let xi = v[i], broadcast = SIMD4<Double>(repeating: xi)
            var j = i + 1
            while j + 4 <= n {
                let xj = SIMD4<Double>(v[j], v[j + 1], v[j + 2], v[j + 3])
                lanes &+= unsafeBitCast(xj .< broadcast, to: SIMD4<Int64>.self) &- unsafeBitCast(xj .> broadcast, to: SIMD4<Int64>.self)
                tiedLanes &-= unsafeBitCast(xj .== broadcast, to: SIMD4<Int64>.self)
                j += 4
            }
            while j < n {
                let xj = v[j]
                s &+= (xj > xi ? 1 : 0) &- (xj < xi ? 1 : 0)
                tied &+= xj == xi ? 1 : 0
                j += 1
            }
        }
        return (s &+ Int(lanes.wrappedSum()), tied &+ Int(tiedLanes.wrappedSum()))
    }
}

/// The seasonal Mann–Kendall test (Hirsch, Slack & Smith 1982) for quarterly or monthly series: S and Var(S) are
/// summed over the seasons, each season tested on its own values in order; as pymannkendall's `seasonal_test`.
public struct SeasonalMannKendall: Sendable, Equatable {
    public let test: MannKendall
    public let seasons: Int
    /// The seasonal Sen slope (Hirsch et al. 1982): the median of the slopes between values of the same season,
    /// per year (per full cycle of seasons), as pymannkendall's `seasonal_sens_slope`.
    public let slopePerYear: Double
    /// `median(x) − (median position / period) · slope`, pymannkendall's intercept.
    public let intercept: Double

    /// `series` in time order; position k belongs to season `k mod period`.
    /// - Throws: `insufficientData` when no season has 2 values.
    public init(_ series: [Double], period: Int, alpha: Double = 0.05) throws(StatisticsError) {
        guard period >= 2 else {
            throw .invalidParameter(name: "period", value: "\(period)", expected: "an int in the range [2, inf)")
        }
        var s = 0.0, variance = 0.0, pairs = 0.0, count = 0
        for season in 0..<period {
            let values = stride(from: season, to: series.count, by: period).map { series[$0] }.filter { !$0.isNaN }
            guard values.count >= 2 else { continue }
            let part = MannKendall.statistic(values)
            s += part.s; variance += part.variance
            pairs += Double(values.count * (values.count - 1)) / 2
            count += values.count
        }
        guard pairs > 0 else { throw .insufficientData(statistic: "seasonal Mann-Kendall test", count: count, needed: 2 * period) }
        test = MannKendall(count: count, s: s, variance: variance, pairs: pairs, alpha: alpha)
        seasons = period
        var slopes: [Double] = []
        for season in 0..<period {
            let positions = Array(stride(from: season, to: series.count, by: period))
            for a in 0..<positions.count {
                for b in (a + 1)..<max(a + 1, positions.count) {
                    let d = (series[positions[b]] - series[positions[a]]) / Double(b - a)
                    if !d.isNaN { slopes.append(d) }
                }
            }
        }
        let slope = (try? median(slopes)) ?? .nan
        slopePerYear = slope
        let present = series.indices.filter { !series[$0].isNaN }.map(Double.init)
        intercept = ((try? median(series)) ?? .nan) - ((try? median(present)) ?? .nan) / Double(period) * slope
    }
}
