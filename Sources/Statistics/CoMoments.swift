import LinearAlgebra

/// Means and co-moments `C = Σ (x − x̄)(x − x̄)ᵀ` of k variables over the rows where all are present: what
/// correlations, Cronbach's alpha and principal components need, mergeable over parts of the rows by the
/// multivariate pairwise update (Chan, Golub & LeVeque 1979; Pébay 2008):
///
///     n = na + nb,  δ = x̄b − x̄a,  x̄ = x̄a + δ·nb/n,  C = Ca + Cb + δδᵀ·na·nb/n
public struct CoMoments: Sendable, Equatable, Codable {
    public let count: Int
    public let means: [Double]
    /// Row-major k × k.
    public let comoments: [Double]
    public var variables: Int { means.count }

    /// No row yet, of k variables.
    public init(empty k: Int) {
        count = 0
        means = Array(repeating: 0, count: k)
        comoments = Array(repeating: 0, count: k * k)
    }

    public init(count: Int, means: [Double], comoments: [Double]) {
        precondition(comoments.count == means.count * means.count, "k × k co-moments")
        self.count = count; self.means = means; self.comoments = comoments
    }

    /// Over the rows of `values` with `include[i]` and every column present (two passes: means, then co-moments).
    public init(_ values: Matrix, include: [Bool]) {
        let k = values.columns
        let rows = (0..<values.rows).filter { i in include[i] && (0..<k).allSatisfy { !values[i, $0].isNaN } }
        guard !rows.isEmpty else { self.init(empty: k); return }
        var means = [Double](repeating: 0, count: k)
        for j in 0..<k { means[j] = rows.reduce(0) { $0 + values[$1, j] } / Double(rows.count) }
        var c = [Double](repeating: 0, count: k * k)
        for i in rows {
            for a in 0..<k {
                let da = values[i, a] - means[a]
                for b in a..<k { c[a * k + b] += da * (values[i, b] - means[b]) }
            }
        }
        for a in 0..<k { for b in 0..<a { c[a * k + b] = c[b * k + a] } }
        self.init(count: rows.count, means: means, comoments: c)
    }

    /// The co-moments of the union of two disjoint sets of rows.
    public func merged(with other: CoMoments) -> CoMoments {
        precondition(variables == other.variables, "the same variables")
        guard other.count > 0 else { return self }
        guard count > 0 else { return other }
        let n = Double(count + other.count), k = variables
        let delta = zip(other.means, means).map { $0 - $1 }
        let factor = Double(count) * Double(other.count) / n
        var c = zip(comoments, other.comoments).map { $0 + $1 }
        for a in 0..<k { for b in 0..<k { c[a * k + b] += delta[a] * delta[b] * factor } }
        return CoMoments(count: count + other.count, means: zip(means, delta).map { $0 + $1 * Double(other.count) / n },
                         comoments: c)
    }
}
