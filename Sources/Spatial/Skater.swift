import LinearAlgebra

/// SKATER (Assunção, Neves, Câmara & da Costa Freitas 2006): contiguous regions by pruning a minimum spanning tree.
///
/// 1. Every pair of neighbours (the contiguity weights) is an edge with cost `‖xᵢ − xⱼ‖²`; Kruskal's algorithm keeps
///    a minimum spanning tree of each connected component (an island is a component of its own).
/// 2. Each component starts as a region. While there are fewer than k regions, the one tree edge is cut whose
///    removal lowers the total within-region sum of squares `SSD(R) = Σᵢ∈R ‖xᵢ − x̄_R‖²` most, among the cuts that
///    leave both parts with at least `minimumSize` areas.
///
/// This is spopt's `Skater` with `dissimilarity = squared Euclidean` (its score is then exactly the SSD). The search
/// differs in cost, not result: with subtree sums `(m, Σx, Σ‖x‖²)` from one depth-first pass, every candidate cut of
/// a tree is scored in O(p), `SSD = Σ‖x‖² − ‖Σx‖²/m`, so a cut costs O(size of the split tree · p) instead of
/// spopt's O(n²) (a connected-components pass and a full re-score per candidate edge).
public struct Skater: Sendable {
    /// Region of each area, numbered 0… by the first area in input order.
    public let labels: [Int]
    /// The total within-region sum of squares.
    public let withinSS: Double
    /// The edges cut, in order, as (area, area) with the smaller index first.
    public let cuts: [(Int, Int)]

    /// - Throws: `SpatialError` when the data have missing values or the wrong shape, when k is below the number of
    ///   connected components or above n, or when no cut leaves both parts with `minimumSize` areas.
    public init(_ data: Matrix, weights: SpatialWeights, regions k: Int, minimumSize: Int = 1) throws(SpatialError) {
        let n = data.rows, p = data.columns
        guard weights.count == n else {
            throw .invalidParameter(name: "weights", value: "\(weights.count) areas", expected: "one per row (\(n))")
        }
        guard data.isFinite else { throw .degenerate("SKATER needs complete data (no missing values)") }
        guard k >= 1 && k <= n else { throw .invalidParameter(name: "k", value: "\(k)", expected: "1 … \(n) regions") }
        guard minimumSize >= 1 else {
            throw .invalidParameter(name: "minimumSize", value: "\(minimumSize)", expected: "at least 1 area")
        }
        // Centred rows (fewer digits lost in Σ‖x‖² − ‖Σx‖²/m).
        var x = [Double](repeating: 0, count: n * p)
        for j in 0..<p {
            var mean = 0.0
            for i in 0..<n { mean += data[i, j] }
            mean /= Double(n)
            for i in 0..<n { x[i * p + j] = data[i, j] - mean }
        }
        var squares = [Double](repeating: 0, count: n)
        for i in 0..<n { for j in 0..<p { squares[i] += x[i * p + j] * x[i * p + j] } }

        var tree = Self.minimumSpanningForest(x, p: p, weights: weights)
        var forest = Forest(p: p, x: x, squares: squares, minimumSize: minimumSize)
        var best: [Forest.Cut?] = []
        var componentOf = [Int](repeating: -1, count: n)
        for start in 0..<n where componentOf[start] < 0 {
            let members = forest.members(from: start, tree: tree)
            for m in members { componentOf[m] = best.count }
            best.append(forest.bestCut(members, tree: tree))
        }
        guard best.count <= k else {
            throw .invalidParameter(name: "k", value: "\(k)", expected: "at least \(best.count) regions (the weights "
                                    + "have \(best.count) connected parts; each island is one)")
        }
        var cuts: [(Int, Int)] = []
        while best.count < k {
            var chosen: Int?
            for (c, cut) in best.enumerated() {
                guard let cut else { continue }
                if let b = chosen, let current = best[b], !(cut.reduction > current.reduction
                    || (cut.reduction == current.reduction && cut.edge < current.edge)) { continue }
                chosen = c
            }
            guard let c = chosen, let cut = best[c] else {
                throw .degenerate("SKATER found \(best.count) regions; no further cut leaves both parts with at least "
                                  + "\(minimumSize) areas (lower the minimum size or k)")
            }
            tree[cut.child].removeAll { $0 == cut.parent }
            tree[cut.parent].removeAll { $0 == cut.child }
            cuts.append(cut.edge)
            let part = forest.members(from: cut.child, tree: tree), rest = forest.members(from: cut.parent, tree: tree)
            for m in part { componentOf[m] = best.count }
            best[c] = forest.bestCut(rest, tree: tree)
            best.append(forest.bestCut(part, tree: tree))
        }
        // Labels by first appearance; the SSD of each final region.
        var relabel = [Int](repeating: -1, count: best.count), next = 0
        labels = componentOf.map { c in
            if relabel[c] < 0 { relabel[c] = next; next += 1 }
            return relabel[c]
        }
        var total = 0.0
        var seen = [Bool](repeating: false, count: best.count)
        for start in 0..<n where !seen[componentOf[start]] {
            seen[componentOf[start]] = true
            total += forest.sumOfSquares(forest.members(from: start, tree: tree))
        }
        withinSS = total
        self.cuts = cuts
    }

