import Dispatch
import LinearAlgebra
import Statistics
import Synchronization

/// k-means clustering (Lloyd's algorithm) with k-means++ initialisation (Arthur & Vassilvitskii 2007) and restarts,
/// as scikit-learn's `KMeans(init="k-means++", n_init=…)`.
///
/// Each iteration finds all squared distances at once as `‖x‖² + ‖c‖² − 2·X·Cᵀ`, one BLAS-3 `dgemm`. Restart r
/// starts from `RandomStream(seed, stream: r)`; the best inertia wins (ties: the lower restart), so the result does
/// not depend on the number of threads. An empty cluster is re-seeded with the point farthest from its centre.
public struct KMeans: Sendable {
    /// Cluster of each row, 0-based, numbered in order of first appearance (row 0 is in cluster 0).
    public let labels: [Int]
    /// Centres, clusters × variables.
    public let centres: Matrix
    /// Within-cluster sum of squares.
    public let inertia: Double
    public let iterations: Int
    public let seed: UInt64

    /// - Throws: `SpatialError.invalidParameter` for k outside [1, n], missing values, or fewer distinct rows than k.
    public init(_ data: Matrix, clusterCount k: Int, restarts: Int = 10, maxIterations: Int = 300,
                tolerance: Double = 1e-4, seed: UInt64 = 1) throws(SpatialError) {
        let n = data.rows
        guard k >= 1 && k <= n else {
            throw .invalidParameter(name: "clusterCount", value: "\(k)", expected: "an int in the range [1, \(n)]")
        }
        guard restarts >= 1 else {
            throw .invalidParameter(name: "restarts", value: "\(restarts)", expected: "an int in the range [1, inf)")
        }
        guard data.isFinite else { throw .degenerate("k-means needs complete data (no missing values)") }
        let squaredNorms = data.squaredRowNorms()
        // sklearn's tolerance: relative to the mean variance of the variables.
        let variances = (try? ColumnMoments(data).moments.map { $0.sumOfSquaredDeviations / Double(n) }) ?? []
        let threshold = tolerance * variances.reduce(0, +) / Double(max(data.columns, 1))
        typealias Run = (labels: [Int], centres: Matrix, inertia: Double, iterations: Int)
        let runs = Mutex([Run?](repeating: nil, count: restarts))
        DispatchQueue.concurrentPerform(iterations: restarts) { r in
            var generator = RandomStream(seed: seed, stream: UInt64(r))
            guard let start = Self.plusPlus(data, k: k, generator: &generator) else { return }
            let result = Self.lloyd(data, squaredNorms: squaredNorms, centres: start, maxIterations: maxIterations,
                                    threshold: threshold)
            runs.withLock { $0[r] = result }
        }
        let all = runs.withLock { $0 }.compactMap { $0 }
        // k-means++ runs out of points at positive distance only when there are fewer than k distinct rows.
        guard let best = all.indices.min(by: { all[$0].inertia < all[$1].inertia ||
                                                (all[$0].inertia == all[$1].inertia && $0 < $1) }) else {
            throw .degenerate("fewer than \(k) distinct rows for \(k) clusters; choose a smaller k")
        }
        // Renumber clusters in order of first appearance, so that equal partitions give equal labels.
        var renumber = [Int](repeating: -1, count: k), next = 0
        for label in all[best].labels where renumber[label] < 0 { renumber[label] = next; next += 1 }
        for old in 0..<k where renumber[old] < 0 { renumber[old] = next; next += 1 }  // a cluster left empty
        labels = all[best].labels.map { renumber[$0] }
        var centres = Matrix(rows: k, columns: data.columns)
        for (old, new) in renumber.enumerated() { for j in 0..<data.columns { centres[new, j] = all[best].centres[old, j] } }
        self.centres = centres
        inertia = all[best].inertia
        iterations = all[best].iterations
        self.seed = seed
    }

    /// k-means++: the first centre uniformly, each next one with probability proportional to the squared distance to
    /// the nearest centre chosen so far. Nil when all rows lie on fewer than k distinct points.
    static func plusPlus(_ data: Matrix, k: Int, generator: inout RandomStream) -> Matrix? {
        let n = data.rows
        var chosen = [generator.integer(below: n)]
        var nearest = [Double](repeating: .infinity, count: n)
        var total = data.lowerToSquaredDistances(&nearest, from: chosen[0])
        while chosen.count < k {
            guard total > 0 else { return nil }
            var target = generator.uniform() * total, pick = n - 1
            for i in 0..<n { target -= nearest[i]; if target < 0 { pick = i; break } }
            chosen.append(pick)
            total = data.lowerToSquaredDistances(&nearest, from: pick)
        }
        return data.selectingRows(chosen)
    }

    static func squaredDistance(_ a: Matrix, _ i: Int, _ b: Matrix, _ j: Int) -> Double {
        (0..<a.columns).reduce(0.0) { $0 + (a[i, $1] - b[j, $1]) * (a[i, $1] - b[j, $1]) }
    }

