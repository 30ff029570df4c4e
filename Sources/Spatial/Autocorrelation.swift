import Dispatch
import Foundation
import Statistics
import LinearAlgebra

/// Permutation inference of a statistic: its simulated distribution's moments and the pseudo p-value
/// `p = (M + 1)/(R + 1)`, M the number of permutations at least as extreme on the side of the observed value
/// (as esda: the smaller of the two tails).
public struct PermutationInference: Sendable, Equatable {
    public let permutations: Int
    public let seed: UInt64
    public let pValue: Double
    public let mean: Double
    public let standardDeviation: Double
    public let z: Double

    init(observed: Double, simulated: [Double], seed: UInt64) {
        permutations = simulated.count
        self.seed = seed
        let larger = simulated.filter { $0 >= observed }.count
        let extreme = min(larger, simulated.count - larger)
        pValue = Double(extreme + 1) / Double(simulated.count + 1)
        let m = simulated.reduce(0, +) / Double(simulated.count)
        mean = m
        let sd = (simulated.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(simulated.count - 1, 1))).squareRoot()
        standardDeviation = sd
        z = sd > 0 ? (observed - m) / sd : .nan
    }
}

/// Inference under a null hypothesis with an analytic expectation and variance.
public struct AnalyticInference: Sendable, Equatable {
    public let expected: Double
    public let variance: Double
    public let z: Double
    /// Two-sided p-value from the standard normal.
    public let pValue: Double

    init(observed: Double, expected: Double, variance: Double) {
        self.expected = expected
        self.variance = variance
        z = variance > 0 ? (observed - expected) / variance.squareRoot() : .nan
        pValue = variance > 0 ? StandardNormal.twoSidedPValue(z) : .nan
    }
}

/// Global Moran's I (Moran 1950) with inference under normality, randomisation (Cliff & Ord 1981) and permutation,
/// as esda's `Moran`:
///
///     I = (n / S0) · zᵀWz / zᵀz,  z = y − ȳ,  E[I] = −1/(n − 1)
///     Var_norm = (n²S1 − nS2 + 3S0²) / ((n² − 1)S0²) − E[I]²
///     Var_rand = [n((n² − 3n + 3)S1 − nS2 + 3S0²) − k((n² − n)S1 − 2nS2 + 6S0²)] / ((n−1)(n−2)(n−3)S0²) − E[I]²
///
/// with k the kurtosis `(Σz⁴/n)/(Σz²/n)²`.
public struct GlobalMoran: Sendable {
    public let i: Double
    public let normality: AnalyticInference
    public let randomization: AnalyticInference
    public let permutation: PermutationInference?
    public let n: Int

    /// - Throws: `SpatialError` when values and weights differ in length, a value is missing, or y is constant.
    public init(_ y: [Double], weights w: SpatialWeights, permutations: Int = 999, seed: UInt64 = 1) throws(SpatialError) {
        try requireOneValuePerArea(y, w, statistic: "Moran's I")
        try self.init(MoranSums(y, rows: WeightRows(w), permutations: permutations, seed: seed))
    }

    /// I and its inference from the sums of the whole map (merged over its parts).
    public init(_ sums: MoranSums) throws(SpatialError) {
        guard sums.n >= 4 else { throw .degenerate("Moran's I needs values in at least 4 areas, got \(sums.n)") }
        guard sums.z2 > 0 else { throw .degenerate("Moran's I is undefined for a constant variable") }
        guard sums.s0 > 0 else { throw .degenerate("the weights have no links (every area is an island)") }
        let n = Double(sums.n), s0 = sums.s0, s1 = sums.s1, s2 = sums.s2, z2 = sums.z2
        let observed = n / s0 * sums.cross / z2
        self.i = observed
        self.n = sums.n
        let expected = -1 / (n - 1)
        let vNorm = (n * n * s1 - n * s2 + 3 * s0 * s0) / ((n - 1) * (n + 1) * s0 * s0) - expected * expected
        let k = (sums.z4 / n) / ((z2 / n) * (z2 / n))
        let a = n * ((n * n - 3 * n + 3) * s1 - n * s2 + 3 * s0 * s0)
        let b = k * ((n * n - n) * s1 - 2 * n * s2 + 6 * s0 * s0)
        let vRand = (a - b) / ((n - 1) * (n - 2) * (n - 3) * s0 * s0) - expected * expected
        normality = AnalyticInference(observed: observed, expected: expected, variance: vNorm)
        randomization = AnalyticInference(observed: observed, expected: expected, variance: vRand)
        permutation = sums.permuted.isEmpty ? nil : PermutationInference(
            observed: observed, simulated: sums.permuted.map { n / s0 * $0 / z2 }, seed: sums.seed)
    }
}

