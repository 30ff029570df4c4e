import Foundation
import LinearAlgebra
import Statistics

/// Diagnostics of a set of indicators over the reference areas (OECD/JRC Handbook §4): how they correlate, whether
/// they measure one thing (Cronbach's alpha), and their principal components.
public struct IndicatorDiagnostics: Sendable {
    /// Pearson correlation matrix, indicators × indicators.
    public let correlation: Matrix
    /// Cronbach's alpha of the indicators: `k/(k−1) · (1 − Σ var(xⱼ) / var(Σ xⱼ))` on the raw values.
    public let cronbachAlpha: Double
    /// Eigenvalues of the correlation matrix, descending (the variances of the standardised components).
    public let eigenvalues: [Double]
    /// Explained variance ratio of each component, descending.
    public let explainedVarianceRatio: [Double]
    /// Loadings: eigenvector j scaled by √λⱼ (the correlation of indicator i with component j), indicators ×
    /// components; each component's sign is fixed so that its largest loading is positive.
    public let loadings: Matrix

    /// Computes the diagnostics on the rows (areas) of `values` that have no missing value.
    ///
    /// PCA is the symmetric eigendecomposition (LAPACK `dsyevr`) of the correlation matrix, which BLAS-3 `dsyrk`
    /// forms from the z-scores block by block: `R = ZᵀZ / n`. Cronbach's alpha takes the variance of the row sums
    /// from the same matrix, `var(Σⱼ xⱼ) = Σⱼₗ rⱼₗ sⱼ sₗ`.
    /// - Throws: `StatisticsError` for fewer than 3 complete areas, fewer than 2 indicators or zero variance;
    ///   `LinearAlgebraError` if the eigensolver fails.
    public init(values: Matrix) throws {
        let n = values.rows, k = values.columns
        guard k >= 2 else {
            throw StatisticsError.invalidParameter(name: "indicators", value: "\(k)", expected: "at least 2 indicators")
        }
        // The complete rows are read in place: all k indicators present.
        let complete = values.presentWeights([Double](repeating: 1, count: k)).map { $0 == Double(k) }
        let count = complete.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard count >= 3 else { throw StatisticsError.insufficientData(statistic: "diagnostics", count: count, needed: 3) }
        let moments = try ColumnMoments(values, included: count == n ? nil : complete)
        let sds = try moments.standardDeviations(ddof: 0)
        for j in 0..<k where !hasSpread(standardDeviation: sds[j], mean: moments.means[j]) {
            throw StatisticsError.zeroVariance(statistic: "z-score", column: j)
        }
        var r = values.shiftedScaledGram(shift: moments.means, scale: sds.map { 1 / $0 },
                                         include: count == n ? nil : complete)
        for j in 0..<k { for l in 0..<k { r[j, l] /= Double(count) } }
        let itemVariances = try moments.moments.reduce(0.0) { $0 + (try $1.variance(ddof: 1)) }
        try self.init(correlation: r, standardDeviations: sds, itemVariances: itemVariances, count: count)
    }

    /// The diagnostics from co-moments merged over parts of the areas (a distributed run): the same formulas, the
    /// correlation `rⱼₗ = Cⱼₗ / √(Cⱼⱼ Cₗₗ)`.
    public init(_ c: CoMoments) throws {
        let k = c.variables, n = c.count
        guard k >= 2 else {
            throw StatisticsError.invalidParameter(name: "indicators", value: "\(k)", expected: "at least 2 indicators")
        }
        guard n >= 3 else { throw StatisticsError.insufficientData(statistic: "diagnostics", count: n, needed: 3) }
        let sds = (0..<k).map { (c.comoments[$0 * k + $0] / Double(n)).squareRoot() }
        for j in 0..<k where !hasSpread(standardDeviation: sds[j], mean: c.means[j]) {
            throw StatisticsError.zeroVariance(statistic: "z-score", column: j)
        }
        var r = Matrix(rows: k, columns: k)
        for j in 0..<k { for l in 0..<k { r[j, l] = c.comoments[j * k + l] / Double(n) / (sds[j] * sds[l]) } }
        let itemVariances = (0..<k).reduce(0.0) { $0 + c.comoments[$1 * k + $1] / Double(n - 1) }
        try self.init(correlation: r, standardDeviations: sds, itemVariances: itemVariances, count: n)
    }

    /// Alpha and the principal components from the correlation matrix (diagonal set to 1), the standard
    /// deviations (ddof 0), the sum of the item variances (ddof 1) and the number of areas.
    private init(correlation r: Matrix, standardDeviations sds: [Double], itemVariances: Double, count: Int) throws {
        let k = sds.count
        var r = r
        for j in 0..<k { r[j, j] = 1 }
        correlation = r
        // var(Σⱼ xⱼ) = Σⱼₗ cov(xⱼ, xₗ) = Σⱼₗ rⱼₗ sⱼ sₗ (ddof 0), rescaled to ddof 1 as the item variances.
        var totalVariance = 0.0
        for j in 0..<k { for l in 0..<k { totalVariance += r[j, l] * sds[j] * sds[l] } }
        totalVariance *= Double(count) / Double(count - 1)
        cronbachAlpha = Double(k) / Double(k - 1) * (1 - itemVariances / totalVariance)
        let eigen = try r.symmetricEigendecomposition()
        let order = Array((0..<k).reversed())
        eigenvalues = order.map { max(0, eigen.values[$0]) }
        let total = eigenvalues.reduce(0, +)
        explainedVarianceRatio = eigenvalues.map { $0 / total }
        var loadings = Matrix(rows: k, columns: k)
        for (c, source) in order.enumerated() {
            let vector = eigen.vectors.column(source)
            let largest = vector.max { abs($0) < abs($1) } ?? 1
            let sign = largest < 0 ? -1.0 : 1.0
            for i in 0..<k { loadings[i, c] = sign * vector[vector.startIndex + i] * eigenvalues[c].squareRoot() }
        }
        self.loadings = loadings
    }

    /// Weights from the first principal component: `|loading|` normalised to sum to the number of indicators
    /// (so that equal loadings give the equal weights 1 of the MSS).
    public var firstComponentWeights: [Double] {
        let magnitudes = (0..<loadings.rows).map { abs(loadings[$0, 0]) }
        let sum = magnitudes.reduce(0, +)
        return magnitudes.map { $0 / sum * Double(magnitudes.count) }
    }
}
