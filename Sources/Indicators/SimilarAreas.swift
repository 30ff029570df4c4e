import LinearAlgebra
import Statistics

/// The areas most alike each area in its indicators (as Hamburg's CoSI offers "find similar areas"): for every
/// area with complete values, the k nearest other areas, nearest first, by
/// - `euclidean`: the Euclidean distance between the areas' z-scores (each indicator centred and divided by its
///   standard deviation, ddof 0), so that every indicator weighs alike;
/// - `mahalanobis`: `√((x − y)ᵀ Σ⁻¹ (x − y))` with Σ the indicators' covariance (ddof 1, as numpy's `cov`), which also
///   discounts indicators that say the same; computed as Euclidean distances after whitening, `X V Λ^{-1/2}`.
/// Brute force over all pairs in blocks (`d² = ‖x‖² + ‖y‖² − 2 x·y` by one matrix product per block, as scikit-learn's
/// `NearestNeighbors(algorithm="brute")` computes it): O(n² p).
public struct SimilarAreas: Sendable {
    public enum Metric: String, Sendable, CaseIterable, Encodable { case euclidean, mahalanobis }

    /// Per area, its most similar areas (row numbers), nearest first; empty for an area with a missing value.
    public let neighbours: [[Int]]
    /// The distances, in the same order.
    public let distances: [[Double]]

    /// - Parameters:
    ///   - values: one row per area, one column per indicator (NaN: missing).
    ///   - allowed: whether area j may be named for area i (e.g. only areas of other districts).
    public init(_ values: Matrix, k: Int, metric: Metric, allowed: (Int, Int) -> Bool = { _, _ in true })
        throws(StatisticsError) {
        guard k >= 1 else { throw .invalidParameter(name: "k", value: "\(k)", expected: "an int in the range [1, inf)") }
        let complete = (0..<values.rows).filter { i in (0..<values.columns).allSatisfy { !values[i, $0].isNaN } }
        guard complete.count >= 2 else {
            throw .insufficientData(statistic: "similar areas", count: complete.count, needed: 2)
        }
        let x = values.selectingRows(complete)
        let features: Matrix
        switch metric {
        case .euclidean:
            features = try x.zScores(ddof: 0)
        case .mahalanobis:
            let centred = x.columnsShiftedAndScaled(shift: (0..<x.columns).map { j in x.column(j).reduce(0, +) / Double(x.rows) },
                                                    scale: [Double](repeating: 1, count: x.columns))
            let covariance = centred.gram(scaledBy: 1 / Double(x.rows - 1))
            guard let eigen = try? covariance.symmetricEigendecomposition(), eigen.values.allSatisfy({ $0 > 1e-12 }) else {
                // Singular: an indicator is constant or a combination of the others.
                throw .zeroVariance(statistic: "Mahalanobis distance (the indicators' covariance is singular)", column: 0)
            }
            let whitening = Matrix(columns: (0..<x.columns).map { j in
                (0..<x.columns).map { eigen.vectors[$0, j] / eigen.values[j].squareRoot() }
            })
            features = centred.multiplied(by: whitening)
        }
        let n = features.rows, norms = features.squaredRowNorms()
        var neighbours = [[Int]](repeating: [], count: values.rows)
        var distances = [[Double]](repeating: [], count: values.rows)
        let block = 512
        for start in stride(from: 0, to: n, by: block) {
            let rows = Array(start..<min(n, start + block))
            let products = features.selectingRows(rows).multiplied(by: features, transposingOther: true)
            for (r, i) in rows.enumerated() {
                var best: [(d: Double, j: Int)] = []
                for j in 0..<n where j != i && allowed(complete[i], complete[j]) {
                    let d = max(0, norms[i] + norms[j] - 2 * products[r, j])
                    if best.count == k, d >= best[k - 1].d { continue }
                    var at = best.count
                    while at > 0 && best[at - 1].d > d { at -= 1 }
                    best.insert((d, j), at: at)
                    if best.count > k { best.removeLast() }
                }
                neighbours[complete[i]] = best.map { complete[$0.j] }
                distances[complete[i]] = best.map { $0.d.squareRoot() }
            }
        }
        self.neighbours = neighbours
        self.distances = distances
    }
}
