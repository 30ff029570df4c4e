import LinearAlgebra
import Statistics

/// The sums global Moran's I is made of, over some rows of a map (`WeightRows`) whose values are all known:
/// n, s0, s1, s2 of the weights, `Σ z_i (Wz)_i`, `Σ z_i²`, `Σ z_i⁴` with z = y − ȳ (ȳ of the whole map), and the
/// same cross sum for each permutation of z. Over a partition of the map's rows with their halos they add up to the
/// sums of the whole map (`merged`), from which `GlobalMoran(sums)` gives I and its inference: so a distributed run
/// (`sozmon part spatial`) gets the statistic of the single run, up to the order of the additions.
public struct MoranSums: Codable, Sendable, Equatable {
    public var n: Int
    public var s0: Double
    public var s1: Double
    public var s2: Double
    /// `Σ z_i (Wz)_i`.
    public var cross: Double
    public var z2: Double
    public var z4: Double
    /// `Σ z'_i (Wz')_i` for each permutation z' of z: permutation r puts `z[π(i)]` at area i, π the
    /// `KeyedPermutation` of all areas from stream r of the seed, the same in every part (a part evaluates it only
    /// at the areas its rows touch).
    public var permuted: [Double]
    public var seed: UInt64

    /// The sums over `rows` of the map whose values are `y` (all of them, in the map's order).
    public init(_ y: [Double], rows: WeightRows, permutations: Int = 999, seed: UInt64 = 1) {
        let mean = y.reduce(0, +) / Double(y.count)
        let z = y.map { $0 - mean }
        (s0, s1, s2) = rows.sums
        n = rows.areas.count
        // The rows and the areas they touch (their own and their neighbours), numbered among themselves: a part of a
        // map then permutes only the values of those areas.
        var local = [Int](repeating: -1, count: y.count), touched: [Int] = []
        func number(_ area: Int) -> Int {
            if local[area] < 0 { local[area] = touched.count; touched.append(area) }
            return local[area]
        }
        let areas = rows.areas.map(number)
        let entries = rows.outgoing.map { $0.map { (column: number($0.area), weight: $0.weight) } }
        let sparse = SparseRows(count: touched.count, areas: areas, entries: entries)
        cross = sparse.quadraticForm(touched.map { z[$0] })
        var z2 = CompensatedSum(), z4 = CompensatedSum()
        for i in rows.areas { z2.add(z[i] * z[i]); z4.add(z[i] * z[i] * z[i] * z[i]) }
        self.z2 = z2.value
        self.z4 = z4.value
        self.seed = seed
        // Permutation r puts z[π_r(i)] at area i, π_r the keyed permutation of all areas (the same in every part).
        let count = y.count
        permuted = sparse.quadraticForms(of: z, permutations: permutations) { [touched] r, order in
            KeyedPermutation(count: count, seed: seed, stream: UInt64(r)).fill(&order, at: touched)
        }
    }

    /// The sums of both (parts of one map with the same permutations).
    public func merged(with other: MoranSums) -> MoranSums {
        precondition(permuted.count == other.permuted.count && seed == other.seed, "parts of one map, one seed")
        var m = self
        m.n += other.n; m.s0 += other.s0; m.s1 += other.s1; m.s2 += other.s2
        m.cross += other.cross; m.z2 += other.z2; m.z4 += other.z4
        m.permuted = zip(permuted, other.permuted).map { $0 + $1 }
        return m
    }
}