/// Local Moran's I (Anselin 1995) with conditional permutation inference, as esda's `Moran_Local`:
/// `I_i = (n − 1) · z_i · Σ_j w_ij z_j / Σ_k z_k²`, z standardised by the population sd; quadrants by the signs of
/// z_i and its lag. The permutations of area i draw its neighbours' values from the other areas, k distinct ones
/// per permutation, from `RandomStream(seed, stream: i)`, so results do not depend on the number of threads.
public struct LocalMoran: Sendable {
    public enum Quadrant: String, Sendable { case highHigh = "HH", lowHigh = "LH", lowLow = "LL", highLow = "HL" }

    public let values: [Double]
    public let quadrants: [Quadrant]
    /// Pseudo p-values of the conditional permutation test (nil without permutations).
    public let pValues: [Double]?
    public let permutations: Int
    public let seed: UInt64

    /// Results computed elsewhere (the rows of the parts of a distributed run, put together).
    public init(values: [Double], quadrants: [Quadrant], pValues: [Double]?, permutations: Int, seed: UInt64) {
        precondition(quadrants.count == values.count && (pValues?.count ?? values.count) == values.count, "one row per area")
        self.values = values; self.quadrants = quadrants; self.pValues = pValues
        self.permutations = permutations; self.seed = seed
    }

    /// Local Moran with `permutations` conditional permutations drawn from `seed` (one shared table, see
    /// `PermutationTable`).
    public init(_ y: [Double], weights w: SpatialWeights, permutations: Int = 999, seed: UInt64 = 1) throws(SpatialError) {
        try requireOneValuePerArea(y, w, statistic: "local Moran")
        try self.init(y, rows: WeightRows(w), permutations: permutations, seed: seed)
    }

    /// Local Moran of the areas of `rows` only (a part of the map with every value `y` of it), with a table as wide
    /// as their widest row: each area draws the same permutations as in the run on the whole map.
    public init(_ y: [Double], rows: WeightRows, permutations: Int = 999, seed: UInt64 = 1) throws(SpatialError) {
        guard y.count >= 2 else { throw .degenerate("local Moran needs values in at least 2 areas, got \(y.count)") }
        try self.init(y, rows: rows, table: PermutationTable(rows: permutations, width: rows.widest, from: y.count - 1, seed: seed),
                      seed: seed)
    }

    /// Local Moran with the conditional permutations of `table` (see `init(_:rows:table:seed:)`).
    public init(_ y: [Double], weights w: SpatialWeights, table: PermutationTable, seed: UInt64 = 0) throws(SpatialError) {
        try requireOneValuePerArea(y, w, statistic: "local Moran")
        try self.init(y, rows: WeightRows(w), table: table, seed: seed)
    }

