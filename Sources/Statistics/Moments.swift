import LinearAlgebra

/// Mean and variance of one variable, NaN entries treated as missing and skipped.
///
/// With weights `w` (interpreted as frequency weights, e.g. population counts, as in statsmodels' `DescrStatsW`):
///
///     mean = Σ wᵢxᵢ / Σ wᵢ,    variance = Σ wᵢ(xᵢ − mean)² / (Σ wᵢ − ddof)
///
/// Unweighted is `w ≡ 1`, i.e. `variance = Σ(xᵢ − mean)² / (n − ddof)`. `ddof = 0` is the population variance
/// (the MSS method's choice), `ddof = 1` the sample variance. Computed by the corrected two-pass algorithm
/// (Chan, Golub & LeVeque 1983), accurate even when the mean is large against the spread.
public struct Moments: Sendable, Equatable {
    /// Number of non-missing values.
    public let count: Int
    /// Σ w over the non-missing values (`count` when unweighted).
    public let weightSum: Double
    /// The (weighted) mean.
    public let mean: Double
    /// Σ w (x − mean)², the second central moment times the weight sum.
    public let sumOfSquaredDeviations: Double

    /// Moments of `values`, optionally weighted. Throws when no value is present.
    public init(_ values: [Double], weights: [Double]? = nil) throws(StatisticsError) {
        let columns = try ColumnMoments(Matrix(rows: values.count, columns: 1, columnMajor: values), weights: weights)
        self = columns.moments[0]
    }

    init(count: Int, weightSum: Double, mean: Double, sumOfSquaredDeviations: Double) {
        self.count = count
        self.weightSum = weightSum
        self.mean = mean
        self.sumOfSquaredDeviations = sumOfSquaredDeviations
    }

    /// The variance with `ddof` delta degrees of freedom: `Σw(x − mean)² / (Σw − ddof)`.
    ///
    /// - Throws: `insufficientData` when `Σw − ddof ≤ 0` (e.g. one value with `ddof = 1`).
    public func variance(ddof: Int) throws(StatisticsError) -> Double {
        let denominator = weightSum - Double(ddof)
        guard denominator > 0 else {
            throw .insufficientData(statistic: "variance with ddof=\(ddof)", count: count, needed: ddof + 1)
        }
        return sumOfSquaredDeviations / denominator
    }

    /// The standard deviation, `√variance(ddof:)`.
    public func standardDeviation(ddof: Int) throws(StatisticsError) -> Double {
        try variance(ddof: ddof).squareRoot()
    }
}

/// `Moments` of every column of a matrix in two streaming passes (NaN entries skipped, optional row weights).
public struct ColumnMoments: Sendable, Equatable {
    /// One `Moments` per column.
    public let moments: [Moments]

    /// - Throws: `insufficientData` naming the column when a column has no non-missing value.
    public init(_ matrix: Matrix, weights: [Double]? = nil) throws(StatisticsError) {
        if let weights {
            guard weights.count == matrix.rows else {
                throw .invalidParameter(name: "weights", value: "\(weights.count) weights",
                                        expected: "one weight per row (\(matrix.rows))")
            }
            guard weights.allSatisfy({ $0.isNaN || ($0.isFinite && $0 >= 0) }) else {
                throw .invalidParameter(name: "weights", value: "a negative or infinite weight",
                                        expected: "finite and non-negative")
            }
        }
        let totals = matrix.columnTotals(weights: weights)
        var means = [Double](repeating: 0, count: matrix.columns)
        for j in 0..<matrix.columns {
            guard totals.counts[j] > 0, totals.weightSums[j] > 0 else {
                throw .insufficientData(statistic: "mean of column \(j)", count: totals.counts[j], needed: 1)
            }
            means[j] = totals.weightedSums[j] / totals.weightSums[j]
        }
        let deviations = matrix.columnDeviationSums(around: means, weights: weights)
        moments = (0..<matrix.columns).map { j in
            // Corrected two-pass: subtract the rounding error of the first pass's mean.
            let correction = deviations.linear[j] / totals.weightSums[j]
            return Moments(count: totals.counts[j], weightSum: totals.weightSums[j], mean: means[j] + correction,
                           sumOfSquaredDeviations: Swift.max(0, deviations.squared[j]
                                                             - deviations.linear[j] * correction))
        }
    }

    public var means: [Double] { moments.map(\.mean) }

    /// Standard deviations with `ddof`, one per column.
    public func standardDeviations(ddof: Int) throws(StatisticsError) -> [Double] {
        var result: [Double] = []
        result.reserveCapacity(moments.count)
        for m in moments { result.append(try m.standardDeviation(ddof: ddof)) }
        return result
    }
}

extension Matrix {
    /// Column-wise z-scores `z = (x − mean) / sd`, with mean and sd from `ColumnMoments` (NaN stays NaN).
    ///
    /// `ddof = 0` divides by N (MSS method), `ddof = 1` by N − 1; with `weights`, frequency-weighted moments.
    /// - Throws: `zeroVariance` naming the column when all its values are equal; `insufficientData` when a column
    ///   has too few values.
    public func zScores(ddof: Int = 0, weights: [Double]? = nil) throws(StatisticsError) -> Matrix {
        var copy = self
        try copy.standardizeColumns(ddof: ddof, weights: weights)
        return copy
    }

    /// Standardises every column in place (see `zScores`): three streaming passes over the data (sum, squared
    /// deviations, rewrite), split by column over the cores, and no new allocation.
    public mutating func standardizeColumns(ddof: Int = 0, weights: [Double]? = nil) throws(StatisticsError) {
        let columnMoments = try ColumnMoments(self, weights: weights)
        let deviations = try columnMoments.standardDeviations(ddof: ddof)
        for (j, sd) in deviations.enumerated() where !hasSpread(standardDeviation: sd, mean: columnMoments.moments[j].mean) {
            throw .zeroVariance(statistic: "z-score", column: j)
        }
        shiftAndScaleColumns(shift: columnMoments.means, scale: deviations.map { 1 / $0 })
    }
}

/// Whether a standard deviation is a real spread rather than zero: equal values can leave a rounding-level spread
/// (the mean differs from them in the last bit), so anything up to 1e-13 · |mean| counts as none.
public func hasSpread(standardDeviation sd: Double, mean: Double) -> Bool {
    sd > 0 && sd > 1e-13 * abs(mean)
}
