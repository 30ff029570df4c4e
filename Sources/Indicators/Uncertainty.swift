import Dispatch
import Synchronization
import LinearAlgebra
import Statistics

/// Monte Carlo uncertainty analysis of an index (OECD/JRC Handbook 2008, §7): how stable are the areas' ranks and
/// classes when the weights, the normalisation and the aggregation vary within reasonable choices?
///
/// Run r draws from its own stream `RandomStream(seed, stream: r)`: weights from a Dirichlet centred on the
/// chosen ones (concentration κ: `α = κ · w / Σw`, scaled back to the weight sum), one normalisation and one
/// aggregation uniformly from the candidates. The runs are spread over cores; the result does not depend on how.
public struct UncertaintyAnalysis: Sendable {
    /// Median rank per area over the runs (1 = most need); NaN for areas not scored.
    public let medianRank: [Double]
    /// The 5 % and 95 % quantiles of the rank per area.
    public let rankInterval5: [Double]
    public let rankInterval95: [Double]
    /// Share of runs in which the area's class differs from the reported one.
    public let classChangeShare: [Double]
    public let runs: Int
    public let seed: UInt64

    public init(definition: IndexDefinition, values: Matrix, eligible: [Bool], runs: Int = 1000, seed: UInt64,
                weightConcentration: Double = 50,
                normalizations: [Normalization] = [.zScore(), .minMax, .percentileRank],
                aggregations: [Aggregation] = [.sum]) throws {
        guard runs >= 1 else {
            throw StatisticsError.invalidParameter(name: "runs", value: "\(runs)", expected: "an int in the range [1, inf)")
        }
        // Below 1 the Dirichlet's gamma draws of shape c·wⱼ/Σw underflow to 0 too often (0/0 weights).
        guard weightConcentration >= 1 && weightConcentration.isFinite else {
            throw StatisticsError.invalidParameter(name: "weightConcentration", value: "\(weightConcentration)",
                                                   expected: "a finite number in the range [1, inf)")
        }
        let reported = try definition.compute(values: values, eligible: eligible)
        // Memory: runs × areas ranks are kept for the quantiles (1000 runs × 10⁵ areas ≈ 0.8 GB).
        let n = values.rows
        let scored = reported.scored
        // One slot per run, filled by whichever thread runs it: the outcome does not depend on the split.
        let outcomes = Mutex<[RunOutcome?]>(Array(repeating: nil, count: runs))
        DispatchQueue.concurrentPerform(iterations: runs) { r in
            var generator = RandomStream(seed: seed, stream: UInt64(r))
            var variant = definition
            let total = definition.weights.reduce(0, +)
            variant.weights = generator.dirichlet(definition.weights.map { weightConcentration * $0 / total })
                .map { $0 * total }
            variant.normalization = normalizations[generator.integer(below: normalizations.count)]
            variant.aggregation = aggregations[generator.integer(below: aggregations.count)]
            let outcome: RunOutcome
            if let result = try? variant.compute(values: values, eligible: eligible) {
                outcome = .ranked(descendingRanks(result.value, scored: scored),
                                  (0..<n).map { scored[$0] && result.classes[$0]?.code != reported.classes[$0]?.code })
            } else {
                outcome = .failed
            }
            outcomes.withLock { $0[r] = outcome }
        }
        let results = outcomes.withLock { $0 }
        var ranks: [[Double]] = [], changed: [[Bool]] = []
        for case let outcome? in results {
            guard case .ranked(let r, let c) = outcome else {
                throw StatisticsError.invalidParameter(
                    name: "uncertainty variants", value: "a variant that cannot be computed",
                    expected: "normalisations and aggregations valid for every indicator (geometric needs positive values)")
            }
            ranks.append(r); changed.append(c)
        }
        var median = [Double](repeating: .nan, count: n), low = median, high = median
        var share = [Double](repeating: .nan, count: n)
        for i in 0..<n where scored[i] {
            let sample = ranks.map { $0[i] }
            let q = try quantiles(sample, at: [0.5, 0.05, 0.95])
            (median[i], low[i], high[i]) = (q[0], q[1], q[2])
            share[i] = Double(changed.filter { $0[i] }.count) / Double(runs)
        }
        medianRank = median
        rankInterval5 = low
        rankInterval95 = high
        classChangeShare = share
        self.runs = runs
        self.seed = seed
    }
}

/// Ranks with 1 for the highest value among the scored areas (ties averaged); NaN elsewhere.
func descendingRanks(_ values: [Double], scored: [Bool]) -> [Double] {
    let negated = values.indices.map { scored[$0] ? -values[$0] : Double.nan }
    return ranks(negated)
}

enum RunOutcome: Sendable {
    case ranked([Double], [Bool])
    case failed
}
