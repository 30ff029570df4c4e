import LinearAlgebra
import Statistics

/// Whether a higher value of an indicator means more need (the MSS indicators all do) or less.
public enum Polarity: String, Sendable, CaseIterable, Codable {
    case higherIsWorse = "higher_is_worse"
    case higherIsBetter = "higher_is_better"
}

/// How indicators are brought to one scale before they are combined (OECD/JRC Handbook 2008, §5).
public enum Normalization: Sendable, Equatable {
    /// `(x − mean) / sd` over the reference areas; `ddof` 0 divides by N (the MSS rule), 1 by N − 1;
    /// population-weighted moments when `weighted`.
    case zScore(ddof: Int = 0, weighted: Bool = false)
    /// `(x − min) / (max − min)`, in [0, 1] over the reference areas.
    case minMax
    /// The percentile rank `(rank − 1)/(n − 1)` (ties averaged), in [0, 1].
    case percentileRank
    /// `(x − median) / (c · MAD)`, c = 1/Φ⁻¹(¾) ≈ 1.4826: a z-score robust to outliers (MAD scaled to the normal
    /// sd, as `scipy.stats.median_abs_deviation(scale="normal")`).
    case robustZScore

    /// Normalises each column of `values` using only the rows where `reference` is true for the location and
    /// scale; every row is transformed (rows outside the reference keep NaN where their input is NaN).
    ///
    /// - Throws: `zeroVariance` (or zero range/MAD) naming the column, `insufficientData` for a column without
    ///   reference values.
    public func apply(to values: Matrix, reference: [Bool], weights: [Double]? = nil) throws(StatisticsError) -> Matrix {
        if let (shift, scale) = try affineMap(for: values, reference: reference, weights: weights) {
            return values.columnsShiftedAndScaled(shift: shift, scale: scale)
        }
        // Percentile ranks: not an affine map of the values.
        let rows = reference.indices.filter { reference[$0] }
        var result = Matrix(rows: values.rows, columns: values.columns, repeating: .nan)
        for j in 0..<values.columns {
            let reference = rows.map { values[$0, j] }.filter { !$0.isNaN }.sorted()
            guard reference.count > 1 else {
                throw .insufficientData(statistic: "percentile rank of column \(j)", count: reference.count, needed: 2)
            }
            for i in 0..<values.rows where !values[i, j].isNaN {
                result[i, j] = (averageRank(of: values[i, j], in: reference) - 1) / Double(reference.count - 1)
            }
        }
        return result
    }

    /// For the normalisations that are an affine map of each column, `(x − shiftⱼ) · scaleⱼ`, the shifts and
    /// scales from the reference rows; `nil` for percentile ranks. Throws as `apply`. An unweighted z-score takes
    /// `moments` of the reference rows when the caller has them.
    public func affineMap(for values: Matrix, reference: [Bool], weights: [Double]? = nil,
                          moments known: ColumnMoments? = nil) throws(StatisticsError) -> (shift: [Double], scale: [Double])? {
        precondition(reference.count == values.rows, "one reference flag per row")
        var rows: [Int] { reference.indices.filter { reference[$0] } }
        var shift = [Double](repeating: 0, count: values.columns)
        var scale = [Double](repeating: 1, count: values.columns)
        switch self {
        case .zScore(let ddof, let weighted):
            // The reference rows are read in place (weighted: rows outside get a NaN weight, which the moments skip).
            let moments: ColumnMoments
            if let known {
                moments = known
            } else if weighted {
                moments = try ColumnMoments(values, weights: reference.indices.map { reference[$0] ? weights?[$0] ?? .nan : .nan })
            } else {
                moments = try ColumnMoments(values, included: reference.allSatisfy { $0 } ? nil : reference)
            }
            let sds = try moments.standardDeviations(ddof: ddof)
            for j in 0..<values.columns {
                guard hasSpread(standardDeviation: sds[j], mean: moments.means[j]) else {
                    throw .zeroVariance(statistic: "z-score", column: j)
                }
                shift[j] = moments.means[j]; scale[j] = 1 / sds[j]
            }
        case .minMax:
            let rows = rows
            for j in 0..<values.columns {
                let column = rows.map { values[$0, j] }.filter { !$0.isNaN }
                guard let lo = column.min(), let hi = column.max() else {
                    throw .insufficientData(statistic: "min-max of column \(j)", count: 0, needed: 1)
                }
                guard hi > lo else { throw .zeroVariance(statistic: "min-max", column: j) }
                shift[j] = lo; scale[j] = 1 / (hi - lo)
            }
        case .robustZScore:
            let rows = rows
            for j in 0..<values.columns {
                let column = rows.map { values[$0, j] }
                let med = try median(column)
                let mad = try median(column.map { abs($0 - med) })
                guard mad > 0 else { throw .zeroVariance(statistic: "robust z-score (MAD)", column: j) }
                shift[j] = med; scale[j] = 1 / (madToStandardDeviation * mad)
            }
        case .percentileRank:
            return nil
        }
        return (shift, scale)
    }
}

/// The 1-based average rank `x` would have among `sorted` (ties averaged; between values: interpolated by count).
func averageRank(of x: Double, in sorted: [Double]) -> Double {
    var low = 0, high = sorted.count
    while low < high { let mid = (low + high) / 2; if sorted[mid] < x { low = mid + 1 } else { high = mid } }
    var upper = low
    while upper < sorted.count && sorted[upper] == x { upper += 1 }
    return upper > low ? Double(low + 1 + upper) / 2 : Double(low) + 0.5
}

/// `1/Φ⁻¹(3/4)`: the MAD of a normal distribution times this is its standard deviation.
let madToStandardDeviation = 1.482_602_218_505_602
