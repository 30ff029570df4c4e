import Foundation
import LinearAlgebra
import Statistics

/// How normalised indicators are combined into one score.
public enum Aggregation: String, Sendable, CaseIterable, Codable {
    /// `Σ wⱼ yⱼ` (MSS: equal weights 1, sum of unrounded z-values).
    case sum
    /// `Σ wⱼ yⱼ / Σ wⱼ`.
    case mean
    /// `Π yⱼ^(wⱼ/Σw)`: needs positive normalised values (use min–max or percentile ranks shifted above 0).
    case geometric
}

/// What happens when an area lacks some indicators.
public enum MissingRule: Sendable, Equatable {
    /// Every indicator must be present, else the area gets no score (MSS).
    case requireAll
    /// At least this share of the weight must be present; the present weights are rescaled to the full sum.
    case minimumShare(Double)
}

/// A composite index: which indicators, how they are normalised, weighted, combined, re-standardised and classed.
/// The MSS presets are values of this type (`mssStatus`, `mssDynamics`), not separate code.
public struct IndexDefinition: Sendable, Equatable {
    public var name: String
    public var indicators: [String]
    public var polarities: [Polarity]
    /// One weight per indicator (equal weights 1 when not given).
    public var weights: [Double]
    public var normalization: Normalization
    public var aggregation: Aggregation
    /// Whether the aggregate is z-standardised again over the reference areas (MSS: yes, ddof 0, unweighted).
    public var restandardize: Bool
    public var missingRule: MissingRule
    public var classes: ClassScheme?

    public init(name: String, indicators: [String], polarities: [Polarity]? = nil, weights: [Double]? = nil,
                normalization: Normalization = .zScore(), aggregation: Aggregation = .sum, restandardize: Bool = true,
                missingRule: MissingRule = .requireAll, classes: ClassScheme? = nil) {
        self.name = name
        self.indicators = indicators
        self.polarities = polarities ?? indicators.map { _ in .higherIsWorse }
        self.weights = weights ?? indicators.map { _ in 1 }
        self.normalization = normalization
        self.aggregation = aggregation
        self.restandardize = restandardize
        self.missingRule = missingRule
        self.classes = classes
    }

    /// MSS Status-Index: z (unweighted, ddof 0) → sum → z again → 4 status classes (docs/methods.md §2).
    public static func mssStatus(name: String = "status", indicators: [String]) -> IndexDefinition {
        IndexDefinition(name: name, indicators: indicators, classes: .mssStatus)
    }

    /// MSS Dynamik-Index: as the status index, with the 3 dynamics classes.
    public static func mssDynamics(name: String = "dynamik", indicators: [String]) -> IndexDefinition {
        IndexDefinition(name: name, indicators: indicators, classes: .mssDynamics)
    }
}

/// The result of one index for one period: per area the normalised indicators, the aggregate, the index value
/// and the class; NaN / `nil` for areas outside the reference set or without enough data.
public struct IndexResult: Sendable {
    public let definition: IndexDefinition
    /// areas × indicators, normalised and polarity-adjusted (higher = more need).
    public let normalized: NormalizedIndicators
    /// The aggregate (`<index>_sum` in tables).
    public let aggregate: [Double]
    /// The index value (`<index>_value`): the aggregate, re-standardised when the definition says so.
    public let value: [Double]
    /// The class of each area, `nil` when unclassified.
    public let classes: ClassAssignments
    /// Which areas took part (eligible and with enough data).
    public let scored: [Bool]
}

