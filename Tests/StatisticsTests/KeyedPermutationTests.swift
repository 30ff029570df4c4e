import Statistics
import Testing

/// The keyed permutation: a permutation of 0..<n for every n, the Fisher–Yates shuffle of its stream up to
/// `drawnUpTo`, and beyond it (the Feistel network, forced here on small domains) as scattered as a uniform one by
/// χ² tests at the 0.1 % level of where one index goes, where two neighbouring indices go together, and how far apart,
/// and by its number of fixed points.
@Suite struct KeyedPermutationTests {
    /// The 99.9 % quantile of χ² with `df` degrees of freedom (Wilson–Hilferty; within 0.5 % for df ≥ 9).
    func critical(_ df: Int) -> Double {
        let d = Double(df), z = 3.090232306167813
        let t = 1 - 2 / (9 * d) + z * (2 / (9 * d)).squareRoot()
        return d * t * t * t
    }

    func chiSquare(_ counts: [Int]) -> Double {
        let expected = Double(counts.reduce(0, +)) / Double(counts.count)
        return counts.reduce(0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
    }

    @Test func everyCountIsPermuted() {
        for n in [0, 1, 2, 3, 4, 5, 17, 1000, 1024, 1025, 5003, 70_001] {
            for limit in [0, KeyedPermutation.drawnUpTo] {
                let pi = KeyedPermutation(count: n, seed: 11, stream: 3, drawingUpTo: limit)
                var seen = [Bool](repeating: false, count: n)
                for i in 0..<n {
                    let j = pi(i)
                    #expect(j >= 0 && j < n && !seen[j], "n \(n), limit \(limit): π(\(i)) = \(j)")
                    if j >= 0 && j < n { seen[j] = true }
                }
                var order = [Int32](repeating: -1, count: n)
                pi.fill(&order, at: Array(0..<n))
                #expect(order.map { Int($0) } == (0..<n).map { pi($0) }, "fill gives π at every index, n \(n)")
            }
        }
    }

    @Test func smallMapsAreTheShuffleOfTheirStream() {
        let pi = KeyedPermutation(count: 1000, seed: 5, stream: 42)
        var generator = RandomStream(seed: 5, stream: 42)
        #expect((0..<1000).map { pi($0) } == generator.permutation(of: 1000))
        let other = KeyedPermutation(count: 1000, seed: 5, stream: 43)
        #expect((0..<1000).map { pi($0) } != (0..<1000).map { other($0) })
    }

    /// 20 000 streams of the network on n = 1000 (a 32 × 32 domain, so indices walk) and n = 5003 (a prime).
    @Test func theNetworkScattersLikeAUniformPermutation() {
        for n in [1000, 5003, 70_001, 1_000_003] {
            let streams = 20_000, bins = 40
            var one = [Int](repeating: 0, count: bins), pairs = [Int](repeating: 0, count: 100)
            var gaps = [Int](repeating: 0, count: bins), column = [Int](repeating: 0, count: 100)
            for r in 0..<streams {
                let pi = KeyedPermutation(count: n, seed: 9, stream: UInt64(r), drawingUpTo: 0)
                let rowLength = 1 << (((n - 1).bitWidth - (n - 1).leadingZeroBitCount + 1) / 2)
                let (a, b, c) = (pi(7), pi(8), pi(7 + rowLength))  // the next row of the network's domain
                one[a * bins / n] += 1
                pairs[(a * 10 / n) * 10 + b * 10 / n] += 1
                gaps[((b - a + n) % n) * bins / n] += 1
                column[(a * 10 / n) * 10 + c * 10 / n] += 1
            }
            // Pairs of distinct indices: uniform over the n(n − 1) ordered pairs, so the diagonal cells hold slightly
            // fewer (a relative 10/n, far below the test's resolution) and the gaps are never 0 (bin 0 a little lower).
            for (name, counts) in [("one index", one), ("neighbours", pairs), ("gaps", gaps), ("next row", column)] {
                let x2 = chiSquare(counts)
                #expect(x2 < critical(counts.count - 1), "n \(n), \(name): χ² \(x2) on \(counts.count - 1) df")
            }
        }
    }

    /// The number of fixed points of a uniform permutation is close to Poisson(1): over 4 000 networks on n = 5003
    /// their mean is within 4 standard errors of 1, and their variance within 15 % of 1.
    @Test func fixedPointsAreThoseOfAUniformPermutation() {
        let n = 5003, streams = 4000
        let counts = (0..<streams).map { r in
            let pi = KeyedPermutation(count: n, seed: 4, stream: UInt64(r), drawingUpTo: 0)
            return Double((0..<n).filter { pi($0) == $0 }.count)
        }
        let mean = counts.reduce(0, +) / Double(streams)
        let variance = counts.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(streams - 1)
        #expect(abs(mean - 1) < 4 / Double(streams).squareRoot(), "mean \(mean)")
        #expect(abs(variance - 1) < 0.15, "variance \(variance)")
    }
}
