import LinearAlgebra
import Spatial
import SozmonIO
import Statistics

/// Spatial results of a run, ready for `spatial_global.csv`, `spatial_local.csv`, `clusters.csv` and
/// `clusters_quality.csv`.
public struct SpatialReport: Sendable {
    public struct Variable: Sendable {
        public var name: String
        /// Area ids that took part (those with a value), in weights order.
        public var areaIDs: [String]
        public var global: GlobalMoran
        public var local: LocalMoran
        /// `nil` where G is undefined (negative values).
        public var getisOrd: GetisOrd?
        public init(name: String, areaIDs: [String], global: GlobalMoran, local: LocalMoran, getisOrd: GetisOrd?) {
            self.name = name; self.areaIDs = areaIDs; self.global = global; self.local = local; self.getisOrd = getisOrd
        }
    }

    public struct Clustering: Sendable {
        public var method: ClusterMethod
        public var k: Int
        public var areaIDs: [String]
        public var labels: [Int]
        public var quality: ClusterQuality?
        public init(method: ClusterMethod, k: Int, areaIDs: [String], labels: [Int], quality: ClusterQuality?) {
            self.method = method; self.k = k; self.areaIDs = areaIDs; self.labels = labels; self.quality = quality
        }
    }

    public var weightsLabel: String
    public var alpha: Double
    public var fdr: Bool
    public var variables: [Variable]
    public var clusterings: [Clustering]
    /// What the reader should know, e.g. areas that are islands among the areas with a value.
    public var warnings: [String]

    /// The weights the statistics started from (before each variable's subset and transformation), for
    /// `weights.gal` and `weights.gwt`.
    public var weights: SpatialWeights?

    public init(weightsLabel: String, alpha: Double, fdr: Bool, variables: [Variable], clusterings: [Clustering],
                warnings: [String] = [], weights: SpatialWeights? = nil) {
        self.weightsLabel = weightsLabel; self.alpha = alpha; self.fdr = fdr
        self.variables = variables; self.clusterings = clusterings; self.warnings = warnings; self.weights = weights
    }

    public func tables() throws -> [Table] {
        var result: [Table] = []
        if !variables.isEmpty {
            var global = Table(name: "spatial_global", columns: [
                "statistic", "variable", "weights", "n", "value", "expected", "variance_norm", "z_norm", "p_norm",
                "variance_rand", "z_rand", "p_rand", "p_sim", "permutations", "seed"])
            var local = Table(name: "spatial_local", columns: [
                "area_id", "variable", "local_i", "quadrant", "p_sim", "q_value", "significant", "cluster_type",
                "gi_star", "gi_star_z"], roles: ["area_id": .areaID, "variable": .key])
            for v in variables {
                let m = v.global
                global.append([.text("moran_i"), .text(v.name), .text(weightsLabel), .integer(m.n), .value(m.i),
                               .value(m.normality.expected), .value(m.normality.variance), .value(m.normality.z),
                               .value(m.normality.pValue), .value(m.randomization.variance), .value(m.randomization.z),
                               .value(m.randomization.pValue), m.permutation.map { .value($0.pValue) } ?? .empty,
                               .integer(m.permutation?.permutations ?? 0),
                               m.permutation.map { .text(String($0.seed)) } ?? .empty])
                let p = v.local.pValues
                let q = try p.map { try benjaminiHochberg($0) }
                let n = v.areaIDs.count
                let significant: [Bool?] = (fdr ? q : p).map { tests in tests.map { $0 < alpha } } ?? Array(repeating: nil, count: n)
                let quadrants = v.local.quadrants.map(\.rawValue)
                local.append(Table.Block(count: n, columns: [
                    .texts(v.areaIDs), .constant(.text(v.name)), .numbers(v.local.values), .texts(quadrants),
                    p.map { .numbers($0) } ?? .empty, q.map { .numbers($0) } ?? .empty, .bools(significant),
                    .texts(n == 0 ? [] : (0..<n).map { significant[$0] == true ? quadrants[$0] : "ns" }),
                    v.getisOrd.map { .numbers($0.values) } ?? .empty, v.getisOrd.map { .numbers($0.z) } ?? .empty]))
            }
            result += [global, local]
        }
        if !clusterings.isEmpty {
            var clusters = Table(name: "clusters", columns: ["area_id", "method", "k", "cluster"], roles: ["area_id": .areaID])
            var quality = Table(name: "clusters_quality", columns: ["method", "k", "within_ss", "calinski_harabasz", "silhouette"])
            for c in clusterings {
                clusters.append(Table.Block(count: c.areaIDs.count, columns: [
                    .texts(c.areaIDs), .constant(.text(c.method.rawValue)), .constant(.integer(c.k)), .integers(c.labels.map { $0 + 1 })]))
                quality.append([.text(c.method.rawValue), .integer(c.k), c.quality.map { .value($0.withinSumOfSquares) } ?? .empty,
                                c.quality.map { .value($0.calinskiHarabasz) } ?? .empty,
                                c.quality.map { .value($0.silhouette) } ?? .empty])
            }
            result += [clusters, quality]
        }
        return result
    }
}