extension IndexDefinition {
    /// Computes the index on `values` (areas × this definition's indicators, in order) over the areas marked
    /// `eligible`; moments come only from eligible areas with all data required.
    ///
    /// - Throws: `StatisticsError` when a normalisation is undefined (e.g. an indicator without variance among the
    ///   eligible areas) or fewer than two areas can be scored.
    ///
    /// - Parameter known: the moments merged over all parts of a distributed run (`IndexMoments`): then this call
    ///   computes the rows of one part, with the whole city's moments, and may score fewer than two areas.
    public func compute(values: Matrix, eligible: [Bool], population: [Double]? = nil, known: IndexMoments? = nil)
        throws(StatisticsError) -> IndexResult {
        precondition(values.columns == indicators.count && eligible.count == values.rows)
        let n = values.rows, k = indicators.count
        let totalWeight = weights.reduce(0, +)
        precondition(weights.allSatisfy { $0 >= 0 }, "index weights are not negative")
        // Which areas have enough data: the weight of their present indicators (with non-negative weights, the
        // total is reached only when all are present). For an unweighted z-score, in the same read of the data,
        // the moments over those areas.
        let minimumPresent = switch missingRule {
        case .requireAll: totalWeight
        case .minimumShare(let share): share * totalWeight - 1e-12
        }
        let complete: [Bool]
        var moments: ColumnMoments? = nil
        if let known {
            moments = known.indicators
            complete = zip(eligible, values.presentWeights(weights)).map { $0 && $1 >= minimumPresent }
        } else if case .zScore(_, weighted: false) = normalization {
            (moments, complete) = ColumnMoments.overCompleteRows(of: values, weights: weights, include: eligible,
                                                                 minimumPresent: minimumPresent)
        } else {
            complete = zip(eligible, values.presentWeights(weights)).map { $0 && $1 >= minimumPresent }
        }
        let scoredCount = complete.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard scoredCount >= 2 || known != nil else {
            throw .insufficientData(statistic: "index '\(name)'", count: scoredCount, needed: 2)
        }
        let signs = polarities.map { $0 == .higherIsBetter ? -1.0 : 1.0 }
        let normalized: NormalizedIndicators, aggregate: [Double]
        do throws(StatisticsError) {
            if aggregation != .geometric, let (shift, scale) = try normalization.affineMap(
                for: values, reference: complete, weights: population, moments: moments) {
                // The aggregate in one read of the data; the normalised values are kept as their affine map.
                let scale = zip(scale, signs).map { $0 * $1 }
                normalized = NormalizedIndicators(values: values, shift: shift, scale: scale)
                aggregate = values.affineRowSums(shift: shift, scale: scale, weights: weights,
                                                 total: aggregation == .sum ? totalWeight : 1, include: complete)
            } else {
                var z = try normalization.apply(to: values, reference: complete, weights: population)
                if polarities.contains(.higherIsBetter) {
                    z.shiftAndScaleColumns(shift: [Double](repeating: 0, count: k), scale: signs)
                }
                normalized = NormalizedIndicators(z)
                aggregate = try storedAggregate(z, include: complete)
            }
        } catch {
            // Name the indicator rather than its column number.
            if case .zeroVariance(let statistic, let column) = error {
                throw .zeroVariance(statistic: "\(statistic) of indicator '\(indicators[column])' in index '\(name)'",
                                    column: column)
            }
            throw error
        }
        var value = aggregate
        if restandardize, let given = known?.aggregate {
            // The whole city's moments of the aggregate (ddof 0, unweighted), merged over the parts.
            let sd = (given.weightSum > 0 ? given.sumOfSquaredDeviations / given.weightSum : 0).squareRoot()
            guard sd > 0 && given.count >= 2 else {
                throw .zeroVariance(statistic: "index '\(name)': re-standardising the aggregate", column: 0)
            }
            value = aggregate.map { ($0 - given.mean) / sd }
        } else if restandardize {
            // z over the scored areas, ddof 0: the aggregate is NaN exactly for the others, which the moments skip.
            let column = Matrix(rows: n, columns: 1, columnMajor: aggregate)
            do { value = try column.zScores(ddof: 0).elements } catch {
                throw .zeroVariance(statistic: "index '\(name)': re-standardising the aggregate", column: 0)
            }
        }
        let classes = ClassAssignments(value, scheme: self.classes, include: complete)
        return IndexResult(definition: self, normalized: normalized, aggregate: aggregate, value: value,
                           classes: classes, scored: complete)
    }

    /// The aggregate of stored normalised values `z` for the rows with `include[i]` (NaN for the others), over the
    /// present values: `Σⱼ wⱼ zᵢⱼ` re-weighted to the full weight (sum), `Σⱼ wⱼ zᵢⱼ / Σⱼ wⱼ` (mean) or
    /// `exp(Σⱼ wⱼ log zᵢⱼ / Σⱼ wⱼ)` (geometric), column by column.
    private func storedAggregate(_ z: Matrix, include: [Bool]) throws(StatisticsError) -> [Double] {
        let n = z.rows, totalWeight = weights.reduce(0, +)
        var sums = [Double](repeating: 0, count: n), present = [Double](repeating: 0, count: n)
        for j in 0..<z.columns {
            let w = weights[j]
            for i in 0..<n where include[i] && !z[i, j].isNaN {
                if aggregation == .geometric {
                    guard z[i, j] > 0 else {
                        throw .invalidParameter(name: "aggregation", value: "geometric with a value ≤ 0 for area \(i)",
                                                expected: "positive normalised values (use min-max or percentile ranks)")
                    }
                    sums[i] += w * log(z[i, j])
                } else {
                    sums[i] += w * z[i, j]
                }
                present[i] += w
            }
        }
        return (0..<n).map { i in
            guard include[i] else { return .nan }
            switch aggregation {
            case .sum: return sums[i] * (totalWeight / present[i])
            case .mean: return sums[i] / present[i]
            case .geometric: return exp(sums[i] / present[i])
            }
        }
    }
}

