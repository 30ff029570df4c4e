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

    /// MSS Status-Index: z (unweighted, ddof 0) → sum → z again → 4 status classes (METHODS.md §2).
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
    public let normalized: Matrix
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
    public func compute(values: Matrix, eligible: [Bool], population: [Double]? = nil) throws(StatisticsError)
        -> IndexResult {
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
        let present: [Double], complete: [Bool]
        var moments: ColumnMoments? = nil
        if case .zScore(_, weighted: false) = normalization {
            (moments, present, complete) = ColumnMoments.overCompleteRows(of: values, weights: weights, include: eligible,
                                                                          minimumPresent: minimumPresent)
        } else {
            present = values.presentWeights(weights)
            complete = zip(eligible, present).map { $0 && $1 >= minimumPresent }
        }
        let scoredCount = complete.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard scoredCount >= 2 else {
            throw .insufficientData(statistic: "index '\(name)'", count: scoredCount, needed: 2)
        }
        let signs = polarities.map { $0 == .higherIsBetter ? -1.0 : 1.0 }
        var normalized: Matrix
        var sum: [Double], logSums: [Double] = []
        do throws(StatisticsError) {
            if aggregation != .geometric, let (shift, scale) = try normalization.affineMap(
                for: values, reference: complete, weights: population, moments: moments) {
                // Normalised, polarity-adjusted indicators and their weighted sum in one pass.
                (normalized, sum) = values.columnsShiftedAndScaled(shift: shift, scale: zip(scale, signs).map { $0 * $1 },
                                                                   summingRowsWith: weights, include: complete)
            } else {
                normalized = try normalization.apply(to: values, reference: complete, weights: population)
                if polarities.contains(.higherIsBetter) {
                    normalized.shiftAndScaleColumns(shift: [Double](repeating: 0, count: k), scale: signs)
                }
                (sum, logSums) = weightedRowSums(normalized, include: complete)
            }
        } catch {
            // Name the indicator rather than its column number.
            if case .zeroVariance(let statistic, let column) = error {
                throw .zeroVariance(statistic: "\(statistic) of indicator '\(indicators[column])' in index '\(name)'",
                                    column: column)
            }
            throw error
        }
        let z = normalized.elements
        // The aggregate of the scored areas (NaN for the others).
        let sums = sum, logs = logSums  // constants for the closures below (a captured `var` is boxed)
        var aggregate: [Double]
        switch aggregation {
        case .sum: aggregate = (0..<n).map { complete[$0] ? sums[$0] * (totalWeight / present[$0]) : .nan }
        case .mean: aggregate = (0..<n).map { complete[$0] ? sums[$0] / present[$0] : .nan }
        case .geometric:
            if let i = (0..<n).first(where: { i in complete[i] && (0..<k).contains { z[$0 * n + i] <= 0 } }) {
                throw .invalidParameter(name: "aggregation", value: "geometric with a value ≤ 0 for area \(i)",
                                        expected: "positive normalised values (use min-max or percentile ranks)")
            }
            aggregate = (0..<n).map { complete[$0] ? exp(logs[$0] / present[$0]) : .nan }
        }
        var value = aggregate
        if restandardize {
            // z over the scored areas, ddof 0: the aggregate is NaN exactly for the others, which the moments skip.
            var column = Matrix(rows: n, columns: 1, columnMajor: aggregate)
            do { try column.standardizeColumns(ddof: 0) } catch {
                throw .zeroVariance(statistic: "index '\(name)': re-standardising the aggregate", column: 0)
            }
            value = column.elements
        }
        let classes = ClassAssignments(value, scheme: self.classes, include: complete)
        return IndexResult(definition: self, normalized: normalized, aggregate: aggregate, value: value,
                           classes: classes, scored: complete)
    }

    /// Per row `Σⱼ wⱼ zᵢⱼ` and `Σⱼ wⱼ log zᵢⱼ` over the present z of the rows with `include[i]`, column by column.
    private func weightedRowSums(_ normalized: Matrix, include: [Bool]) -> (sums: [Double], logs: [Double]) {
        let n = normalized.rows, z = normalized.elements
        var sums = [Double](repeating: 0, count: n), logs = [Double](repeating: 0, count: n)
        for j in 0..<normalized.columns {
            let w = weights[j], base = j * n
            for i in 0..<n where include[i] && !z[base + i].isNaN {
                sums[i] += w * z[base + i]
                if aggregation == .geometric { logs[i] += w * log(z[base + i]) }
            }
        }
        return (sums, logs)
    }
}
