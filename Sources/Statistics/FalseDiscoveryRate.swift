/// Benjamini–Hochberg adjusted p-values ("q-values"), controlling the false discovery rate of many tests at once
/// (Benjamini & Hochberg 1995; as statsmodels' `multipletests(method="fdr_bh")`).
///
/// With the m non-missing p-values sorted, `p₍₁₎ ≤ … ≤ p₍ₘ₎`:  `q₍ᵢ₎ = min_{j ≥ i} min(1, m · p₍ⱼ₎ / j)`.
/// A NaN p-value (a test that could not be done) stays NaN and does not count in m.
/// - Throws: `invalidParameter` for a p-value outside [0, 1].
public func benjaminiHochberg(_ pValues: [Double]) throws(StatisticsError) -> [Double] {
    if let bad = pValues.first(where: { !$0.isNaN && !($0 >= 0 && $0 <= 1) }) {
        throw .invalidParameter(name: "pValues", value: "\(bad)", expected: "probabilities in the range [0, 1]")
    }
    let order = pValues.indices.filter { !pValues[$0].isNaN }.sorted { pValues[$0] < pValues[$1] }
    let m = Double(order.count)
    var result = [Double](repeating: .nan, count: pValues.count)
    var runningMinimum = 1.0
    for rank in stride(from: order.count, through: 1, by: -1) {
        let index = order[rank - 1]
        runningMinimum = Swift.min(runningMinimum, m * pValues[index] / Double(rank))
        result[index] = runningMinimum
    }
    return result
}
