import LinearAlgebra
import Statistics

/// The areas most alike each area in its indicators (as Hamburg's CoSI offers "find similar areas"): for every
/// area with complete values, the k nearest other areas, nearest first, by
/// - `euclidean`: the Euclidean distance between the areas' z-scores (each indicator centred and divided by its
///   standard deviation, ddof 0), so that every indicator weighs alike;
/// - `mahalanobis`: `√((x − y)ᵀ Σ⁻¹ (x − y))` with Σ the indicators' covariance (ddof 1, as numpy's `cov`), which also
///   discounts indicators that say the same; computed as Euclidean distances after whitening, `X V Λ^{-1/2}`.
/// Exact nearest neighbours by a k-d tree over the features (Friedman, Bentley & Finkel 1977; scikit-learn's
/// `NearestNeighbors` gives the same neighbours): O(n log n) for the few indicators of a profile, queries on all
/// cores; equal distances are ordered by row.
public struct SimilarAreas: Sendable {
    public enum Metric: String, Sendable, CaseIterable, Encodable { case euclidean, mahalanobis }

    /// Per area, its most similar areas (row numbers), nearest first; empty for an area with a missing value.
    public let neighbours: [[Int]]
    /// The distances, in the same order.
    public let distances: [[Double]]

    /// - Parameters:
    ///   - values: one row per area, one column per indicator (NaN: missing).
    ///   - allowed: whether area j may be named for area i (e.g. only areas of other districts).
    public init(_ values: Matrix, k: Int, metric: Metric, allowed: @escaping @Sendable (Int, Int) -> Bool = { _, _ in true })
        throws(StatisticsError) {
        guard k >= 1 else { throw .invalidParameter(name: "k", value: "\(k)", expected: "an int in the range [1, inf)") }
        let complete = (0..<values.rows).filter { i in (0..<values.columns).allSatisfy { !values[i, $0].isNaN } }
        guard complete.count >= 2 else {
            throw .insufficientData(statistic: "similar areas", count: complete.count, needed: 2)
        }
        let x = values.selectingRows(complete)
        let features: Matrix
        switch metric {
        case .euclidean:
            features = try x.zScores(ddof: 0)
        case .mahalanobis:
            let centred = x.columnsShiftedAndScaled(shift: (0..<x.columns).map { j in x.column(j).reduce(0, +) / Double(x.rows) },
                                                    scale: [Double](repeating: 1, count: x.columns))
            let covariance = centred.gram(scaledBy: 1 / Double(x.rows - 1))
            guard let eigen = try? covariance.symmetricEigendecomposition(), eigen.values.allSatisfy({ $0 > 1e-12 }) else {
                // Singular: an indicator is constant or a combination of the others.
                throw .zeroVariance(statistic: "Mahalanobis distance (the indicators' covariance is singular)", column: 0)
            }
            let whitening = Matrix(columns: (0..<x.columns).map { j in
                (0..<x.columns).map { eigen.vectors[$0, j] / eigen.values[j].squareRoot() }
            })
            features = centred.multiplied(by: whitening)
        }
        let tree = KDTree(features)
        let found = parallelMap(features.rows) { i in tree.nearest(to: i, k: k) { allowed(complete[i], complete[$0]) } }
        var neighbours = [[Int]](repeating: [], count: values.rows)
        var distances = [[Double]](repeating: [], count: values.rows)
        for (i, best) in found.enumerated() {
            neighbours[complete[i]] = best.map { complete[$0.j] }
            distances[complete[i]] = best.map { $0.d.squareRoot() }
        }
        self.neighbours = neighbours
        self.distances = distances
    }
}

/// A k-d tree over the rows of a matrix: each node splits its rows at the median of the coordinate that spreads most;
/// leaves hold at most 16 rows.
private struct KDTree: Sendable {
    private struct Node: Sendable {
        var start: Int, end: Int
        var dimension = -1, split = 0.0
        var left = -1, right = -1
    }

    private let p: Int
    /// The rows' coordinates, row after row.
    private let points: [Double]
    /// The rows in the tree's order: a node holds `order[start..<end]`.
    private var order: [Int]
    private var nodes: [Node] = []

    init(_ x: Matrix) {
        p = x.columns
        points = (0..<x.rows).flatMap { x.row($0) }
        order = Array(0..<x.rows)
        _ = build(0, x.rows)
    }

    private mutating func build(_ start: Int, _ end: Int) -> Int {
        let id = nodes.count
        nodes.append(Node(start: start, end: end))
        guard end - start > 16 else { return id }
        let width = p, coordinates = points
        let spread = (0..<width).map { d -> Double in
            let values = order[start..<end].map { coordinates[$0 * width + d] }
            return values.max()! - values.min()!
        }
        let dimension = spread.indices.max { spread[$0] < spread[$1] }!
        guard spread[dimension] > 0 else { return id }
        order[start..<end].sort { coordinates[$0 * width + dimension] < coordinates[$1 * width + dimension] }
        let mid = (start + end) / 2
        nodes[id].dimension = dimension
        nodes[id].split = points[order[mid] * p + dimension]
        let left = build(start, mid), right = build(mid, end)
        nodes[id].left = left
        nodes[id].right = right
        return id
    }

    /// The k nearest rows to row `i` that `allowed` admits (not `i` itself), nearest first: (row, squared distance).
    func nearest(to i: Int, k: Int, allowed: (Int) -> Bool) -> [(j: Int, d: Double)] {
        var best: [(j: Int, d: Double)] = []
        func visit(_ id: Int) {
            let node = nodes[id]
            guard node.left >= 0 else {
                for j in order[node.start..<node.end] where j != i && allowed(j) {
                    var d = 0.0
                    for c in 0..<p { let e = points[i * p + c] - points[j * p + c]; d += e * e }
                    if best.count == k, (d, j) >= (best[k - 1].d, best[k - 1].j) { continue }
                    var at = best.count
                    while at > 0 && (best[at - 1].d, best[at - 1].j) > (d, j) { at -= 1 }
                    best.insert((j, d), at: at)
                    if best.count > k { best.removeLast() }
                }
                return
            }
            let diff = points[i * p + node.dimension] - node.split
            visit(diff < 0 ? node.left : node.right)
            // The other side lies at least |diff| away.
            if best.count < k || diff * diff <= best[k - 1].d { visit(diff < 0 ? node.right : node.left) }
        }
        visit(0)
        return best
    }
}
