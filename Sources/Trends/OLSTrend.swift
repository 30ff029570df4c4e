import LinearAlgebra
import Statistics

/// The least-squares line `y = a + b·t` of one series, with the inference of the classical linear model
/// (normal, independent errors): as statsmodels' `OLS(y, add_constant(t)).fit()`.
public struct OLSTrend: Sendable, Equatable {
    /// Number of observations used.
    public let count: Int
    public let intercept: Double
    /// The slope b per unit of `t` (per period when `t` counts periods).
    public let slope: Double
    /// Standard error of the slope: `√(RSS/(n − 2) / Σ(t − t̄)²)`.
    public let standardError: Double
    /// `slope / standardError`.
    public let tStatistic: Double
    /// Two-sided p-value from Student's t with n − 2 degrees of freedom.
    public let pValue: Double
    /// The 95 % confidence interval of the slope.
    public let confidenceLow: Double
    public let confidenceHigh: Double
    /// Coefficient of determination `1 − RSS/TSS`.
    public let rSquared: Double

    /// Student's t with n − 2 degrees of freedom and its 97.5 % quantile, computed once for many series of one length.
    struct Reference: Sendable {
        let distribution: StudentT
        let critical: Double
        init(count: Int) throws(StatisticsError) {
            distribution = try StudentT(degreesOfFreedom: Double(count - 2))
            critical = try distribution.quantile(0.975)
        }
    }

    /// Inference from the fitted coefficients and sums of squares.
    init(count: Int, intercept: Double, slope: Double, rss: Double, tss: Double, sxx: Double, reference: Reference) {
        let df = Double(count - 2)
        let se = (rss / df / sxx).squareRoot()
        let distribution = reference.distribution
        let t = se > 0 ? slope / se : (slope == 0 ? 0 : .infinity * slope.sign.multiplier)
        let critical = reference.critical
        self.count = count
        self.intercept = intercept
        self.slope = slope
        self.standardError = se
        self.tStatistic = t
        self.pValue = se > 0 ? distribution.twoSidedPValue(t) : (slope == 0 ? 1 : 0)
        self.confidenceLow = slope - critical * se
        self.confidenceHigh = slope + critical * se
        self.rSquared = tss > 0 ? 1 - rss / tss : .nan
    }

    /// Fits one series; NaN values are left out (their times too).
    /// - Throws: `insufficientData` for fewer than 3 values; `zeroVariance` when all times are equal.
    public init(times: [Double], values: [Double]) throws(StatisticsError) {
        precondition(times.count == values.count, "one time per value")
        let pairs = zip(times, values).filter { !$0.1.isNaN && !$0.0.isNaN }
        guard pairs.count >= 3 else { throw .insufficientData(statistic: "OLS trend", count: pairs.count, needed: 3) }
        let n = Double(pairs.count)
        let tMean = pairs.reduce(0) { $0 + $1.0 } / n, yMean = pairs.reduce(0) { $0 + $1.1 } / n
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for (t, y) in pairs {
            sxx += (t - tMean) * (t - tMean); sxy += (t - tMean) * (y - yMean); syy += (y - yMean) * (y - yMean)
        }
        guard sxx > 0 else { throw .zeroVariance(statistic: "OLS trend (times)", column: 0) }
        let slope = sxy / sxx
        var rss = 0.0
        for (t, y) in pairs { let r = y - yMean - slope * (t - tMean); rss += r * r }
        self.init(count: pairs.count, intercept: yMean - slope * tMean, slope: slope, rss: rss, tss: syy, sxx: sxx,
                  reference: try Reference(count: pairs.count))
    }

    /// Fits every column of `values` (times × series) against `times`, all at once: complete series share the
    /// centred design `[1, t − t̄]`, whose QR factorisation is explicit, so one fused pass per series gives its
    /// coefficients and exact sums of squares (`Matrix.regressionOnCentred`), in parallel; series with gaps are
    /// fitted one by one on their own points. A series with fewer than 3 values gets `nil`.
    public static func fitColumns(times: [Double], values: Matrix) throws -> [OLSTrend?] {
        precondition(times.count == values.rows, "one time per row")
        let n = values.rows
        var result = [OLSTrend?](repeating: nil, count: values.columns)
        if n >= 3 {
            let tMean = times.reduce(0, +) / Double(n)
            let centred = times.map { $0 - tMean }  // centred time keeps the design well conditioned
            let sxx = centred.reduce(0) { $0 + $1 * $1 }
            guard sxx > 0 else { throw StatisticsError.zeroVariance(statistic: "OLS trend (times)", column: 0) }
            let fit = values.regressionOnCentred(centred)
            let reference = try Reference(count: n)
            result = parallelMap(values.columns) { j in
                fit.means[j].isNaN ? nil : OLSTrend(
                    count: n, intercept: fit.means[j] - fit.slopes[j] * tMean, slope: fit.slopes[j],
                    rss: fit.residualSumsOfSquares[j], tss: fit.totalSumsOfSquares[j], sxx: sxx, reference: reference)
            }
        }
        for j in 0..<values.columns where result[j] == nil {
            let column = Array(values.column(j))
            if column.filter({ !$0.isNaN }).count >= 3 { result[j] = try OLSTrend(times: times, values: column) }
        }
        return result
    }
}

extension FloatingPointSign {
    fileprivate var multiplier: Double { self == .minus ? -1 : 1 }
}