    /// Lloyd iterations until the centres move less than `threshold` (sum of squared shifts).
    static func lloyd(_ data: Matrix, squaredNorms: [Double], centres start: Matrix, maxIterations: Int,
                      threshold: Double) -> (labels: [Int], centres: Matrix, inertia: Double, iterations: Int) {
        let p = data.columns, k = start.rows
        var centres = start
        var labels: [Int] = [], distances: [Double] = []
        var iteration = 0
        while true {
            iteration += 1
            let (sums, counts) = data.assignToNearest(of: centres, rowSquaredNorms: squaredNorms, labels: &labels,
                                                      squaredDistances: &distances)
            var updated = centres
            for c in 0..<k {
                if counts[c] == 0 {
                    // Re-seed an empty cluster with the point farthest from its centre.
                    let far = distances.indices.max { distances[$0] < distances[$1] }!
                    for j in 0..<p { updated[c, j] = data[far, j] }
                    distances[far] = 0
                } else {
                    for j in 0..<p { updated[c, j] = sums[c, j] / Double(counts[c]) }
                }
            }
            let shift = (0..<k).reduce(0.0) { $0 + squaredDistance(updated, $1, centres, $1) }
            centres = updated
            if shift <= threshold || iteration >= maxIterations { break }
        }
        _ = data.assignToNearest(of: centres, rowSquaredNorms: squaredNorms, labels: &labels,
                                 squaredDistances: &distances)
        return (labels, centres, data.withinSumOfSquares(labels: labels, centres: centres), iteration)
    }
}

/// Quality of a partition: within-cluster sum of squares, Calinski–Harabasz (1974) and the mean silhouette
/// (Rousseeuw 1987), as scikit-learn's `calinski_harabasz_score` and `silhouette_score`.
public struct ClusterQuality: Sendable, Equatable {
    public let withinSumOfSquares: Double
    public let calinskiHarabasz: Double
    /// Mean silhouette; O(n²), so computed for at most `silhouetteLimit` rows (NaN above).
    public let silhouette: Double
    public static let silhouetteLimit = 20_000

    public init(_ data: Matrix, labels: [Int]) throws(SpatialError) {
        let n = data.rows, p = data.columns
        let k = Set(labels).count
        guard k >= 2 && k < n else {
            throw .invalidParameter(name: "labels", value: "\(k) clusters", expected: "between 2 and n − 1 clusters")
        }
        // Dense cluster numbers in sorted label order, so that every sum runs in one fixed order.
        let dense = Dictionary(uniqueKeysWithValues: Set(labels).sorted().enumerated().map { ($1, $0) })
        let cluster = labels.map { dense[$0]! }
        var centres = [[Double]](repeating: [Double](repeating: 0, count: p), count: k)
        var counts = [Int](repeating: 0, count: k)
        for i in 0..<n {
            counts[cluster[i]] += 1
            for j in 0..<p { centres[cluster[i]][j] += data[i, j] }
        }
        for c in 0..<k { centres[c] = centres[c].map { $0 / Double(counts[c]) } }
        let overall = (0..<p).map { j in data.column(j).reduce(0, +) / Double(n) }
        var within = 0.0, between = 0.0
        for i in 0..<n { within += zip(data.row(i), centres[cluster[i]]).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        for c in 0..<k { between += Double(counts[c]) * zip(centres[c], overall).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        withinSumOfSquares = within
        calinskiHarabasz = within > 0 ? (between / Double(k - 1)) / (within / Double(n - k)) : .infinity
        guard n <= Self.silhouetteLimit else { silhouette = .nan; return }
        // Each row's distance sums on its own (rows on all cores): the same for any number of threads.
        let grouped = GroupedRows(data, groups: cluster, groupCount: k)
        let each: [Double] = parallelMap(n) { [counts] i in
            let own = counts[cluster[i]]
            guard own > 1 else { return 0 }  // a singleton's silhouette is 0
            let sums = grouped.distanceSums(to: data.row(i))
            let a = sums[cluster[i]] / Double(own - 1)
            var b = Double.infinity
            for c in 0..<k where c != cluster[i] { b = min(b, sums[c] / Double(counts[c])) }
            return (b - a) / max(a, b)
        }
        let total = each.reduce(0, +)
        silhouette = total / Double(n)
    }
}

extension KMeans {
    /// k-means for every k in `range` with its quality, to choose k (elbow of the within-SS, highest
    /// Calinski–Harabasz or silhouette). Each k uses the same seed.
    public static func compare(_ data: Matrix, clusterCounts range: ClosedRange<Int>, restarts: Int = 10,
                               seed: UInt64 = 1) throws(SpatialError) -> [(k: Int, quality: ClusterQuality)] {
        var result: [(k: Int, quality: ClusterQuality)] = []
        for k in range where k >= 2 && k < data.rows {
            let fit = try KMeans(data, clusterCount: k, restarts: restarts, seed: seed)
            result.append((k, try ClusterQuality(data, labels: fit.labels)))
        }
        return result
    }
}
