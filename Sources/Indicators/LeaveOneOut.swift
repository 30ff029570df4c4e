import LinearAlgebra
import Statistics

/// Sensitivity of an index to each of its indicators (OECD/JRC Handbook 2008, §7: "excluding one indicator at a
/// time"): the index computed again without indicator j (its weight dropped, everything else as defined), and per
/// area its rank shift `rank without j − rank` (ranks among the areas the full index scores, 1 = most need,
/// ties averaged; positive: the area looks better off without j) and whether its class changes.
public struct LeaveOneOut: Sendable {
    public let indicators: [String]
    /// Rank of each area in the full index (NaN where not scored).
    public let rank: [Double]
    /// `rankShift[j][i]`: area i's rank without indicator j minus its rank.
    public let rankShift: [[Double]]
    /// `classChanged[j][i]`: whether area i's class without indicator j differs (nil: unclassified or not scored).
    public let classChanged: [[Bool?]]

    /// - Throws: for an index of one indicator, or when a variant cannot be computed.
    public init(definition: IndexDefinition, values: Matrix, eligible: [Bool], population: [Double]? = nil) throws {
        let k = definition.indicators.count
        guard k >= 2 else {
            throw StatisticsError.invalidParameter(name: "sensitivity", value: "an index of \(k) indicator",
                                                   expected: "at least 2 indicators to leave one out")
        }
        let full = try definition.compute(values: values, eligible: eligible, population: population)
        let scored = full.scored
        rank = descendingRanks(full.value, scored: scored)
        var shifts: [[Double]] = [], changes: [[Bool?]] = []
        for j in 0..<k {
            var variant = definition
            let keep = (0..<k).filter { $0 != j }
            variant.indicators = keep.map { definition.indicators[$0] }
            variant.polarities = keep.map { definition.polarities[$0] }
            variant.weights = keep.map { definition.weights[$0] }
            let result = try variant.compute(values: Matrix(columns: keep.map { Array(values.column($0)) }), eligible: eligible,
                                             population: population)
            let ranks = descendingRanks(result.value.indices.map { scored[$0] ? result.value[$0] : .nan }, scored: scored)
            shifts.append(zip(ranks, rank).map { $0 - $1 })
            changes.append(values.rows == 0 ? [] : (0..<values.rows).map { i in
                guard scored[i], let now = full.classes[i] else { return nil }
                return result.classes[i]?.code != now.code
            })
        }
        indicators = definition.indicators
        rankShift = shifts
        classChanged = changes
    }
}