    /// Local Moran of the areas of `rows` with the conditional permutations of `table`: in permutation p, area i's
    /// k neighbours are replaced by the first k entries of row p, entry j standing for area j (j < i) or j + 1
    /// (j ≥ i), so that i itself is never drawn. The pseudo p-value is folded, as esda's: (min(L, P − L) + 1)/(P + 1),
    /// L the number of permuted statistics ≥ the observed one. z is standardised over all of `y`.
    public init(_ y: [Double], rows: WeightRows, table: PermutationTable, seed: UInt64 = 0) throws(SpatialError) {
        guard y.allSatisfy(\.isFinite) else { throw .degenerate("local Moran needs a value for every area (no missing values)") }
        let n = y.count
        let mean = y.reduce(0, +) / Double(n)
        let sd = (y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)).squareRoot()
        guard sd > 0 else { throw .degenerate("local Moran is undefined for a constant variable") }
        let z = y.map { ($0 - mean) / sd }
        let denominator = z.reduce(0) { $0 + $1 * $1 }
        let lag = rows.outgoing.map { $0.reduce(0) { $0 + $1.weight * z[$1.area] } }
        let factor = Double(n - 1) / denominator
        let areas = rows.areas
        values = areas.indices.map { factor * z[areas[$0]] * lag[$0] }
        quadrants = areas.indices.map { k in
            z[areas[k]] > 0 ? (lag[k] > 0 ? .highHigh : .highLow) : (lag[k] > 0 ? .lowHigh : .lowLow)
        }
        let permutations = table.rows
        self.permutations = permutations
        self.seed = seed
        guard permutations > 0 else { pValues = nil; return }
        precondition(table.width >= rows.widest, "a permutation table narrower than the largest neighbourhood")
        let observed = values, indices = table.indices, width = table.width
        pValues = parallelMap(areas.count) { k in
            let links = rows.outgoing[k], i = areas[k]
            guard !links.isEmpty else { return 1 }
            let scale = factor * z[i], observedI = observed[k]
            var larger = 0
            for p in 0..<permutations {
                let row = p * width
                var lagSim = 0.0
                for t in links.indices {
                    let j = Int(indices[row + t])
                    lagSim += links[t].weight * z[j < i ? j : j + 1]
                }
                if scale * lagSim >= observedI { larger += 1 }
            }
            return Double(min(larger, permutations - larger) + 1) / Double(permutations + 1)
        }
    }
}

/// The conditional permutations of a local statistic, shared by all areas (as esda's `crand` and GeoDa draw them):
/// `rows` rows of `width` distinct indices in 0..<m, where m = n − 1 is the number of the other areas. Drawing one
/// table instead of fresh neighbours for every area makes the test cost a table lookup per neighbour, and the same
/// seed gives the same table, whatever the number of threads.
///
/// Row p is drawn from its own stream `RandomStream(seed, stream: p)` by a partial Fisher–Yates shuffle of 0..<m
/// (the displaced entries kept in a dictionary, so a row costs O(width), not O(m)). Its first k entries therefore do
/// not depend on `width`: an area with k neighbours draws the same values from a table as wide as its own
/// neighbourhood as from one as wide as the widest of the map, so that a part of a map (`sozmon part spatial`)
/// tests its areas exactly as the run on the whole map does.
public struct PermutationTable: Sendable, Equatable {
    public let rows: Int
    public let width: Int
    /// Row-major, `rows × width`.
    public let indices: [Int32]

    /// A table drawn from `seed`: row p the first `width` entries of a uniformly random permutation of 0..<m.
    public init(rows: Int, width: Int, from m: Int, seed: UInt64) {
        precondition(rows >= 0 && width >= 0 && width <= max(m, 0), "\(width) distinct indices of \(m)")
        var indices = [Int32](repeating: 0, count: rows * width)
        var displaced: [Int: Int] = [:]
        for p in 0..<rows {
            var generator = RandomStream(seed: seed, stream: UInt64(p))
            displaced.removeAll(keepingCapacity: true)
            for t in 0..<width {
                let r = t + generator.integer(below: m - t)
                indices[p * width + t] = Int32(displaced[r] ?? r)
                displaced[r] = displaced[t] ?? t
            }
        }
        self.rows = rows
        self.width = width
        self.indices = indices
    }

