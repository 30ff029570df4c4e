import Foundation

/// Student's t distribution with `degreesOfFreedom` ν > 0.
///
/// The tails come from the regularised incomplete beta function: `P(T > t) = ½ I_{ν/(ν+t²)}(ν/2, ½)` for t ≥ 0
/// (Abramowitz & Stegun 26.7.1), evaluated by its continued fraction, so small p-values keep their relative
/// precision (checked against mpmath at 50 digits: 1e-12 relative down to p ≈ 1e-15 for ν ≤ 1000, 1e-11 at ν = 10⁵).
public struct StudentT: Sendable, Equatable {
    public let degreesOfFreedom: Double
    /// For integer ν ≤ 1000, the coefficients of the finite series of A&S 26.7.3–4 (see `seriesTail`), and the
    /// first coefficient of their infinite remainder.
    private let seriesCoefficients: [Double]
    private let remainderStart: Double
    /// `log B(ν/2, ½)`, the constant of every tail evaluation.
    private let logBetaHalf: Double

    /// - Throws: `invalidParameter` unless ν is finite and positive.
    public init(degreesOfFreedom: Double) throws(StatisticsError) {
        guard degreesOfFreedom > 0 && degreesOfFreedom.isFinite else {
            throw .invalidParameter(name: "degreesOfFreedom", value: "\(degreesOfFreedom)",
                                    expected: "a finite number in the range (0, inf)")
        }
        self.degreesOfFreedom = degreesOfFreedom
        logBetaHalf = logBeta(degreesOfFreedom / 2, 0.5)
        if degreesOfFreedom == degreesOfFreedom.rounded() && degreesOfFreedom <= 1000 {
            let nu = Int(degreesOfFreedom)
            // Even ν: c₀ = 1, c_k = c_{k−1}(2k − 1)/(2k), k < ν/2. Odd ν: c₀ = 1, c_k = c_{k−1}(2k)/(2k + 1), k ≤ (ν − 3)/2.
            let terms = nu % 2 == 0 ? nu / 2 : (nu - 1) / 2
            var c: [Double] = [1]
            for k in stride(from: 1, through: terms, by: 1) { c.append(c[k - 1] * Self.ratio(k - 1, odd: nu % 2 == 1)) }
            remainderStart = c.removeLast()
            seriesCoefficients = c
        } else {
            seriesCoefficients = []
            remainderStart = .nan
        }
    }

    /// The density `Γ((ν+1)/2) / (√(νπ) Γ(ν/2)) · (1 + t²/ν)^(−(ν+1)/2)`.
    public func density(_ t: Double) -> Double {
        let v = degreesOfFreedom
        let logNormaliser = -logGammaRatio(v / 2, 0.5) - 0.5 * log(v * Double.pi)
        return exp(logNormaliser - (v + 1) / 2 * log1p(t * t / v))
    }

    /// `P(T > t)`, accurate in the upper tail.
    public func survival(_ t: Double) -> Double {
        if t.isNaN { return .nan }
        let upper = 0.5 * tailBeta(abs(t))
        return t >= 0 ? upper : 1 - upper
    }

    /// `P(T ≤ t)`, accurate in the lower tail.
    public func cdf(_ t: Double) -> Double {
        if t.isNaN { return .nan }
        let lower = 0.5 * tailBeta(abs(t))
        return t <= 0 ? lower : 1 - lower
    }

    /// The two-sided p-value `P(|T| ≥ |t|)`.
    public func twoSidedPValue(_ t: Double) -> Double { t.isNaN ? .nan : Swift.min(1, tailBeta(abs(t))) }