    /// Kruskal on the neighbour pairs with cost ‖xᵢ − xⱼ‖² (ties by index pair): the tree as adjacency lists.
    static func minimumSpanningForest(_ x: [Double], p: Int, weights: SpatialWeights) -> [[Int]] {
        let n = weights.count
        var edges: [(cost: Double, a: Int, b: Int)] = []
        for a in 0..<n {
            for b in weights.neighbours[a] where b != a {
                let (i, j) = (min(a, b), max(a, b))
                // Each pair once: from its smaller end, or from the larger when the smaller does not list it.
                if a == i || !weights.neighbours[i].contains(a) {
                    var cost = 0.0
                    for t in 0..<p { let d = x[i * p + t] - x[j * p + t]; cost += d * d }
                    edges.append((cost, i, j))
                }
            }
        }
        edges.sort { ($0.cost, $0.a, $0.b) < ($1.cost, $1.a, $1.b) }
        var parent = Array(0..<n)
        func root(_ v: Int) -> Int {
            var v = v
            while parent[v] != v { parent[v] = parent[parent[v]]; v = parent[v] }
            return v
        }
        var tree = [[Int]](repeating: [], count: n)
        for e in edges {
            let (ra, rb) = (root(e.a), root(e.b))
            guard ra != rb else { continue }
            parent[ra] = rb
            tree[e.a].append(e.b)
            tree[e.b].append(e.a)
        }
        return tree
    }

    /// Subtree sums over the trees of the forest.
    struct Forest {
        let p: Int
        let x: [Double]
        let squares: [Double]
        let minimumSize: Int
        var count: [Int]
        var sums: [Double]
        var sumSquares: [Double]
        var parent: [Int]

        init(p: Int, x: [Double], squares: [Double], minimumSize: Int) {
            self.p = p; self.x = x; self.squares = squares; self.minimumSize = minimumSize
            let n = squares.count
            count = [Int](repeating: 0, count: n)
            sums = [Double](repeating: 0, count: n * p)
            sumSquares = [Double](repeating: 0, count: n)
            parent = [Int](repeating: -1, count: n)
        }

        struct Cut {
            let reduction: Double
            let child: Int, parent: Int
            var edge: (Int, Int) { (min(child, parent), max(child, parent)) }
        }

        /// The tree's nodes in depth-first preorder from `start`, with `parent` set.
        mutating func members(from start: Int, tree: [[Int]]) -> [Int] {
            var order: [Int] = [], stack = [start]
            parent[start] = -1
            while let v = stack.popLast() {
                order.append(v)
                for w in tree[v] where w != parent[v] { parent[w] = v; stack.append(w) }
            }
            return order
        }

        /// `Σ‖x‖² − ‖Σx‖²/m` of a node set.
        func sumOfSquares(_ nodes: [Int]) -> Double {
            var total = 0.0
            var s = [Double](repeating: 0, count: p)
            for v in nodes { total += squares[v]; for t in 0..<p { s[t] += x[v * p + t] } }
            return total - s.reduce(0) { $0 + $1 * $1 } / Double(nodes.count)
        }

        /// The best cut of the tree whose preorder is `order` (from `members`), or nil when none is allowed.
        mutating func bestCut(_ order: [Int], tree: [[Int]]) -> Cut? {
            guard order.count >= 2 * minimumSize, order.count >= 2 else { return nil }
            // Subtree sums, children before parents (reverse preorder).
            for v in order.reversed() {
                count[v] = 1
                sumSquares[v] = squares[v]
                for t in 0..<p { sums[v * p + t] = x[v * p + t] }
                for w in tree[v] where w != parent[v] {
                    count[v] += count[w]
                    sumSquares[v] += sumSquares[w]
                    for t in 0..<p { sums[v * p + t] += sums[w * p + t] }
                }
            }
            let root = order[0], total = count[root]
            func ssd(_ m: Int, _ q: Double, _ s: (Int) -> Double) -> Double {
                var norm = 0.0
                for t in 0..<p { norm += s(t) * s(t) }
                return q - norm / Double(m)
            }
            let whole = ssd(total, sumSquares[root]) { sums[root * p + $0] }
            var best: Cut?
            for v in order.dropFirst() {
                let m = count[v]
                guard m >= minimumSize && total - m >= minimumSize else { continue }
                let inside = ssd(m, sumSquares[v]) { sums[v * p + $0] }
                let outside = ssd(total - m, sumSquares[root] - sumSquares[v]) { sums[root * p + $0] - sums[v * p + $0] }
                let cut = Cut(reduction: whole - inside - outside, child: v, parent: parent[v])
                if let b = best, !(cut.reduction > b.reduction || (cut.reduction == b.reduction && cut.edge < b.edge)) { continue }
                best = cut
            }
            return best
        }
    }
}
