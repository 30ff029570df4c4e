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

extension Crosswalk {
    /// A panel in the old system carried over to the new one, and per period and new area the share of its
    /// population (or, without population, of its crosswalk weight) that came from split old areas.
    public struct Translation: Sendable {
        public let panel: Panel
        public let throughSplit: [[Double]]
    }

    /// Carries every period of `panel` (ids of the old system) over to the new areas:
    /// - population and the indicators named in `counts` are allocated, `newⱼ = Σᵢ wᵢⱼ xᵢ`;
    /// - every other indicator is a share, carried as the population-weighted mean `Σᵢ wᵢⱼ pᵢ sᵢ / Σᵢ wᵢⱼ pᵢ`, or,
    ///   without population, the weight-weighted mean `Σᵢ wᵢⱼ sᵢ / Σᵢ wᵢⱼ`. (Shares with counts are recomputed
    ///   later from the allocated counts: name the counts, not the share.)
    /// A new value is missing when any old area feeding it is (with that area's reason), or when none is in the
    /// panel (`absent`): never silently smaller.
    public func translate(_ panel: Panel, counts: Set<String>) throws(AreaDataError) -> Translation {
        var sources: [[(old: Int?, weight: Double)]] = Array(repeating: [], count: newIDs.count)
        let newIndex = Dictionary(uniqueKeysWithValues: newIDs.enumerated().map { ($1, $0) })
        for e in entries { sources[newIndex[e.new]!].append((panel.index(ofArea: e.old), e.weight)) }
        let isCount = panel.indicators.map { counts.contains($0) }
        var builder = Panel.Builder(indicators: panel.indicators, hasPopulation: panel.population != nil)
        var through: [[Double]] = []
        for (t, period) in panel.periods.enumerated() {
            let people = panel.population?[t]
            var split = [Double](repeating: .nan, count: newIDs.count)
            for (j, id) in newIDs.enumerated() {
                var population = 0.0, splitPart = 0.0, basis = 0.0
                for s in sources[j] {
                    let p = s.old.flatMap { people?[$0] } ?? .nan
                    population += s.weight * p
                    let contribution = s.weight * (people == nil ? 1 : p)
                    basis += contribution
                    if s.weight < 1 - tolerance { splitPart += contribution }
                }
                split[j] = basis > 0 ? splitPart / basis : (basis == 0 ? 0 : .nan)
                try builder.add(area: id, period: period, population: people == nil ? .nan : population) { k in
                    var sum = 0.0, weights = 0.0
                    for s in sources[j] {
                        guard let old = s.old else { return .missing(.absent) }
                        let x = panel.value(area: old, indicator: k, period: t)
                        if x.isNaN { return .missing(panel.missingReason(area: old, indicator: k, period: t) ?? .absent) }
                        let w = isCount[k] ? s.weight : s.weight * (people?[old] ?? 1)
                        if w.isNaN { return .missing(.absent) }  // a share whose population is unknown
                        sum += x * w
                        weights += w
                    }
                    if sources[j].isEmpty { return .missing(.absent) }
                    if isCount[k] { return .value(sum) }
                    return weights > 0 ? .value(sum / weights) : .missing(.absent)
                }
            }
            through.append(split)
        }
        return Translation(panel: try builder.build(), throughSplit: through)
    }
}

extension Panel {
    /// This panel with the periods of `earlier` that it lacks, for its own areas (ids of one system): a series that
    /// continues across a change of area system once `earlier` has been translated. Indicators that `earlier` lacks
    /// are missing (`absent`) in its periods; its areas that this panel lacks are left out.
    public func extended(with earlier: Panel) throws(AreaDataError) -> Panel {
        let own = Set(periods)
        var builder = Panel.Builder(indicators: indicators, hasPopulation: population != nil)
        let columns = indicators.map { earlier.indicators.firstIndex(of: $0) }
        for (t, period) in earlier.periods.enumerated() where !own.contains(period) {
            for (a, id) in areaIDs.enumerated() {
                guard let e = earlier.index(ofArea: id) else {
                    try builder.add(area: id, name: areaNames[a], period: period) { _ in .missing(.absent) }
                    continue
                }
                try builder.add(area: id, name: areaNames[a], period: period, population: earlier.population?[t][e] ?? .nan) { k in
                    guard let c = columns[k] else { return .missing(.absent) }
                    let x = earlier.value(area: e, indicator: c, period: t)
                    return x.isNaN ? .missing(earlier.missingReason(area: e, indicator: c, period: t) ?? .absent) : .value(x)
                }
            }
        }
        for (t, period) in periods.enumerated() {
            for (a, id) in areaIDs.enumerated() {
                try builder.add(area: id, name: areaNames[a], period: period, population: population?[t][a] ?? .nan) { k in
                    let x = value(area: a, indicator: k, period: t)
                    return x.isNaN ? .missing(missingReason(area: a, indicator: k, period: t) ?? .absent) : .value(x)
                }
            }
        }
        return try builder.build()
    }
}
