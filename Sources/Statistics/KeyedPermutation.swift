/// A random permutation π of `0..<count`, stream `stream` of `seed`, that can be evaluated at any index on its own:
/// a part of a map computes the values its own areas take under a permutation of the whole map without drawing the
/// whole permutation.
///
/// - Up to `drawnUpTo` elements, π is drawn whole by Fisher–Yates from `RandomStream(seed, stream)` (`shuffle` of
///   `0..<count`, so `y[π(i)]` is the vector `shuffle` makes of `y`): exactly uniform.
/// - Beyond, π is a Feistel network (Luby & Rackoff 1988) on a mixed-radix domain (as the FFX and FF1 modes, Bellare,
///   Rogaway & Spies 2010): i is written as (L, R) ∈ ℤ_a × ℤ_c, i = L·c + R, with c the least power of two ≥ √count
///   and a = ⌈count/c⌉, and each of six rounds maps (L, R) ↦ (R, (L + F(R)) mod |L|), which is invertible, so the
///   network permutes ℤ_a × ℤ_c. The round functions F are random functions in the sense of Luby and Rackoff's
///   theorem: tables of independent uniform draws from the stream (√count entries each), so a round is one lookup in a
///   table that stays in cache. An output of `count` or more is mapped again (cycle walking, Black & Rogaway 2002),
///   which leaves a permutation of `0..<count` and happens for fewer than one index in √count.
///   The network is pseudo-random, not exactly uniform. Its checks (`KeyedPermutationTests`, `AutocorrelationTests`):
///   χ² tests of where one index goes, where two neighbouring indices go together and how far apart, the number of
///   fixed points (Poisson(1) for a uniform permutation), and the moments of Moran's I under randomisation, on small
///   domains, where a network is weakest.
public struct KeyedPermutation: Sendable {
    /// Permutations of at most this many elements are drawn whole by Fisher–Yates; beyond, the network. (Below it the
    /// shuffle is faster than the network, whose table lookups cost more than a shuffle that stays in cache, and a
    /// part of a distributed run drawing the whole table costs under a second per variable.)
    public static let drawnUpTo = 1 << 18

    /// Rounds of the network.
    @usableFromInline static let rounds = 6

    public let count: Int
    /// The permutation drawn whole (empty for a network).
    @usableFromInline let drawn: [Int32]
    /// The radix of L (a) and of R (c, a power of two) and log₂ c.
    @usableFromInline let a, c, shift: Int
    /// The round functions one after the other: round j maps the half in ℤ_c (j even) or ℤ_a (j odd) into the other.
    @usableFromInline let functions: [Int32]

    public init(count: Int, seed: UInt64, stream: UInt64) {
        self.init(count: count, seed: seed, stream: stream, drawingUpTo: Self.drawnUpTo)
    }

    /// With another limit for drawing the permutation whole (the checks of the network on small domains).
    package init(count: Int, seed: UInt64, stream: UInt64, drawingUpTo limit: Int) {
        precondition(count >= 0 && count <= Int(Int32.max), "a permutation of 0..<count, count below 2³¹")
        self.count = count
        var generator = RandomStream(seed: seed, stream: stream)
        if count <= limit {
            var drawn = (0..<count).map { Int32($0) }
            generator.shuffle(&drawn)
            self.drawn = drawn
            (a, c, shift, functions) = (1, 1, 0, [])
        } else {
            var shift = 0
            while 1 << (2 * shift) < count { shift += 1 }
            let c = 1 << shift, a = (count + c - 1) / c
            var functions: [Int32] = []
            functions.reserveCapacity(Self.rounds / 2 * (a + c))
            for j in 0..<Self.rounds {
                let (domain, range) = j % 2 == 0 ? (c, a) : (a, c)
                for _ in 0..<domain { functions.append(Int32(generator.integer(below: range))) }
            }
            (drawn, self.a, self.c, self.shift, self.functions) = ([], a, c, shift, functions)
        }
    }

    /// π(i), for `0 ≤ i < count`.
    @inlinable
    public func callAsFunction(_ i: Int) -> Int {
        precondition(i >= 0 && i < count, "an index below count")
        if !drawn.isEmpty { return Int(drawn[i]) }
        var x = network(i)
        while x >= count { x = network(x) }  // cycle walking
        return x
    }

    /// `order[u] = π(indices[u])` for every u (`order` as long as `indices`).
    public func fill(_ order: inout [Int32], at indices: [Int]) {
        precondition(order.count == indices.count, "one place in the order for each index")
        for u in indices.indices { order[u] = Int32(self(indices[u])) }
    }

    /// The six rounds on ℤ_a × ℤ_c, a bijection of `0..<a·c`.
    @inlinable
    func network(_ x: Int) -> Int {
        var left = x >> shift, right = x & (c - 1), offset = 0  // left in ℤ_a, right in ℤ_c
        for j in 0..<Self.rounds {
            let (domain, range) = j % 2 == 0 ? (c, a) : (a, c)
            let excess = left &+ Int(functions[offset &+ right]) &- range
            (left, right) = (right, excess &+ (range & (excess >> 63)))  // (left + F(right)) mod range, without a branch
            offset &+= domain
        }
        return left << shift | right
    }
}