    /// A given table (e.g. esda's, to compare with it), one array per row.
    public init(_ table: [[Int]]) {
        let width = table.first?.count ?? 0
        precondition(table.allSatisfy { $0.count == width }, "rows of one width")
        rows = table.count
        self.width = width
        indices = table.flatMap { $0.map { Int32($0) } }
    }
}

/// Getis–Ord local statistics (Getis & Ord 1992; Ord & Getis 1995) with analytic z-values, as esda's `G_Local`:
/// `G_i = Σ_j w_ij y_j / Σ_{j (≠ i unless star)} y_j`, E[G_i] = W_i/N, Var[G_i] = W_i(N − W_i)/((N − 1)N²) · s²/ȳ²,
/// where for G*_i (star) the area itself is its own neighbour with weight 1 before the transformation.
public struct GetisOrd: Sendable {
    public let values: [Double]
    public let z: [Double]
    public let star: Bool

    /// Results computed elsewhere (the rows of the parts of a distributed run, put together).
    public init(values: [Double], z: [Double], star: Bool) {
        precondition(values.count == z.count, "one row per area")
        self.values = values; self.z = z; self.star = star
    }

    public init(_ y: [Double], weights w: SpatialWeights, star: Bool = true, rowStandardized: Bool = true)
        throws(SpatialError) {
        try requireOneValuePerArea(y, w, statistic: "Getis-Ord G")
        try self.init(y, rows: WeightRows(w), star: star, rowStandardized: rowStandardized)
    }

    /// G of the areas of `rows` only (a part of the map with every value `y` of it; the rows' weights are taken as
    /// links, each 1).
    public init(_ y: [Double], rows: WeightRows, star: Bool = true, rowStandardized: Bool = true) throws(SpatialError) {
        // G is a ratio of sums of the values: meaningful for non-negative variables (counts, shares) only.
        guard y.allSatisfy({ $0 >= 0 }), y.contains(where: { $0 > 0 }) else {
            throw .degenerate("Getis-Ord G needs non-negative values (counts or shares), not z-scores or changes")
        }
        let n = y.count
        var links: [[(Int, Double)]] = rows.outgoing.map { $0.map { ($0.area, 1) } }
        if star { for k in links.indices { links[k].append((rows.areas[k], 1)) } }
        if rowStandardized {
            links = links.map { row in
                let sum = row.reduce(0) { $0 + $1.1 }
                return sum > 0 ? row.map { ($0.0, $0.1 / sum) } : row
            }
        }
        let total = y.reduce(0, +), squares = y.reduce(0) { $0 + $1 * $1 }
        let removeSelf = star ? 0.0 : 1.0
        let bigN = Double(n) - removeSelf
        var values = [Double](), zs = [Double]()
        for (k, i) in rows.areas.enumerated() {
            let statistic = links[k].reduce(0) { $0 + $1.1 * y[$1.0] } / (total - y[i] * removeSelf)
            let mean = (total - y[i] * removeSelf) / bigN
            let variance = (squares - y[i] * y[i] * removeSelf) / bigN - mean * mean
            let cardinality = links[k].reduce(0) { $0 + $1.1 }
            let expected = cardinality / bigN
            let v = cardinality * (bigN - cardinality) / (bigN - 1) / (bigN * bigN) * variance / (mean * mean)
            values.append(statistic)
            zs.append(v > 0 ? (statistic - expected) / v.squareRoot() : .nan)
        }
        self.values = values
        self.z = zs
        self.star = star
    }
}

/// The inputs every statistic here needs: one finite value per area of the weights.
func requireOneValuePerArea(_ y: [Double], _ w: SpatialWeights, statistic: String) throws(SpatialError) {
    guard y.count == w.count else {
        throw .invalidParameter(name: "y", value: "\(y.count) values", expected: "one value per area (\(w.count))")
    }
    guard y.allSatisfy(\.isFinite) else { throw .degenerate("\(statistic) needs a value for every area (no missing values)") }
}
