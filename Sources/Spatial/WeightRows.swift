import Statistics

/// The rows of the weights of some areas of a map, in the indices of the whole map: the whole map (`init(_:)`), or
/// one part of it with its halo (`sozmon part spatial`), where every value of the map is known but only the part's
/// rows are. `incoming[k]` are the areas that have `areas[k]` as a neighbour, with the weight they give it (the
/// column of W), which s1 and s2 of Moran's I need.
public struct WeightRows: Sendable {
    public struct Link: Sendable, Equatable {
        public var area: Int
        public var weight: Double
        public init(area: Int, weight: Double) { self.area = area; self.weight = weight }
    }

    public var areas: [Int]
    /// Neighbours in ascending order, with their weights.
    public var outgoing: [[Link]]
    /// In ascending order of the area linking.
    public var incoming: [[Link]]

    public init(areas: [Int], outgoing: [[Link]], incoming: [[Link]]) {
        precondition(outgoing.count == areas.count && incoming.count == areas.count, "one row per area")
        self.areas = areas; self.outgoing = outgoing; self.incoming = incoming
    }

    /// Every row of `w`.
    public init(_ w: SpatialWeights) {
        var incoming = [[Link]](repeating: [], count: w.count)
        for i in 0..<w.count { for (j, weight) in zip(w.neighbours[i], w.weights[i]) { incoming[j].append(Link(area: i, weight: weight)) } }
        self.init(areas: Array(0..<w.count),
                  outgoing: (0..<w.count).map { i in zip(w.neighbours[i], w.weights[i]).map { Link(area: $0, weight: $1) } },
                  incoming: incoming)
    }

    /// The largest number of neighbours of a row.
    public var widest: Int { outgoing.map(\.count).max() ?? 0 }

    /// Each row's weights all 1 (for Getis–Ord's G).
    public func binary() -> WeightRows {
        WeightRows(areas: areas, outgoing: outgoing.map { $0.map { Link(area: $0.area, weight: 1) } },
                   incoming: incoming.map { $0.map { Link(area: $0.area, weight: 1) } })
    }

    /// The rows' contributions to `s0 = Σ_ij w_ij`, `s1 = ½ Σ_ij (w_ij + w_ji)²` and `s2 = Σ_i (w_i· + w_·i)²`: over
    /// all rows of a map they are its s0, s1, s2; over the parts of a partition they add up to them.
    /// Compensated sums (`CompensatedSum`): a map of 10⁶ areas summed in parts agrees with its sum in one piece to
    /// 1e-15 (plain sums differed by 1.4e-11 in the variance of I).
    public var sums: (s0: Double, s1: Double, s2: Double) {
        var s0 = CompensatedSum(), s1 = CompensatedSum(), s2 = CompensatedSum()
        for k in areas.indices {
            let out = outgoing[k], into = incoming[k]
            var a = 0, b = 0, row = 0.0, column = 0.0
            // The pairs (i, j) of row i: j a neighbour of i, or i a neighbour of j, or both (sorted merge).
            while a < out.count || b < into.count {
                let j = min(a < out.count ? out[a].area : .max, b < into.count ? into[b].area : .max)
                var w = 0.0, back = 0.0
                if a < out.count && out[a].area == j { w = out[a].weight; a += 1 }
                if b < into.count && into[b].area == j { back = into[b].weight; b += 1 }
                row += w
                column += back
                s1.add((w + back) * (w + back))
            }
            s0.add(row)
            s2.add((row + column) * (row + column))
        }
        return (s0.value, s1.value / 2, s2.value)
    }
}
