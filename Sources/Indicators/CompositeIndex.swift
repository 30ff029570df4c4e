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
    public let classes: [ClassScheme.Class?]
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
        // Which areas have enough data.
        var complete = [Bool](repeating: false, count: n)
        for i in 0..<n where eligible[i] {
            let present = (0..<k).reduce(0.0) { $0 + (values[i, $1].isNaN ? 0 : weights[$1]) }
            switch missingRule {
            case .requireAll: complete[i] = present == totalWeight
            case .minimumShare(let share): complete[i] = present >= share * totalWeight - 1e-12
            }
        }
        guard complete.filter({ $0 }).count >= 2 else {
            throw .insufficientData(statistic: "index '\(name)'", count: complete.filter { $0 }.count, needed: 2)
        }
        var normalized: Matrix
        do { normalized = try normalization.apply(to: values, reference: complete, weights: population) } catch {
            // Name the indicator rather than its column number.
            if case .zeroVariance(let statistic, let column) = error {
                throw .zeroVariance(statistic: "\(statistic) of indicator '\(indicators[column])' in index '\(name)'",
                                    column: column)
            }
            throw error
        }
        for (j, polarity) in polarities.enumerated() where polarity == .higherIsBetter {
            for i in 0..<n { normalized[i, j] = -normalized[i, j] }
        }
        var aggregate = [Double](repeating: .nan, count: n)
        for i in 0..<n where complete[i] {
            var sum = 0.0, weightPresent = 0.0, logSum = 0.0
            for j in 0..<k where !normalized[i, j].isNaN {
                sum += weights[j] * normalized[i, j]
                weightPresent += weights[j]
                if aggregation == .geometric { logSum += weights[j] * log(normalized[i, j]) }
            }
            // Re-weighting for missing indicators: scale the present weights up to the full weight sum.
            let rescale = totalWeight / weightPresent
            switch aggregation {
            case .sum: aggregate[i] = sum * rescale
            case .mean: aggregate[i] = sum / weightPresent
            case .geometric:
                guard (0..<k).allSatisfy({ normalized[i, $0].isNaN || normalized[i, $0] > 0 }) else {
                    throw .invalidParameter(name: "aggregation", value: "geometric with a value ≤ 0 for area \(i)",
                                            expected: "positive normalised values (use min-max or percentile ranks)")
                }
                aggregate[i] = exp(logSum / weightPresent)
            }
        }
        var value = aggregate
        if restandardize {
            let column = Matrix(rows: n, columns: 1, columnMajor: aggregate)
            do { value = try Normalization.zScore(ddof: 0).apply(to: column, reference: complete).elements } catch {
                throw .zeroVariance(statistic: "index '\(name)': re-standardising the aggregate", column: 0)
            }
        }
        let classes = (0..<n).map { complete[$0] ? self.classes?.classify(value[$0]) : nil }
        return IndexResult(definition: self, normalized: normalized, aggregate: aggregate, value: value,
                           classes: classes, scored: complete)
    }
}
