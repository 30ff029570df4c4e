import Foundation

/// A seeded, splittable pseudo-random generator: xoshiro256** (Blackman & Vigna 2018), seeded through SplitMix64.
///
/// Every random procedure in sozmon takes a seed. Parallel work derives one stream per unit of work (an area, a
/// restart) from `(seed, stream)`, so that results do not depend on how the work is split over threads:
///
///     key   = SplitMix64(seed).next()
///     state = four successive outputs of SplitMix64(key ^ mix(stream))
///
/// where `mix` is SplitMix64's output function. All derived values (doubles, bounded integers, normals, shuffles)
/// are defined here, not by the standard library, so a seed gives the same numbers on every platform and release.
public struct RandomStream: RandomNumberGenerator, Sendable {
    @usableFromInline var s0, s1, s2, s3: UInt64
    /// The seed and stream this generator was made from.
    public let seed: UInt64
    public let stream: UInt64

    /// The generator for `stream` (default 0) of `seed`.
    public init(seed: UInt64, stream: UInt64 = 0) {
        self.seed = seed
        self.stream = stream
        var root = SplitMix64(state: seed)
        var splitter = SplitMix64(state: root.next() ^ SplitMix64.mix(stream))
        s0 = splitter.next(); s1 = splitter.next(); s2 = splitter.next(); s3 = splitter.next()
    }

    /// An independent child generator, e.g. one per area: stream `index` of a seed derived from this stream's
    /// seed and stream number (not from its current state, so splitting does not depend on earlier draws).
    public func split(_ index: UInt64) -> RandomStream {
        RandomStream(seed: SplitMix64.mix(seed ^ SplitMix64.mix(stream &+ 0x9E37_79B9_7F4A_7C15)), stream: index)
    }

    /// The next 64 random bits. (Inlinable, like the draws below: a permutation test makes billions of them.)
    @inlinable
    public mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3.rotatedLeft(by: 45)
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inlinable
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform integer in `0..<bound` without modulo bias (Lemire 2019).
    @inlinable
    public mutating func integer(below bound: Int) -> Int {
        precondition(bound > 0, "integer(below:) needs a positive bound, got \(bound)")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// A standard normal deviate by the Box–Muller transform (one per call; the second is discarded so that
    /// each call consumes exactly two 64-bit draws).
    public mutating func standardNormal() -> Double {
        let u1 = 1 - uniform()  // (0, 1], so log is finite
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Shuffles `values` in place by Fisher–Yates with `integer(below:)`. Inlinable, so that callers in other
    /// modules get it specialised for their element type (unspecialised, a swap of doubles cost ~90 ns).
    @inlinable
    public mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(i, integer(below: i + 1))
        }
    }

    /// A uniformly random permutation of `0..<count`.
    public mutating func permutation(of count: Int) -> [Int] {
        var values = Array(0..<count)
        shuffle(&values)
        return values
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): the seeding generator for xoshiro.
struct SplitMix64 {
    var state: UInt64

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }
}

extension UInt64 {
    @usableFromInline func rotatedLeft(by k: UInt64) -> UInt64 { (self << k) | (self >> (64 - k)) }
}

extension RandomStream {
    /// A Gamma(shape, 1) deviate by Marsaglia & Tsang (2000); shapes below 1 by the boost `G(a+1)·U^(1/a)`.
    public mutating func gamma(shape: Double) -> Double {
        precondition(shape > 0, "gamma shape must be positive, got \(shape)")
        if shape < 1 {
            let u = uniform()
            return gamma(shape: shape + 1) * pow(1 - u, 1 / shape)
        }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat { x = standardNormal(); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = 1 - uniform()
            if u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// A Dirichlet(α₁ … αₖ) vector: independent Gamma(αⱼ) deviates divided by their sum.
    public mutating func dirichlet(_ alpha: [Double]) -> [Double] {
        let draws = alpha.map { gamma(shape: $0) }
        let sum = draws.reduce(0, +)
        return draws.map { $0 / sum }
    }
}
