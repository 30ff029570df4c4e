import Spatial

extension RunConfig {
    /// `[spatial]`: spatial autocorrelation of indicators or index values (`spatial_global.csv`, `spatial_local.csv`).
    public struct Spatial: Sendable, Encodable {
        public var variables: [String]
        public var weights: WeightsKind = .queen
        /// Neighbours per area for `weights = "knn"`.
        public var k: Int = 6
        /// Metres, for `weights = "distance"`.
        public var distance: Double?
        /// A GeoDa `.gal` or `.gwt` file, for `weights = "file"`.
        public var weightsFile: String?
        public var transform: WeightsTransform = .rowStandardized
        public var permutations: Int = 999
        public var seed: UInt64 = 1
        public var alpha: Double = 0.05
        public var fdr: Bool = true

        init(reading t: ConfigReader.Table) {
            let reader = t.reader
            variables = t.requiredStrings("variables", "at least one indicator or <index>_value")
            weights = t.choice("weights", default: weights)
            k = t.int("k", default: k, range: 1...1000)
            distance = t.double("distance", in: .above(0, atMost: 1e7))
            if weights == .distance && distance == nil {
                reader.problem("'spatial.distance' (metres, > 0) is needed for weights = \"distance\"",
                               line: reader.line(of: "weights", in: "spatial"))
            }
            weightsFile = t.string("weights_file")
            if (weights == .file) != (weightsFile != nil) {
                reader.problem("'spatial.weights_file' (a GeoDa .gal or .gwt file) goes with weights = \"file\", and only with it",
                               line: reader.line(of: weightsFile != nil ? "weights_file" : "weights", in: "spatial"))
            }
            transform = t.choice("transform", default: transform)
            permutations = t.int("permutations", default: permutations, range: 0...100_000)
            seed = t.seed("seed", default: seed)
            alpha = t.double("alpha", in: .open(0, 1)) ?? alpha
            fdr = t.bool("fdr", default: fdr)
            t.finish()
        }
    }

    /// `[clusters]`: clusters of areas (`clusters.csv`, `clusters_quality.csv`).
    public struct Clusters: Sendable, Encodable {
        public var variables: [String]
        public var methods: [ClusterMethod] = [.kmeans, .ward, .regions]
        public var k: Int = 5
        /// SKATER: the fewest areas a region may have.
        public var minimumRegionSize: Int = 1
        public var restarts: Int = 10
        public var seed: UInt64 = 1
        /// k-means quality for every k in this range as extra rows of `clusters_quality.csv` (to choose k).
        public var compareK: ClosedRange<Int>?
        /// max-p: the variable each region must sum to at least `floor` (the population column, an indicator or an
        /// index value).
        public var floorVariable: String?
        public var floor: Double?

        init(reading t: ConfigReader.Table) {
            let reader = t.reader
            variables = t.requiredStrings("variables", "at least one indicator")
            methods = t.choices("methods", default: methods)
            k = t.int("k", default: k, range: 2...10_000)
            restarts = t.int("restarts", default: restarts, range: 1...1000)
            minimumRegionSize = t.int("min_region_size", default: minimumRegionSize, range: 1...10_000_000)
            seed = t.seed("seed", default: seed)
            floorVariable = t.string("floor_variable")
            floor = t.double("floor", in: .above(0, atMost: 1e15))
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
