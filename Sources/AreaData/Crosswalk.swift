/// A correspondence between two area systems (e.g. Berlin's Planungsräume before and after the 2021 re-cut): rows
/// `old_id, new_id, weight`, the weight being the share of the old area that falls into the new one (by area or by
/// population). Validated on construction: weights in [0, 1] and each old area's weights summing to 1 within
/// `tolerance`.
public struct Crosswalk: Sendable {
    public struct Entry: Sendable, Equatable {
        public let old: String
        public let new: String
        public let weight: Double
        public init(old: String, new: String, weight: Double) { self.old = old; self.new = new; self.weight = weight }
    }

    public let entries: [Entry]
    /// Old and new ids in first-seen order.
    public let oldIDs: [String]
    public let newIDs: [String]
    public let tolerance: Double

    /// - Throws: `AreaDataError.inconsistentShape` naming the old area whose weights are negative, above 1, or do
    ///   not sum to 1 within `tolerance` (default 0.001), or a pair listed twice.
    public init(_ entries: [Entry], tolerance: Double = 1e-3) throws(AreaDataError) {
        var sums: [String: Double] = [:], old: [String] = [], new: [String] = [], seenNew: Set<String> = []
        var pairs: Set<String> = []
        for e in entries {
            guard e.weight >= 0 && e.weight <= 1 + tolerance && e.weight.isFinite else {
                throw .inconsistentShape("crosswalk: weight \(e.weight) for \(e.old) → \(e.new); expected a share in [0, 1]")
            }
            guard pairs.insert(e.old + "\u{1F}" + e.new).inserted else {
                throw .inconsistentShape("crosswalk: \(e.old) → \(e.new) is listed twice")
            }
            if sums[e.old] == nil { old.append(e.old) }
            sums[e.old, default: 0] += e.weight
            if seenNew.insert(e.new).inserted { new.append(e.new) }
        }
        for id in old where abs(sums[id]! - 1) > tolerance {
            throw .inconsistentShape("crosswalk: the weights of \(id) sum to \(sums[id]!); expected 1 ± \(tolerance)")
        }
        self.entries = entries
        self.oldIDs = old
        self.newIDs = new
        self.tolerance = tolerance
    }

    /// Counts on the new areas, and for each new area the share of its count that came from old areas split between
    /// several new ones (rather than taken whole): `newⱼ = Σᵢ wᵢⱼ·countᵢ`.
    public struct Allocation: Sendable {
        public let values: [String: Double]
        /// Per new area: the part of its value from split old areas (wᵢⱼ < 1 − tolerance), 0 … 1.
        public let throughSplit: [String: Double]
        /// Old ids of the data that the crosswalk does not know (their counts are lost), and crosswalk old ids the
        /// data lacks (the new areas they feed get less).
        public let unknownOld: [String]
        public let missingOld: [String]
    }

    /// Allocates counts (inhabitants, recipients, …) from the old to the new areas. NaN counts count as missing:
    /// their new areas become NaN too, never silently smaller.
    public func allocate(_ counts: [String: Double]) -> Allocation {
        var values: [String: Double] = [:], split: [String: Double] = [:]
        for e in entries {
            let count = counts[e.old] ?? .nan
            values[e.new, default: 0] += e.weight * count
            if e.weight < 1 - tolerance { split[e.new, default: 0] += e.weight * count }
        }
        var through: [String: Double] = [:]
        for (id, total) in values { through[id] = total > 0 ? (split[id] ?? 0) / total : (total == 0 ? 0 : .nan) }
        let known = Set(oldIDs)
        return Allocation(values: values, throughSplit: through,
                          unknownOld: counts.keys.filter { !known.contains($0) }.sorted(),
                          missingOld: oldIDs.filter { counts[$0] == nil })
    }

    /// Shares on the new areas from counts: `100 · Σᵢ wᵢⱼ numᵢ / Σᵢ wᵢⱼ denᵢ` (the shares are recomputed, not
    /// averaged).
    public func allocateShares(numerators: [String: Double], denominators: [String: Double]) -> [String: Double] {
        let n = allocate(numerators).values, d = allocate(denominators).values
        return n.reduce(into: [:]) { result, item in
            let den = d[item.key] ?? .nan
            result[item.key] = den > 0 ? 100 * item.value / den : .nan
        }
    }

    /// Shares on the new areas where only shares and population exist: the population-weighted mean
    /// `Σᵢ wᵢⱼ pᵢ sᵢ / Σᵢ wᵢⱼ pᵢ`.
    public func allocateShares(shares: [String: Double], population: [String: Double]) -> [String: Double] {
        allocateShares(numerators: shares.reduce(into: [:]) { $0[$1.key] = $1.value * (population[$1.key] ?? .nan) / 100 },
                       denominators: population)
    }
}
