/// How tied values share ranks (scipy.stats.rankdata's `method`).
public enum TieMethod: String, Sendable, CaseIterable {
    /// The mean of the ranks the tied values span (the default; Spearman's and Mann–Whitney's).
    case average
    /// The lowest rank of the tie ("competition" ranking, 1 2 2 4).
    case min
    /// The highest rank of the tie (1 3 3 4).
    case max
    /// Consecutive ranks without gaps (1 2 2 3).
    case dense
    /// Ties broken by position (1 2 3 4).
    case ordinal
}

/// 1-based ranks of `values`, ties shared by `ties`. NaN entries are missing: they get rank NaN and take no part in
/// the ranking of the others (scipy's `nan_policy="omit"` on the remaining values). O(n log n).
public func ranks(_ values: [Double], ties: TieMethod = .average) -> [Double] {
    var result = [Double](repeating: .nan, count: values.count)
    // A stable order: by value, then by position, so that `.ordinal` is reproducible.
    let order = values.indices.filter { !values[$0].isNaN }.sorted {
        values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1)
    }
    var start = 0, denseRank = 0
    while start < order.count {
        var end = start + 1
        while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
        denseRank += 1
        for position in start..<end {
            let rank: Double = switch ties {
            case .average: Double(start + 1 + end) / 2
            case .min: Double(start + 1)
            case .max: Double(end)
            case .dense: Double(denseRank)
            case .ordinal: Double(position + 1)
            }
            result[order[position]] = rank
        }
        start = end
    }
    return result
}
