import Foundation

/// The standard normal distribution N(0, 1).
///
/// CDF and survival function go through `erfc`, which keeps full relative precision far into both tails
/// (`survival(7)` ≈ 1.28e-12 is exact to the last bits), so p-values need no `1 − cdf` cancellation.
public enum StandardNormal {
    /// The density `φ(x) = exp(−x²/2) / √(2π)`.
    public static func density(_ x: Double) -> Double {
        exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
    }

    /// `Φ(x) = P(Z ≤ x) = ½ erfc(−x/√2)`.
    public static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// `1 − Φ(x) = P(Z > x) = ½ erfc(x/√2)`, without cancellation.
    public static func survival(_ x: Double) -> Double { 0.5 * erfc(x / 2.0.squareRoot()) }

    /// The two-sided p-value `P(|Z| ≥ |z|) = erfc(|z|/√2)`.
    public static func twoSidedPValue(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }

    /// The quantile `Φ⁻¹(p)` for `p` in (0, 1); −∞ at 0 and +∞ at 1.
    ///
    /// Starts from Abramowitz & Stegun 26.2.23 (error < 4.5e-4) and refines by Newton's method on the logarithm of
    /// the tail probability, which converges quadratically to full double precision.
    /// - Throws: `invalidParameter` for `p` outside [0, 1] or NaN.
    public static func quantile(_ p: Double) throws(StatisticsError) -> Double {
        guard p >= 0 && p <= 1 else {
            throw .invalidParameter(name: "p", value: "\(p)", expected: "a probability in the range [0, 1]")
        }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        // Work with the smaller tail q, so that the refinement compares like with like.
        let q = Swift.min(p, 1 - p)
        let t = (-2 * log(q)).squareRoot()
        var x = t - (2.515517 + 0.802853 * t + 0.010328 * t * t)
            / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
        // Newton's method on log S(x) = log q: log S is concave, so the iteration is stable from any start, and
        // its step (log S − log q)·S/φ stays finite deep in the tail (q down to the smallest doubles).
        let target = log(q)
        for _ in 0..<50 {
            let tail = survival(x)
            let step = (log(tail) - target) * tail / density(x)
            x += step
            if abs(step) <= 1e-15 * Swift.max(abs(x), 1e-300) { break }
        }
        return p < 0.5 ? -x : x
    }
}
