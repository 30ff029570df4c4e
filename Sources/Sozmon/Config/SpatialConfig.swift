import Spatial

extension RunConfig {
    /// `[spatial]`: spatial autocorrelation of indicators or index values (`spatial_global.csv`, `spatial_local.csv`).
    package struct Spatial: Sendable, Encodable {
        package var variables: [String]
        /// The weights, each kind with what it needs (`weights`, `k`, `distance`, `weights_file`).
        package var weights: Weights = .queen
        package var transform: WeightsTransform = .rowStandardized
        package var permutations: Int = 999
        package var seed: UInt64 = 1
        package var alpha: Double = RunConfig.defaultAlpha
        package var fdr: Bool = true

        /// The GeoDa file of `weights = "file"`, an input of the run.
        var weightsFilePath: String? { if case .file(let path) = weights { path } else { nil } }

        /// Neighbours per area for `weights = "knn"` when `k` is not given.
        static let defaultK = 6

        init(reading t: ConfigReader.Table) {
            let reader = t.reader
            variables = t.requiredStrings("variables", "at least one indicator or <index>_value")
            let kind = t.choice("weights", default: WeightsKind.queen)
            let k = t.int("k", default: Self.defaultK, range: 1...1000)
            let distance = t.double("distance", in: .above(0, atMost: 1e7))
            let file = t.string("weights_file")
            if kind == .distance && distance == nil {
                reader.problem("'spatial.distance' (metres, > 0) is needed for weights = \"distance\"",
                               line: reader.line(of: "weights", in: "spatial"))
            }
            if (kind == .file) != (file != nil) {
                reader.problem("'spatial.weights_file' (a GeoDa .gal or .gwt file) goes with weights = \"file\", and only with it",
                               line: reader.line(of: file != nil ? "weights_file" : "weights", in: "spatial"))
            }
            switch (kind, distance, file) {
            case (.rook, _, _): weights = .rook
            case (.knn, _, _): weights = .nearest(k: k)
            case (.distance, let metres?, _): weights = .distanceBand(metres: metres)
            case (.neighbours, _, _): weights = .neighbourList
            case (.file, _, let path?): weights = .file(path)
            default: weights = .queen  // queen, or a problem said above
            }
            transform = t.choice("transform", default: transform)
            permutations = t.int("permutations", default: permutations, range: 0...100_000)
            seed = t.seed("seed", default: seed)
            alpha = t.double("alpha", in: .open(0, 1)) ?? alpha
            fdr = t.bool("fdr", default: fdr)
            t.finish()
        }

        private enum CodingKeys: String, CodingKey {
            case variables, weights, k, distance, weightsFile, transform, permutations, seed, alpha, fdr
        }

        /// As the config file says it: the weights' kind and only the key it needs.
        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(variables, forKey: .variables)
            try c.encode(weights.kind, forKey: .weights)
            switch weights {
            case .nearest(let k): try c.encode(k, forKey: .k)
            case .distanceBand(let metres): try c.encode(metres, forKey: .distance)
            case .file(let path): try c.encode(path, forKey: .weightsFile)
            case .queen, .rook, .neighbourList: break
            }
            try c.encode(transform, forKey: .transform)
            try c.encode(permutations, forKey: .permutations)
            try c.encode(seed, forKey: .seed)
            try c.encode(alpha, forKey: .alpha)
            try c.encode(fdr, forKey: .fdr)
        }
    }

    /// The spatial weights of a run, each kind with what it needs.
    package enum Weights: Sendable, Equatable {
        /// Areas sharing a boundary point, or a boundary segment (polygons).
        case queen, rook
        /// The `k` nearest centroids.
        case nearest(k: Int)
        /// Centroids within `metres`.
        case distanceBand(metres: Double)
        /// The pairs of `input.neighbours`.
        case neighbourList
        /// A GeoDa `.gal` or `.gwt` file.
        case file(String)

        package var kind: WeightsKind {
            switch self {
            case .queen: .queen
            case .rook: .rook
            case .nearest: .knn
            case .distanceBand: .distance
            case .neighbourList: .neighbours
            case .file: .file
            }
        }
    }

    /// The weights the sections that need neighbours build (`[spatial]`'s; queen contiguity, row-standardised, for
    /// `[clusters]` and `[hotspots]` without it): the defaults, in one place.
    package var neighbourWeights: (weights: Weights, transform: WeightsTransform) {
        (spatial?.weights ?? .queen, spatial?.transform ?? .rowStandardized)
    }

    /// `[clusters]`: clusters of areas (`clusters.csv`, `clusters_quality.csv`).
    package struct Clusters: Sendable, Encodable {
        package var variables: [String]
        package var methods: [ClusterMethod] = [.kmeans, .ward, .regions]
        package var k: Int = 5
        /// SKATER: the fewest areas a region may have.
        package var minimumRegionSize: Int = 1
        package var restarts: Int = 10
        package var seed: UInt64 = 1
        /// k-means quality for every k in this range as extra rows of `clusters_quality.csv` (to choose k).
        package var compareK: ClosedRange<Int>?
        /// max-p's floor (`floor_variable`, `floor`): given exactly when `methods` has max-p.
        package var maxPFloor: MaxPFloor?

        /// The sum each max-p region must reach.
        package struct MaxPFloor: Sendable, Encodable {
            /// The variable summed: the population column, an indicator or an index value.
            package var variable: String
            package var minimum: Double
        }

        init(reading t: ConfigReader.Table) {
            let reader = t.reader
            variables = t.requiredStrings("variables", "at least one indicator")
            methods = t.choices("methods", default: methods)
            k = t.int("k", default: k, range: 2...10_000)
            restarts = t.int("restarts", default: restarts, range: 1...1000)
            minimumRegionSize = t.int("min_region_size", default: minimumRegionSize, range: 1...10_000_000)
            seed = t.seed("seed", default: seed)
            let floorVariable = t.string("floor_variable"), floor = t.double("floor", in: .above(0, atMost: 1e15))
            if let floorVariable, let floor { maxPFloor = MaxPFloor(variable: floorVariable, minimum: floor) }
            if methods.contains(.maxP) != (floorVariable != nil && floor != nil) || (floorVariable == nil) != (floor == nil) {
                reader.problem("'clusters.floor_variable' and 'clusters.floor' (> 0) go together with methods = [\"max-p\", …], "
                               + "and only with it", line: reader.line(of: t.has("floor") ? "floor" : "methods", in: "clusters"))
            }
            if let range = t.integers("compare_k", in: 2...10_000) {
                if range.count == 2 && range[0] <= range[1] { compareK = range[0]...range[1] } else {
                    reader.problem("'clusters.compare_k' must be [from, to] with 2 ≤ from ≤ to ≤ 10000",
                                   line: reader.line(of: "compare_k", in: "clusters"))
                }
            }
            t.finish()
        }
    }
}
