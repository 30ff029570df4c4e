import LinearAlgebra

/// Ward's hierarchical clustering (Ward 1963): repeatedly merge the two clusters whose union increases the
/// within-cluster sum of squares least, `Δ(A, B) = |A||B|/(|A| + |B|) · ‖c_A − c_B‖²`. Optionally only clusters
/// that touch (contiguity weights) may merge, which gives spatially contiguous regions and, with sparse weights,
/// scales to 10⁵ areas (O(E log E) with a heap of candidate pairs).
///
/// Merge heights are reported as scipy's `linkage(method="ward")` reports them, `√(2Δ)`.
public struct WardClustering: Sendable {
    /// (a, b, height, size): cluster ids as scipy numbers them (0…n−1 the areas, n + m the m-th merge).
    public let merges: [(a: Int, b: Int, height: Double, size: Int)]
    public let count: Int

    /// Unconstrained Ward for at most `unconstrainedLimit` rows (it needs all pairs).
    public static let unconstrainedLimit = 2_000

    public init(_ data: Matrix, connectivity: SpatialWeights? = nil) throws(SpatialError) {
        let n = data.rows, p = data.columns
        guard n >= 2 else { throw .invalidParameter(name: "data", value: "\(n) rows", expected: "at least 2 rows") }
        guard data.isFinite else { throw .degenerate("Ward clustering needs complete data (no missing values)") }
        if let connectivity, connectivity.count != n {
            throw .invalidParameter(name: "connectivity", value: "\(connectivity.count) areas", expected: "one per row (\(n))")
        }
        if connectivity == nil && n > Self.unconstrainedLimit {
            throw .invalidParameter(name: "data", value: "\(n) rows",
                                    expected: "at most \(Self.unconstrainedLimit) rows without contiguity (all pairs are needed)")
        }
        count = n
        var centres = (0..<n).map { data.row($0) }
        var sizes = [Int](repeating: 1, count: n)
        var alive = [Bool](repeating: true, count: n)
        var clusterID = Array(0..<n)  // scipy's number of the cluster held in slot i
        var adjacent: [Set<Int>] = connectivity.map { w in w.neighbours.map { Set($0) } }
            ?? (0..<n).map { i in Set((0..<n).filter { $0 != i }) }
        var version = [Int](repeating: 0, count: n)
        func cost(_ a: Int, _ b: Int) -> Double {
            let d = zip(centres[a], centres[b]).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            return Double(sizes[a] * sizes[b]) / Double(sizes[a] + sizes[b]) * d
        }
        var heap = PairHeap()
        for a in 0..<n { for b in adjacent[a] where a < b { heap.push(cost(a, b), a, b, version[a], version[b]) } }
        var merges: [(Int, Int, Double, Int)] = []
        while let (delta, a, b, va, vb) = heap.pop() {
            guard alive[a], alive[b], version[a] == va, version[b] == vb else { continue }
            // Merge b into a.
            let size = sizes[a] + sizes[b]
            for j in 0..<p { centres[a][j] = (centres[a][j] * Double(sizes[a]) + centres[b][j] * Double(sizes[b])) / Double(size) }
            sizes[a] = size
            alive[b] = false
            let (first, second) = clusterID[a] < clusterID[b] ? (clusterID[a], clusterID[b]) : (clusterID[b], clusterID[a])
            merges.append((first, second, (2 * delta).squareRoot(), size))
            clusterID[a] = n + merges.count - 1
            adjacent[a].formUnion(adjacent[b])
            adjacent[a].remove(a); adjacent[a].remove(b)
            for c in adjacent[b] where c != a { adjacent[c].remove(b); adjacent[c].insert(a) }
            adjacent[b] = []
            version[a] += 1
            for c in adjacent[a] where alive[c] { heap.push(cost(min(a, c), max(a, c)), min(a, c), max(a, c), version[min(a, c)], version[max(a, c)]) }
        }
        self.merges = merges.map { (a: $0.0, b: $0.1, height: $0.2, size: $0.3) }
    }

    /// The clusters when the merging stops at `clusterCount` clusters (fewer merges happen when contiguity leaves
    /// separate components): labels 0-based in order of first appearance.
    public func labels(clusterCount k: Int) throws(SpatialError) -> [Int] {
        guard k >= 1 && k <= count else {
            throw .invalidParameter(name: "clusterCount", value: "\(k)", expected: "an int in the range [1, \(count)]")
        }
        var parent = Array(0..<(count + merges.count))
        func find(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
        for (m, merge) in merges.prefix(max(0, count - k)).enumerated() {
            parent[find(merge.a)] = count + m
            parent[find(merge.b)] = count + m
        }
        var renumber: [Int: Int] = [:]
        return (0..<count).map { i in
            let root = find(i)
            if let label = renumber[root] { return label }
            renumber[root] = renumber.count
            return renumber[root]!
        }
    }
}

/// A binary min-heap of candidate merges (cost, a, b, versions), ties broken by (a, b) for determinism. Entries are
/// 24 bytes (32-bit slots and versions) and the sifts move a hole instead of swapping: at 10⁶ areas the heap holds
/// millions of candidates and popping them was most of the clustering's time.
struct PairHeap {
    private struct Entry {
        var cost: Double
        var a, b, va, vb: Int32
    }
    private var items: [Entry] = []

    private static func less(_ x: Entry, _ y: Entry) -> Bool {
        x.cost != y.cost ? x.cost < y.cost : (x.a != y.a ? x.a < y.a : x.b < y.b)
    }

    mutating func push(_ cost: Double, _ a: Int, _ b: Int, _ va: Int, _ vb: Int) {
        let entry = Entry(cost: cost, a: Int32(a), b: Int32(b), va: Int32(truncatingIfNeeded: va), vb: Int32(truncatingIfNeeded: vb))
        items.append(entry)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.less(entry, items[parent]) else { break }
            items[i] = items[parent]
            i = parent
        }
        items[i] = entry
    }

    mutating func pop() -> (Double, Int, Int, Int, Int)? {
        guard let last = items.popLast() else { return nil }
        guard let top = items.first else { return (last.cost, Int(last.a), Int(last.b), Int(last.va), Int(last.vb)) }
        // Sift the last entry down from the root's place.
        let n = items.count
        var i = 0
        while true {
            let l = 2 * i + 1
            guard l < n else { break }
            let r = l + 1
            let child = r < n && Self.less(items[r], items[l]) ? r : l
            guard Self.less(items[child], last) else { break }
            items[i] = items[child]
            i = child
        }
        items[i] = last
        return (top.cost, Int(top.a), Int(top.b), Int(top.va), Int(top.vb))
    }
}
