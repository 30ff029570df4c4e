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

    public init(count: Int, weightSum: Double, mean: Double, sumOfSquaredDeviations: Double) {
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

extension Moments {
    /// No value yet: `merged(with:)` returns the other side unchanged.
    public static let empty = Moments(count: 0, weightSum: 0, mean: 0, sumOfSquaredDeviations: 0)

    /// The moments of the union of two disjoint sets of values, by the pairwise update of Chan, Golub & LeVeque
    /// (1979), with weight sums W in place of counts:
    ///
    ///     W = Wa + Wb,  δ = mean_b − mean_a,  mean = mean_a + δ·Wb/W,  M2 = M2a + M2b + δ²·Wa·Wb/W
    ///
    /// Associative up to rounding; a distributed run merges its parts in a fixed order, so its result is
    /// deterministic.
    public func merged(with other: Moments) -> Moments {
        guard other.weightSum > 0 else { return Moments(count: count + other.count, weightSum: weightSum, mean: mean,
                                                        sumOfSquaredDeviations: sumOfSquaredDeviations) }
        guard weightSum > 0 else { return Moments(count: count + other.count, weightSum: other.weightSum, mean: other.mean,
                                                  sumOfSquaredDeviations: other.sumOfSquaredDeviations) }
        let total = weightSum + other.weightSum, delta = other.mean - mean
        return Moments(count: count + other.count, weightSum: total, mean: mean + delta * (other.weightSum / total),
                       sumOfSquaredDeviations: sumOfSquaredDeviations + other.sumOfSquaredDeviations
                           + delta * delta * (weightSum * (other.weightSum / total)))
    }

    /// The moments of `values` where present (NaN skipped), weighted where `weights` are given (NaN weight: skipped);
    /// `empty` where nothing is present.
    public static func ofPresent(_ values: [Double], weights: [Double]? = nil) -> Moments {
        (try? Moments(values, weights: weights)) ?? .empty
    }
}

/// `Moments` of every column of a matrix in one streaming pass (NaN entries skipped, optional row weights).
public struct ColumnMoments: Sendable, Equatable {
    /// One `Moments` per column.
    public let moments: [Moments]

    /// - Parameter included: unweighted only: the rows that count (all when `nil`), read in place.
    /// - Throws: `insufficientData` naming the column when a column has no non-missing value.
    public init(_ matrix: Matrix, weights: [Double]? = nil, included: [Bool]? = nil) throws(StatisticsError) {
        precondition(weights == nil || included == nil, "included rows are for unweighted moments")
        if let included { precondition(included.count == matrix.rows, "one flag per row") }
        let gate = included.map(Self.gate)
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
        // One pass around pilot centres; a second pass around the mean only for a column whose pilot was so far
        // off that the shifted sums would lose digits.
        let pilots = Self.pilotCentres(matrix, weights: weights, gate: gate)
        try self.init(sums: matrix.columnDeviationSums(around: pilots, weights: weights, gate: gate), around: pilots) {
            matrix.columnDeviationSums(around: $0, weights: weights, gate: gate)
        }
    }

    /// Moments from the deviation sums around pilot centres; `again` sums around better centres for a column whose
    /// pilot was so far off that the shifted sums would lose digits.
    private init(sums first: ColumnDeviationSums, around pilots: [Double],
                 again: ([Double]) -> ColumnDeviationSums) throws(StatisticsError) {
        var sums = first, centres = pilots
        for j in pilots.indices {
            guard sums.counts[j] > 0, sums.weightSums[j] > 0 else {
                throw .insufficientData(statistic: "mean of column \(j)", count: sums.counts[j], needed: 1)
            }
        }
        let offCentre = pilots.indices.filter { j in
            // W·(x̄ − c)² against M2 = Σw d² − W·(x̄ − c)²: above 10×, the subtraction would cost a digit or more.
            let offset = sums.linear[j] * (sums.linear[j] / sums.weightSums[j])
            return offset > 10 * (sums.squared[j] - offset)
        }
        if !offCentre.isEmpty {
            for j in offCentre { centres[j] += sums.linear[j] / sums.weightSums[j] }
            let again = again(centres)
            for j in offCentre { sums.linear[j] = again.linear[j]; sums.squared[j] = again.squared[j] }
        }
        moments = pilots.indices.map { j in
            // Σw(x − c)² − W·(x̄ − c)², with x̄ − c = Σw(x − c)/W.
            let correction = sums.linear[j] / sums.weightSums[j]
            return Moments(count: sums.counts[j], weightSum: sums.weightSums[j], mean: centres[j] + correction,
                           sumOfSquaredDeviations: Swift.max(0, sums.squared[j] - sums.linear[j] * correction))
        }
    }

    /// The moments of each column over the complete rows only, with which rows those are, in one read of the
    /// matrix (`Matrix.completeRowSums`): a row is complete where `include` holds and the weight of its present
    /// entries, `Σⱼ weightsⱼ [xᵢⱼ present]`, is at least `minimumPresent`. The moments are nil when a column has no
    /// value in the complete rows.
    public static func overCompleteRows(of matrix: Matrix, weights: [Double], include: [Bool], minimumPresent: Double)
        -> (moments: ColumnMoments?, complete: [Bool]) {
        // Pilot centres over the complete rows among the first ones.
        let head = matrix.selectingRows(Array(0..<Swift.min(matrix.rows, pilotRows))).presentWeights(weights)
        let pilots = pilotCentres(matrix, weights: nil,
                                  gate: gate(head.indices.map { include[$0] && head[$0] >= minimumPresent }))
        let (complete, sums) = matrix.completeRowSums(weights: weights, include: include,
                                                      minimumPresent: minimumPresent, around: pilots)
        let moments = try? ColumnMoments(sums: sums, around: pilots) {
            matrix.columnDeviationSums(around: $0, gate: gate(complete))
        }
        return (moments, complete)
    }

    /// How many of the first rows give the pilot centres.
    private static let pilotRows = 1024

    /// The pilot centres: the mean of each column over its first `pilotRows` rows (with their weights or gate,
    /// which may be shorter than the matrix), 0 for a column without values there.
    private static func pilotCentres(_ matrix: Matrix, weights: [Double]?, gate: [Double]?) -> [Double] {
        let head = Swift.min(matrix.rows, pilotRows)
        let totals = matrix.selectingRows(Array(0..<head)).columnTotals(weights: weights.map { Array($0.prefix(head)) },
                                                                       gate: gate.map { Array($0.prefix(head)) })
        return (0..<matrix.columns).map { j in totals.weightSums[j] > 0 ? totals.weightedSums[j] / totals.weightSums[j] : 0 }
    }

    /// The gate of `columnTotals` for the rows marked true: 0 for them, NaN (skipped) for the others.
    private static func gate(_ included: [Bool]) -> [Double] { included.map { $0 ? 0 : .nan } }

    public var means: [Double] { moments.map(\.mean) }

    /// Given moments, one per column (e.g. merged from the parts of a distributed run).
    public init(columns: [Moments]) { moments = columns }

    /// Column by column, `Moments.merged(with:)`.
    public func merged(with other: ColumnMoments) -> ColumnMoments {
        precondition(moments.count == other.moments.count, "the same columns")
        return ColumnMoments(columns: zip(moments, other.moments).map { $0.merged(with: $1) })
    }

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
        let (mean, scale) = try standardization(ddof: ddof, weights: weights)
        return columnsShiftedAndScaled(shift: mean, scale: scale)
    }

    /// Standardises every column in place (see `zScores`): two streaming passes over the data (moments, rewrite),
    /// split by column over the cores, and no new allocation.
    public mutating func standardizeColumns(ddof: Int = 0, weights: [Double]? = nil) throws(StatisticsError) {
        let (mean, scale) = try standardization(ddof: ddof, weights: weights)
        shiftAndScaleColumns(shift: mean, scale: scale)
    }

    /// Per column the mean and 1/sd of a z-standardisation. - Throws: `zeroVariance` for a column without spread.
    func standardization(ddof: Int, weights: [Double]?) throws(StatisticsError) -> (mean: [Double], scale: [Double]) {
        let columnMoments = try ColumnMoments(self, weights: weights)
        let deviations = try columnMoments.standardDeviations(ddof: ddof)
        for (j, sd) in deviations.enumerated() where !hasSpread(standardDeviation: sd, mean: columnMoments.moments[j].mean) {
            throw .zeroVariance(statistic: "z-score", column: j)
        }
        return (columnMoments.means, deviations.map { 1 / $0 })
    }
}

/// Whether a standard deviation is a real spread rather than zero: equal values can leave a rounding-level spread
/// (the mean differs from them in the last bit), so anything up to 1e-13 · |mean| counts as none.
public func hasSpread(standardDeviation sd: Double, mean: Double) -> Bool {
    sd > 0 && sd > 1e-13 * abs(mean)
}

// JSON of the moments a distributed run exchanges between its passes (`sozmon part`).
extension Moments: Codable {
    enum CodingKeys: String, CodingKey { case count, weightSum = "weight_sum", mean, m2 }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(count: try c.decode(Int.self, forKey: .count), weightSum: try c.decode(Double.self, forKey: .weightSum),
                  mean: try c.decode(Double.self, forKey: .mean), sumOfSquaredDeviations: try c.decode(Double.self, forKey: .m2))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        try c.encode(weightSum, forKey: .weightSum)
        try c.encode(mean, forKey: .mean)
        try c.encode(sumOfSquaredDeviations, forKey: .m2)
    }
}

extension ColumnMoments: Codable {
    public init(from decoder: Decoder) throws { self.init(columns: try decoder.singleValueContainer().decode([Moments].self)) }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(moments)
    }
}
