import LinearAlgebra
import Spatial
import TestSupport
import Testing

/// max-p regions against spopt's MaxPHeuristic (`Tests/Fixtures/max_p.json`): on a 20 × 20 lattice and on the demo's
/// 529 areas with a population floor, at least as many regions as spopt, a heterogeneity no worse, and every region
/// contiguous and above the floor.
@Suite struct MaxPRegionsTests {
    let f = try! FixtureValue.load("max_p.json")

    func weights(_ case: FixtureValue) -> SpatialWeights {
        let lists = `case`["neighbours"].array.map { $0.doubles.map { Int($0) } }
        let pairs = lists.enumerated().flatMap { i, js in js.map { (i, $0, 1.0) } }
        return SpatialWeights.edges(ids: lists.indices.map { "\($0)" }, numbered: pairs)
    }

    /// Every region contiguous (through the weights) and with a floor sum ≥ the floor; the labels 0..<count.
    func expectFeasible(_ result: MaxPRegions, weights w: SpatialWeights, floorValues: [Double], floor: Double) {
        #expect(Set(result.labels) == Set(0..<result.regionCount))
        for r in 0..<result.regionCount {
            let members = result.labels.indices.filter { result.labels[$0] == r }
            #expect(members.reduce(0) { $0 + floorValues[$1] } >= floor, "region \(r) below the floor")
            var seen: Set<Int> = [members[0]], stack = [members[0]]
            while let i = stack.popLast() {
                for j in w.neighbours[i] where result.labels[j] == r && seen.insert(j).inserted { stack.append(j) }
            }
            #expect(seen.count == members.count, "region \(r) is not contiguous")
        }
    }

    @Test(arguments: ["lattice", "demo"])
    func atLeastAsGoodAsSpopt(_ name: String) throws {
        let c = f[name], w = weights(c)
        let floorValues = c["floor_values"].doubles, floor = c["floor"].double
        let result = try MaxPRegions(Matrix(c["x"].rows), weights: w, floorValues: floorValues, floor: floor)
        expectFeasible(result, weights: w, floorValues: floorValues, floor: floor)
        let spoptRegions = Int(c["spopt_regions"].double), spoptH = c["spopt_heterogeneity"].double
        #expect(result.regionCount >= spoptRegions, "\(result.regionCount) regions, spopt \(spoptRegions)")
        #expect(result.heterogeneity <= spoptH * (1 + 1e-12), "heterogeneity \(result.heterogeneity), spopt \(spoptH)")
        print("max-p \(name): \(result.regionCount) regions (spopt \(spoptRegions)), heterogeneity \(result.heterogeneity) (spopt \(spoptH))")
        // The heterogeneity is what it says: spopt's objective of the labels, recomputed here.
        let x = c["x"].rows
        var h = 0.0
        for i in x.indices { for j in (i + 1)..<x.count where result.labels[i] == result.labels[j] {
            h += zip(x[i], x[j]).reduce(0) { $0 + abs($1.0 - $1.1) }
        } }
        #expect(abs(h - result.heterogeneity) <= 1e-9 * h)
    }

    /// Hand cases: a path of six areas with floor values 1 and floor 2 has three regions (pairs); one of floor 3
    /// has two; a component whose sum is below the floor is left out (−1); impossible floors are refused.
    @Test func handCases() throws {
        let path = SpatialWeights.edges(ids: (0..<6).map { "\($0)" }, numbered: (0..<5).map { ($0, $0 + 1, 1.0) })
        let x = Matrix((0..<6).map { [Double($0 / 2) * 10] })
        let pairs = try MaxPRegions(x, weights: path, floorValues: Array(repeating: 1, count: 6), floor: 2)
        #expect(pairs.regionCount == 3 && pairs.labels == [0, 0, 1, 1, 2, 2] && pairs.heterogeneity == 0)
        let triples = try MaxPRegions(x, weights: path, floorValues: Array(repeating: 1, count: 6), floor: 3)
        #expect(triples.regionCount == 2)
        // Areas 0–3 a path, 4–5 apart with a sum of 1 below the floor 2.
        let split = SpatialWeights.edges(ids: (0..<6).map { "\($0)" }, numbered: [(0, 1, 1), (1, 2, 1), (2, 3, 1), (4, 5, 1)])
        let partial = try MaxPRegions(x, weights: split, floorValues: [1, 1, 1, 1, 0.5, 0.5], floor: 2)
        #expect(partial.regionCount == 2 && partial.labels[4] == -1 && partial.labels[5] == -1)
        #expect(throws: SpatialError.self) { try MaxPRegions(x, weights: path, floorValues: Array(repeating: 1, count: 6), floor: 7) }
        #expect(throws: SpatialError.self) { try MaxPRegions(x, weights: path, floorValues: [1, 1, -1, 1, 1, 1], floor: 2) }
        #expect(throws: SpatialError.self) { try MaxPRegions(x, weights: path, floorValues: Array(repeating: 1, count: 6), floor: 0) }
        // Seeded: the same labels again.
        let c = f["lattice"], w = weights(c)
        let a = try MaxPRegions(Matrix(c["x"].rows), weights: w, floorValues: c["floor_values"].doubles, floor: 12, iterations: 20, seed: 5)
        let b = try MaxPRegions(Matrix(c["x"].rows), weights: w, floorValues: c["floor_values"].doubles, floor: 12, iterations: 20, seed: 5)
        #expect(a.labels == b.labels)
    }
}