    /// The quantile: the `t` with `cdf(t) = p`, for `p` in [0, 1].
    ///
    /// Bracketed Newton iteration on the smaller tail probability, to a relative tolerance of 1e-15.
    /// - Throws: `invalidParameter` for `p` outside [0, 1].
    public func quantile(_ p: Double) throws(StatisticsError) -> Double {
        guard p >= 0 && p <= 1 else {
            throw .invalidParameter(name: "p", value: "\(p)", expected: "a probability in the range [0, 1]")
        }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        let tail = Swift.min(p, 1 - p)
        let t = upperTailQuantile(tail)
        return p < 0.5 ? -t : t
    }

    /// `P(|T| ≥ t) = I_x(ν/2, ½)` with `x = ν/(ν + t²)`, for t ≥ 0; near t = 0 via the complement with
    /// `1 − x = t²/(ν + t²)` computed directly, so that no digits cancel.
    private func tailBeta(_ t: Double) -> Double {
        let v = degreesOfFreedom
        if t.isInfinite { return 0 }
        if let p = seriesTail(t) { return p }
        let denominator = v + t * t
        let x = v / denominator, complement = t * t / denominator
        return regularizedIncompleteBeta(a: v / 2, b: 0.5, x: x, complement: complement, logBeta: logBetaHalf)
    }

    /// `c_{k+1}/c_k`: `(2k + 1)/(2k + 2)` for even ν, `(2k + 2)/(2k + 3)` for odd ν.
    private static func ratio(_ k: Int, odd: Bool) -> Double {
        odd ? Double(2 * k + 2) / Double(2 * k + 3) : Double(2 * k + 1) / Double(2 * k + 2)
    }

    /// `P(|T| ≥ t)` for integer ν ≤ 1000 by the series of Abramowitz & Stegun 26.7.3–4, `nil` for other ν or where
    /// neither form below is both fast and accurate. With `y = cos²θ = ν/(ν + t²)`, `s = sin θ`, the series
    /// `S(y) = Σ_k c_k y^k` (even ν: `c_k = (2k−1)!!/(2k)!!`, `p = 1 − s·Σ_{k<ν/2} c_k y^k`; odd ν:
    /// `c_k = (2k)!!/(2k+1)!!`, `p = 1 − (2/π)(θ + s√y·Σ_{k≤(ν−3)/2} c_k y^k)`) sums to the whole probability, so:
    /// - near the centre (|t| below the normal quantile of p = 0.001, or of p = 0.05 for ν > 100, whose longer sums
    ///   round more; t tails are heavier, so p is at least that) the finite sum, about ν/2 multiply–adds; 1 − A
    ///   loses at most three digits there;
    /// - in the tail (y ≤ 0.8) the remainder `p = s·Σ_{k≥ν/2} c_k y^k` (odd ν: `(2/π) s√y·Σ_{k≥(ν−1)/2} c_k y^k`),
    ///   a sum of positive terms that keeps full relative precision down to the smallest doubles.
    /// Checked against mpmath at 50 digits (1e-12 relative). Much cheaper than the continued fraction, which takes
    /// the rest.
    private func seriesTail(_ t: Double) -> Double? {
        guard !remainderStart.isNaN else { return nil }
        let v = degreesOfFreedom, odd = Int(v) % 2 == 1
        let r2 = v + t * t, y = v / r2, sine = t / r2.squareRoot()
        let front = odd ? 2 / Double.pi * sine * y.squareRoot() : sine
        if t < (v <= 100 ? 3.2905 : 1.96) {
            var sum = 0.0
            for c in seriesCoefficients.reversed() { sum = sum * y + c }
            return odd ? 1 - 2 / Double.pi * atan(t / v.squareRoot()) - front * sum : 1 - front * sum
        }
        guard y <= 0.8 else { return nil }
        var k = seriesCoefficients.count
        var term = remainderStart * exp(Double(k) * log(y)), sum = 0.0
        while term > 1e-17 * sum {
            sum += term
            term *= Self.ratio(k, odd: odd) * y
            k += 1
        }
        return front * sum
    }

