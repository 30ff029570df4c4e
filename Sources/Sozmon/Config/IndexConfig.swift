import Indicators

extension RunConfig {
    /// `[[index]]`: one composite index of standardised indicators.
    package struct Index: Sendable, Encodable {
        package var name: String
        package var preset: IndexPreset?
        package var indicators: [String]
        /// One per indicator.
        package var polarity: [Polarity]
        /// One per indicator (`nil`: equal weights).
        package var weights: [Double]?
        package var normalization: IndexNormalization = .z
        package var ddof: Int = 0
        package var aggregation: Aggregation = .sum
        package var restandardize: Bool = true
        package var minShare: Double?
        package var classes: IndexClasses
        /// Periods back for derived change indicators (`D1` = `S1(t) − S1(t − lag)`).
        package var lag: Int = 2
        /// Weights from the first principal component of the indicators (over the scored areas) instead of `weights`.
        package var pcaWeights: Bool = false
        /// Outlier treatment of each indicator before normalisation (`treatment_<index>.csv` says what it did).
        package var winsorize: OutlierTreatment = .none
        package var winsorizeMax: Int = 5
        /// Missing values of eligible areas filled in before normalisation.
        package var impute: Imputation = .none
        /// The hierarchy level whose units are the groups of `group-median` (default: the lowest level).
        package var imputeLevel: String?
        /// Leave-one-indicator-out rank shifts and class changes in `uncertainty_<index>.csv`.
        package var sensitivity: Bool = false

        /// - Parameter catalogue: `[indicators]`, whose polarities are the defaults of this index's.
        init(reading t: ConfigReader.Table, catalogue: [String: IndicatorInfo] = [:]) {
            let reader = t.reader, path = t.path!
            if !t.has("name") { reader.problem("every [[index]] needs a name", line: reader.line(of: nil, in: path)) }
            name = t.safeName("name") ?? ""
            preset = t.optionalChoice("preset")
            indicators = t.strings("indicators") ?? []
            if indicators.isEmpty {
                reader.problem("'\(path).indicators' must list at least one indicator", line: reader.line(of: nil, in: path))
            }
            polarity = indicators.map { catalogue[$0]?.polarity ?? .higherIsWorse }
            classes = preset?.classes ?? .unclassified
            let choices = Polarity.allCases.map(\.rawValue).joined(separator: " or ")
            let defaults = polarity
            if var given = t.perIndicator("polarity", indicators: indicators, fallback: Polarity.higherIsWorse,
                                          expected: choices, { $0.string.flatMap(Polarity.init(rawValue:)) }) {
                // A table by name leaves the others at the catalogue's polarity.
                if t.table["polarity"]?.table != nil {
                    let named = Set(t.table["polarity"]?.table?.keys ?? [])
                    for (j, name) in indicators.enumerated() where !named.contains(name) { given[j] = defaults[j] }
                }
                polarity = given
            }
            let weightRange = NumberRange.above(0, atMost: 1e6)
            weights = t.perIndicator("weights", indicators: indicators, fallback: 1.0, expected: "a weight \(weightRange)",
                                     { ($0.double ?? $0.int.map(Double.init)).flatMap { weightRange.contains($0) ? $0 : nil } })
            normalization = t.choice("normalization", default: normalization)
            ddof = t.int("ddof", default: ddof, range: 0...1)
            aggregation = t.choice("aggregation", default: aggregation)
            restandardize = t.bool("restandardize", default: restandardize)
            minShare = t.double("min_share", in: .above(0, atMost: 1))
            classes = t.choice("classes", default: classes)
            lag = t.int("lag", default: lag, range: 1...1000)
            pcaWeights = t.bool("pca_weights", default: pcaWeights)
            winsorize = t.choice("winsorize", default: winsorize)
            winsorizeMax = t.int("winsorize_max", default: winsorizeMax, range: 1...1000)
            impute = t.choice("impute", default: impute)
            imputeLevel = t.string("impute_level")
            if imputeLevel != nil && impute != .groupMedian {
                reader.problem("'\(path).impute_level' goes with impute = \"group-median\"", line: reader.line(of: "impute_level", in: path))
            }
            sensitivity = t.bool("sensitivity", default: sensitivity)
            if sensitivity && indicators.count < 2 {
                reader.problem("'\(path).sensitivity' leaves one indicator out at a time: it needs at least 2 indicators",
                               line: reader.line(of: "sensitivity", in: path))
            }
            if pcaWeights && weights != nil {
                reader.problem("'\(path)': give weights or pca_weights = true, not both", line: reader.line(of: "pca_weights", in: path))
            }
            t.finish()
        }

        /// The index as the `Indicators` module computes it.
        var definition: IndexDefinition {
            let normalization: Normalization = switch normalization {
            case .z: .zScore(ddof: ddof)
            case .zWeighted: .zScore(ddof: ddof, weighted: true)
            case .minMax: .minMax
            case .percentileRank: .percentileRank
            case .robustZ: .robustZScore
            }
            let scheme: ClassScheme? = switch classes {
            case .mssStatus: .mssStatus
            case .mssDynamik: .mssDynamics
            case .unclassified: nil
            }
            return IndexDefinition(name: name, indicators: indicators, polarities: polarity, weights: weights,
                                   normalization: normalization, aggregation: aggregation, restandardize: restandardize,
                                   missingRule: minShare.map { .minimumShare($0) } ?? .requireAll, classes: scheme)
        }
    }

    /// `[combined]`: the Gesamtindex crossing a status index with a dynamics index.
    package struct Combined: Sendable, Encodable {
        package var preset: CombinedPreset = .mss
        package var status: String
        package var dynamik: String

        init(reading t: ConfigReader.Table, indices: [Index]) {
            let reader = t.reader
            preset = t.choice("preset", default: preset)
            status = t.string("status") ?? ""
            dynamik = t.string("dynamik") ?? ""
            // MSS crosses the 4 status classes with the 3 dynamics classes.
            for (key, name, scheme) in [("status", status, IndexClasses.mssStatus), ("dynamik", dynamik, .mssDynamik)] {
                guard let index = indices.first(where: { $0.name == name }) else {
                    reader.problem("'combined.\(key)' must name an [[index]], not \"\(name)\"", line: reader.line(of: key, in: "combined"))
                    continue
                }
                if index.classes != scheme {
                    reader.problem("'combined.\(key)' names index \"\(name)\" with classes \"\(index.classes.rawValue)\"; "
                                   + "the combined MSS preset needs an index with classes \"\(scheme.rawValue)\"",
                                   line: reader.line(of: key, in: "combined"))
                }
            }
            if status == dynamik {
                reader.problem("'combined.status' and 'combined.dynamik' name the same index", line: reader.line(of: "dynamik", in: "combined"))
            }
            t.finish()
        }
    }

    /// `[uncertainty]`: how stable each area's class is when the weights vary (Dirichlet draws around them).
    package struct Uncertainty: Sendable, Encodable {
        package var runs: Int = 0
        package var seed: UInt64 = 1
        package var concentration: Double = 50

        init() {}

        init(reading t: ConfigReader.Table) {
            runs = t.int("runs", default: runs, range: 0...1_000_000)
            seed = t.seed("seed", default: seed)
            concentration = t.double("concentration", in: .closed(1, 1e6)) ?? concentration
            t.finish()
        }
    }
}
