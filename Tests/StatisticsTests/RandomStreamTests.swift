import Statistics
import TestSupport
import Testing

/// The generator against an independent Python re-implementation (which itself checks SplitMix64's published
/// test vector), and the properties the analyses rely on.
@Suite struct RandomStreamTests {
    @Test func matchesReferenceImplementation() throws {
        for f in try FixtureValue.load("statistics.json")["random_streams"].array {
            let seed = UInt64(f["seed"].string)!, stream = UInt64(f["stream"].string)!
            var generator = RandomStream(seed: seed, stream: stream)
            let draws = (0..<8).map { _ in generator.next() }
            #expect(draws == f["next"].array.map { UInt64($0.string)! }, "seed \(seed) stream \(stream)")
            var again = RandomStream(seed: seed, stream: stream)
            #expect((0..<5).map { _ in again.uniform() } == f["uniform"].doubles)
        }
    }

    @Test func streamsAndSplitsAreDistinctAndRepeatable() {
        var a = RandomStream(seed: 7, stream: 0), b = RandomStream(seed: 7, stream: 1)
        #expect(a.next() != b.next())
        var child1 = RandomStream(seed: 7).split(3), child2 = RandomStream(seed: 7).split(3)
        #expect(child1.next() == child2.next())
        var drawn = RandomStream(seed: 7)
        _ = drawn.next()
        var child3 = drawn.split(3)
        var child4 = RandomStream(seed: 7).split(3)
        #expect(child3.next() == child4.next(), "splitting does not depend on earlier draws")
    }

    @Test func boundedIntegersAreInRangeAndRoughlyUniform() {
        var g = RandomStream(seed: 11)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[g.integer(below: 6)] += 1 }
        // Each count is Binomial(60000, 1/6): sd ≈ 91; 6 sd is a test that fails only on a real bias.
        #expect(counts.allSatisfy { abs($0 - 10_000) < 550 }, "\(counts)")
    }

    @Test func normalDeviatesHaveUnitMoments() throws {
        var g = RandomStream(seed: 5)
        let sample = (0..<200_000).map { _ in g.standardNormal() }
        let m = try Moments(sample)
        // Standard errors: mean 0.0022, variance 0.0032.
        #expect(abs(m.mean) < 0.012)
        #expect(abs(try m.variance(ddof: 1) - 1) < 0.02)
    }

    @Test func shuffleIsAPermutationAndSeeded() {
        var g1 = RandomStream(seed: 99), g2 = RandomStream(seed: 99)
        let p1 = g1.permutation(of: 50), p2 = g2.permutation(of: 50)
        #expect(p1 == p2)
        #expect(p1.sorted() == Array(0..<50))
        #expect(p1 != Array(0..<50))
    }
}