/// The global quantities of an index that a distributed run computes on each part of the areas and merges (in a
/// fixed order of the parts): the moments of each indicator over the complete eligible areas (weighted by population
/// for `z-weighted`), and the moments of the aggregate over the scored areas, which the re-standardisation needs.
/// The classes need both; they are known after two passes over the parts (`IndexDefinition.indicatorMoments`, then
/// `aggregateMoments` with the merged indicator moments).
public struct IndexMoments: Sendable {
    public var indicators: ColumnMoments
    /// nil before the second pass (or where the index is not re-standardised).
    public var aggregate: Moments?
    public init(indicators: ColumnMoments, aggregate: Moments?) {
        self.indicators = indicators; self.aggregate = aggregate
    }
}

extension IndexDefinition {
    /// Whether the index can be computed from moments merged over parts: z-scores (weighted or not), summed or
    /// averaged. Min–max, percentile ranks, robust z-scores and the geometric mean need more than moments.
    public var isMergeable: Bool {
        guard case .zScore = normalization else { return false }
        return aggregation != .geometric
    }

    /// The eligible areas with enough of the indicators (all, or `min_share` of the weight): those the index scores.
    public func completeRows(values: Matrix, eligible: [Bool]) -> [Bool] {
        let minimumPresent = switch missingRule {
        case .requireAll: weights.reduce(0, +)
        case .minimumShare(let share): share * weights.reduce(0, +) - 1e-12
        }
        return zip(eligible, values.presentWeights(weights)).map { $0 && $1 >= minimumPresent }
    }

    /// First pass on a part: the moments of each indicator over its complete eligible areas (empty where none).
    public func indicatorMoments(values: Matrix, eligible: [Bool], population: [Double]? = nil) -> ColumnMoments {
        let complete = completeRows(values: values, eligible: eligible)
        var weighted = false
        if case .zScore(_, weighted: true) = normalization { weighted = true }
        let rowWeights = complete.indices.map { complete[$0] ? (weighted ? population?[$0] ?? .nan : 1) : .nan }
        return ColumnMoments(columns: (0..<values.columns).map { Moments.ofPresent(Array(values.column($0)), weights: rowWeights) })
    }

    /// Second pass on a part: with the whole city's indicator moments, the moments of the aggregate over the part's
    /// scored areas (unweighted, as the re-standardisation uses them).
    public func aggregateMoments(values: Matrix, eligible: [Bool], population: [Double]? = nil,
                                 indicators: ColumnMoments) throws(StatisticsError) -> Moments {
        var aggregateOnly = self
        aggregateOnly.restandardize = false
        aggregateOnly.classes = nil
        let result = try aggregateOnly.compute(values: values, eligible: eligible, population: population,
                                               known: IndexMoments(indicators: indicators, aggregate: nil))
        return Moments.ofPresent(result.aggregate.indices.map { result.scored[$0] ? result.aggregate[$0] : .nan })
    }
}

/// The normalised, polarity-adjusted indicators of an index (areas × indicators, higher = more need). Where the
/// normalisation is an affine map of each column (z-scores, min–max, robust z), the input and the map
/// `zᵢⱼ = (xᵢⱼ − shiftⱼ) · scaleⱼ` are kept and a value is computed when it is read, by the same arithmetic as a
/// stored copy would hold: the index then needs no second copy of the data. Percentile ranks are stored.
public struct NormalizedIndicators: Sendable {
    private let values: Matrix
    private let map: (shift: [Double], scale: [Double])?

    init(values: Matrix, shift: [Double], scale: [Double]) {
        self.values = values
        map = (shift, scale)
    }

    init(_ stored: Matrix) {
        values = stored
        map = nil
    }

    public var rows: Int { values.rows }
    public var columns: Int { values.columns }

    public subscript(area: Int, indicator: Int) -> Double {
        guard let map else { return values[area, indicator] }
        return (values[area, indicator] - map.shift[indicator]) * map.scale[indicator]
    }

    /// All values as a matrix (written out when they are a map).
    public var matrix: Matrix {
        guard let map else { return values }
        return values.columnsShiftedAndScaled(shift: map.shift, scale: map.scale)
    }
}
