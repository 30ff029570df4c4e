import LinearAlgebra
import Statistics

/// Getis–Ord G\* in a space-time cube (Ord & Getis 1995; the space-time neighbourhood of ESRI's Emerging Hot Spot
/// Analysis and R sfdep's `emerging_hotspot_analysis`): the neighbourhood of area i in period t is i and its spatial
/// neighbours in period t and the `timeWindow` periods before it (fewer at the start of the series), each with
/// weight 1. With that neighbourhood's sum S_it and size m_it, and the mean x̄_t and population variance s²_t of
/// period t's n values,
///
///     z_it = (S_it − m_it·x̄_t) / √( s²_t · (n·m_it − m_it²) / (n − 1) )
///
/// which is spdep's `localG` (and sfdep's `local_g_spt`) z-value; it does not change when a row of weights is
/// scaled, so row-standardised weights give the same z. With `timeWindow = 0` it is esda's `G_Local(star=True)` z.
///
/// p-values are conditional-permutation pseudo p-values where `permutations > 0`: x_it stays, the other m_it − 1
/// values of its neighbourhood are drawn without replacement from the other values of its window's periods, and
/// p = (min(L, P − L) + 1)/(P + 1), L the number of drawn sums ≥ S_it (folded as esda's; sums within 1e-11
/// relative of S_it count as ties, so that values given to a few decimals tie whatever the order of summation). One table of draws per
/// window length serves every area (as `LocalMoran`), so results do not depend on the number of threads. Without
/// permutations, p is the two-sided normal p-value of z (ESRI's).
public struct SpaceTimeGetisOrd: Sendable {
    public let periods: Int
    public let areaCount: Int
    public let timeWindow: Int
    /// z-values, period-major: `z[t * areaCount + i]`.
    public let z: [Double]
    /// p-values in the same layout.
    public let pValues: [Double]
    public let permutations: Int

    /// - Parameters:
    ///   - values: one row per period, one value per area of `weights` in each, no missing values.
    ///   - weights: the spatial neighbours (their weights are not used: every neighbour counts 1).
    /// - Throws: `SpatialError` for rows of the wrong length, missing values, a constant period, or a neighbourhood
    ///   as large as the number of areas (its variance is then 0).
    public init(_ values: [[Double]], weights: SpatialWeights, timeWindow: Int, permutations: Int = 199, seed: UInt64 = 1)
        throws(SpatialError) {
        let widest = (weights.neighbours.map(\.count).max() ?? 0) + 1
        let tables = (1...max(1, min(timeWindow + 1, values.count))).map { length in
            PermutationTable(rows: permutations, width: min(widest * length - 1, length * weights.count - 1),
                             from: length * weights.count - 1, seed: seed &+ UInt64(length - 1))
        }
        try self.init(values, weights: weights, timeWindow: timeWindow, tables: tables)
    }

    /// As above with given draws: `tables[L − 1]` for windows of L periods, its entries indices into the window's
    /// L·n − 1 other values (period-major, the area itself skipped).
    public init(_ values: [[Double]], weights: SpatialWeights, timeWindow: Int, tables: [PermutationTable]) throws(SpatialError) {
        let n = weights.count, periods = values.count
        guard timeWindow >= 0 else {
            throw .invalidParameter(name: "time_window", value: "\(timeWindow)", expected: "0 or more periods")
        }
        guard periods > 0 else { throw .degenerate("space-time G* needs at least one period") }
        for row in values { try requireOneValuePerArea(row, weights, statistic: "space-time G*") }
        let largest = (weights.neighbours.map(\.count).max() ?? 0) + 1
        let longest = min(timeWindow + 1, periods)
        guard largest * longest < n else {
            throw .degenerate("space-time G* needs more areas (\(n)) than the largest space-time neighbourhood "
                              + "(\(largest) areas × \(longest) periods)")
        }
        let permutations = tables.first?.rows ?? 0
        precondition(tables.count >= longest && tables.allSatisfy { $0.rows == permutations }
                     && (0..<longest).allSatisfy { permutations == 0 || tables[$0].width >= largest * ($0 + 1) - 1 },
                     "a table per window length, wide enough for the largest neighbourhood")
        let flat = values.flatMap { $0 }
        var z = [Double](repeating: 0, count: n * periods), p = z
        for t in 0..<periods {
            let row = values[t]
            let mean = row.reduce(0, +) / Double(n)
            let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
            guard variance > 0 else { throw .degenerate("space-time G* is undefined for a period with one value in every area (period \(t + 1))") }
            let start = max(0, t - timeWindow), length = t - start + 1
            let table = tables[length - 1]
            let window = Array(flat[(start * n)..<((t + 1) * n)])
            let results: [(Double, Double)] = parallelMap(n) { i in
                let members = weights.neighbours[i]
                var sum = 0.0
                for s in 0..<length {
                    let base = s * n
                    sum += window[base + i]
                    for j in members { sum += window[base + j] }
                }
                let m = Double((members.count + 1) * length), count = Double(n)
                let zValue = (sum - m * mean) / (variance * (count * m - m * m) / (count - 1)).squareRoot()
                guard permutations > 0 else { return (zValue, StandardNormal.twoSidedPValue(zValue)) }
                let drawn = (members.count + 1) * length - 1, own = window[(t - start) * n + i]
                let selfOffset = (t - start) * n + i
                // Sums of values given to a few decimals tie exactly; a tie counts as at least as large whatever the
                // order of summation did to its last bits.
                let bound = sum - 1e-11 * abs(sum)
                var larger = 0
                for r in 0..<permutations {
                    let base = r * table.width
                    var simulated = own
                    for d in 0..<drawn {
                        let e = Int(table.indices[base + d])
                        simulated += window[e < selfOffset ? e : e + 1]
                    }
                    if simulated >= bound { larger += 1 }
                }
                return (zValue, Double(min(larger, permutations - larger) + 1) / Double(permutations + 1))
            }
            for i in 0..<n { (z[t * n + i], p[t * n + i]) = results[i] }
        }
        self.periods = periods
        self.areaCount = n
        self.timeWindow = timeWindow
        self.z = z
        self.pValues = p
        self.permutations = permutations
    }

    /// Area i's z-values over the periods.
    public func zSeries(area i: Int) -> [Double] { (0..<periods).map { z[$0 * areaCount + i] } }

    /// Area i's p-values over the periods.
    public func pSeries(area i: Int) -> [Double] { (0..<periods).map { pValues[$0 * areaCount + i] } }
}