    /// Solves `survival(t) = q` for t > 0, q in (0, ½).
    private func upperTailQuantile(_ q: Double) -> Double {
        // Bracket: start from the normal quantile and double until the tail is small enough.
        var low = 0.0
        var high = Swift.max(1, (try? StandardNormal.quantile(1 - q)) ?? 1)
        while survival(high) > q { low = high; high *= 2 }
        var t = (low + high) / 2
        for _ in 0..<200 {
            let error = survival(t) - q  // decreasing in t
            if error == 0 { return t }
            if error > 0 { low = t } else { high = t }
            let step = error / density(t)  // Newton: t ← t + (S(t) − q)/f(t)
            var next = t + step
            if !(next > low && next < high) { next = (low + high) / 2 }
            if abs(next - t) <= 1e-15 * abs(next) { return next }
            t = next
        }
        return t
    }
}

/// The regularised incomplete beta function `I_x(a, b)`, with `complement = 1 − x` given exactly by the caller.
///
/// Continued fraction (DLMF 8.17.22) evaluated by the modified Lentz method, used directly where it converges
/// fast (`x < (a + 1)/(a + b + 2)`) and through the symmetry `I_x(a, b) = 1 − I_{1−x}(b, a)` elsewhere.
func regularizedIncompleteBeta(a: Double, b: Double, x: Double, complement: Double, logBeta known: Double? = nil) -> Double {
    if x <= 0 { return 0 }
    if complement <= 0 { return 1 }
    // log x and log(1 − x) from whichever of the two is known to full relative precision.
    let logX = x < 0.5 ? log(x) : log1p(-complement)
    let logComplement = complement < 0.5 ? log(complement) : log1p(-x)
    let logFront = a * logX + b * logComplement - (known ?? logBeta(a, b))
    if x < (a + 1) / (a + b + 2) {
        return exp(logFront) * betaContinuedFraction(a: a, b: b, x: x) / a
    }
    return 1 - exp(logFront) * betaContinuedFraction(a: b, b: a, x: complement) / b
}

/// `log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b)`, without the cancellation of three large `lgamma` values
/// when one argument is large (ν = 1000 would otherwise lose three digits).
func logBeta(_ a: Double, _ b: Double) -> Double {
    let small = Swift.min(a, b), large = Swift.max(a, b)
    return lgamma(small) + logGammaRatio(large, small)
}

/// `log Γ(x) − log Γ(x + b)`. For x ≥ 10 from Stirling's series (DLMF 5.11.1) with the large terms combined
/// analytically: `−(x + b − ½)·log1p(b/x) − b·log x + b + δ(x) − δ(x + b)`, δ the Stirling correction
/// (truncation error below 1e-14 at x = 10); below 10 directly.
func logGammaRatio(_ x: Double, _ b: Double) -> Double {
    guard x >= 10 else { return lgamma(x) - lgamma(x + b) }
    func stirlingCorrection(_ y: Double) -> Double {
        let r = 1 / y, r2 = r * r
        return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680 - r2 / 1188))))
    }
    return -(x + b - 0.5) * log1p(b / x) - b * log(x) + b + stirlingCorrection(x) - stirlingCorrection(x + b)
}

/// The continued fraction `1/(1+ d₁/(1+ d₂/(1+ …)))` of DLMF 8.17.22 by modified Lentz.
private func betaContinuedFraction(a: Double, b: Double, x: Double) -> Double {
    let tiny = 1e-300
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var result = d
    for m in 1...10_000 {
        let m = Double(m)
        // Even step: d_{2m} = m(b − m)x / ((a + 2m − 1)(a + 2m)).
        var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
        c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
        d = 1 / d
        result *= d * c
        // Odd step: d_{2m+1} = −(a + m)(a + b + m)x / ((a + 2m)(a + 2m + 1)).
        numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
        c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
        d = 1 / d
        let delta = d * c
        result *= delta
        if abs(delta - 1) < 1e-16 { break }
    }
    return result
}
