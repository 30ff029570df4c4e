/// Which cells of one count variable (population, a numerator, a target group) a publication withholds, chosen over
/// all of its linked sums at once (docs/disclosure.md).
///
/// The published numbers of a count are sums over sets of areas: an area's own cell, the total of every unit it lies
/// in, the city, the class populations of a unit. A `Sum` names such a set (two tables that publish the same set
/// publish one sum). An attacker knows every published sum and that counts are ≥ 0, and solves for a withheld cell by
/// linear programming.
///
/// Rule (pairing): every primary cell — an area's count, or a sum, with 0 < value < threshold — is withheld, and each
/// primary area `a` gets a partner `b` (a count ≥ max(threshold, protection), in none of the primary sums that hold
/// `a`) such that after suppression **every published sum contains `a` exactly when it contains `b`**: the sums that
/// hold one of them and not the other are withheld. Then moving any part of the two counts from one to the other
/// keeps every published number, so the attacker's interval for `a`'s count `x` is at least `[0, x + x_b]`, which
/// reaches `x + protection`; a primary sum can be emptied into its areas' partners the same way. Partners are searched
/// from the area's lowest unit upwards (to its top-level unit, or the city in a flat list) and chosen by the fewest
/// sums newly withheld, then the smaller count, then the area's order; where none exists, every sum holding `a` is
/// withheld. The choice depends only on the values, the sets and the order, so every table suppresses the same cells.
public struct SuppressionPattern: Sendable {
    /// A set of areas, by its size and an order-free hash of its members (a sum of 64-bit mixes of their indices).
    public struct Sum: Hashable, Sendable {
        public private(set) var count = 0
        public private(set) var hash: UInt64 = 0
        public init() {}
        /// The set of one area.
        public init(area: Int) { insert(area) }
        public mutating func insert(_ area: Int) {
            count += 1
            hash &+= Self.mix(UInt64(truncatingIfNeeded: area))
        }
        /// SplitMix64's finaliser (Steele, Lea & Flood 2014).
        static func mix(_ x: UInt64) -> UInt64 {
            var z = x &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Whether `count` is a small count: positive and below `threshold` (0 is published: "nothing"; 0 turns it off).
    public static func isSmall(_ count: Double, threshold: Double) -> Bool { threshold > 0 && count > 0 && count < threshold }

    /// The sums withheld (primary and secondary).
    public let withheld: Set<Sum>
    /// Per area, whether its own cell is withheld.
    public let suppressed: [Bool]
    /// Per area, whether its count is small (a primary cell).
    public let primary: [Bool]

    /// - Parameters:
    ///   - values: the count per area (NaN: not published and in no sum).
    ///   - sums: per area, every published sum that holds it, its own cell included.
    ///   - scopes: per area, the groups of areas to search for a partner, narrowest first.
    ///   - order: per area, the key that breaks ties (the area id).
    public init(values: [Double], sums: [[Sum]], scopes: (Int) -> [[Int]], order: [String], threshold: Double,
                protection: Double) {
        precondition(values.count == sums.count && values.count == order.count)
        let counts = values.map { $0.isNaN ? 0 : $0 }
        let isSmall = { (x: Double) in Self.isSmall(x, threshold: threshold) }
        var totals: [Sum: Double] = [:]
        for (i, areaSums) in sums.enumerated() { for sum in Set(areaSums) { totals[sum, default: 0] += counts[i] } }
        let primarySums = Set(totals.filter { isSmall($0.value) }.keys)
        var withheld = primarySums
        let primary = counts.map(isSmall)
        let least = max(threshold, protection, 1)
        for a in counts.indices.filter({ primary[$0] }).sorted(by: { order[$0] < order[$1] }) {
            let own = Set(sums[a]), guarded = own.intersection(primarySums)
            var best: (cost: Int, count: Double, order: String, area: Int)?
            for scope in scopes(a) {
                for b in scope where b != a && counts[b] >= least && !values[b].isNaN {
                    let theirs = Set(sums[b])
                    guard theirs.isDisjoint(with: guarded) else { continue }
                    let cost = own.symmetricDifference(theirs).subtracting(withheld).count
                    let candidate = (cost, counts[b], order[b], b)
                    if best == nil || (candidate.0, candidate.1, candidate.2) < (best!.cost, best!.count, best!.order) {
                        best = candidate
                    }
                }
                if best != nil { break }
            }
            if let b = best?.area {
                withheld.formUnion(own.symmetricDifference(sums[b]))
            } else {
                withheld.formUnion(own)
            }
        }
        self.withheld = withheld
        self.primary = primary
        suppressed = counts.indices.map { withheld.contains(Sum(area: $0)) }
    }

    /// The pattern of two counts published side by side (a numerator and its denominator): the sums either withholds.
    public func merged(with other: SuppressionPattern) -> SuppressionPattern {
        SuppressionPattern(withheld: withheld.union(other.withheld), primary: zip(primary, other.primary).map { $0 || $1 })
    }

    private init(withheld: Set<Sum>, primary: [Bool]) {
        self.withheld = withheld
        self.primary = primary
        suppressed = primary.indices.map { withheld.contains(Sum(area: $0)) }
    }
}
