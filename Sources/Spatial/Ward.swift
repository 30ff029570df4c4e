import Foundation
import LinearAlgebra

/// Ward's hierarchical clustering (Ward 1963): repeatedly merge the two clusters whose union increases the
/// within-cluster sum of squares least, `Δ(A, B) = |A||B|/(|A| + |B|) · ‖c_A − c_B‖²`.
///
/// Without constraints, by the nearest-neighbour chain (Murtagh 1983; Müllner 2011, "Modern hierarchical,
/// agglomerative clustering algorithms", §3.4) over the matrix of merge heights, updated by Lance–Williams:
/// `d²(k, A∪B) = ((|A|+|k|) d²(k,A) + (|B|+|k|) d²(k,B) − |k| d²(A,B)) / (|A|+|B|+|k|)`: O(n²) time and
/// n(n−1)/2 numbers of memory, as scipy's `linkage(method="ward")`. Optionally only clusters that touch (contiguity
/// weights) may merge, which gives spatially contiguous regions and, with sparse weights, scales to 10⁶ areas
/// (O(E log E) with a heap of candidate pairs).
///
/// Merge heights are reported as scipy's `linkage(method="ward")` reports them, `√(2Δ)`, in ascending order.
public struct WardClustering: Sendable {
    /// (a, b, height, size): cluster ids as scipy numbers them (0…n−1 the areas, n + m the m-th merge).
    public let merges: [(a: Int, b: Int, height: Double, size: Int)]
    public let count: Int

    /// Unconstrained Ward for at most `unconstrainedLimit` rows: its n(n−1)/2 heights (8 bytes each) take at most a
    /// quarter of the machine's memory (24 GiB: 39 000 rows, 6 GB).
    public static let unconstrainedLimit: Int = {
        let budget = Double(ProcessInfo.processInfo.physicalMemory) / 4 / 8
        return Int((2 * budget).squareRoot())
    }()

    public init(_ data: Matrix, connectivity: SpatialWeights? = nil) throws(SpatialError) {
        let n = data.rows, p = data.columns
        guard n >= 2 else { throw .invalidParameter(name: "data", value: "\(n) rows", expected: "at least 2 rows") }
        guard data.isFinite else { throw .degenerate("Ward clustering needs complete data (no missing values)") }
        if let connectivity, connectivity.count != n {
            throw .invalidParameter(name: "connectivity", value: "\(connectivity.count) areas", expected: "one per row (\(n))")
        }
        if connectivity == nil && n > Self.unconstrainedLimit {
            throw .invalidParameter(name: "data", value: "\(n) rows",
                                    expected: "at most \(Self.unconstrainedLimit) rows without contiguity (all pairs are "
                                        + "held: n(n−1)/2 numbers may take a quarter of this machine's memory)")
        }
        count = n
        guard let connectivity else {
            merges = Self.nearestNeighbourChain(data)
            return
        }
        var centres = (0..<n).map { data.row($0) }
        var sizes = [Int](repeating: 1, count: n)
        var alive = [Bool](repeating: true, count: n)
        var clusterID = Array(0..<n)  // scipy's number of the cluster held in slot i
        var adjacent: [Set<Int>] = connectivity.neighbours.map { Set($0) }
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

    /// Unconstrained Ward by the nearest-neighbour chain, as scipy's `linkage` runs it (the same ties), then sorted
    /// by height (stable) and numbered as scipy numbers clusters.
    private static func nearestNeighbourChain(_ data: Matrix) -> [(a: Int, b: Int, height: Double, size: Int)] {
        let n = data.rows, p = data.columns
        // Squared heights d²(i, j) of the pairs i < j, row by row (condensed, as scipy's pdist).
        func pair(_ i: Int, _ j: Int) -> Int { i < j ? n * i - i * (i + 1) / 2 + j - i - 1 : n * j - j * (j + 1) / 2 + i - j - 1 }
        var d = [Double](repeating: 0, count: n * (n - 1) / 2)
        let rows = (0..<n).map { data.row($0) }
        d.withUnsafeMutableBufferPointer { d in
            for i in 0..<n {
                let x = rows[i]
                var k = pair(i, i + 1)
                for j in (i + 1)..<n {
                    var sum = 0.0
                    for c in 0..<p { let e = x[c] - rows[j][c]; sum += e * e }
                    d[k] = sum
                    k += 1
                }
            }
        }
        var size = [Int](repeating: 1, count: n)
        var chain: [Int] = []
        var merged: [(x: Int, y: Int, squaredHeight: Double, size: Int)] = []
        merged.reserveCapacity(n - 1)
        d.withUnsafeMutableBufferPointer { d in
            while merged.count < n - 1 {
                if chain.isEmpty { chain.append(size.firstIndex { $0 > 0 }!) }
                var x = 0, y = 0, nearest = 0.0
                // Follow nearest neighbours until two are each other's (the one before in the chain wins ties).
                while true {
                    x = chain[chain.count - 1]
                    if chain.count > 1 {
                        y = chain[chain.count - 2]
                        nearest = d[pair(x, y)]
                    } else {
                        nearest = .infinity
                    }
                    for i in 0..<n where size[i] > 0 && i != x {
                        let v = d[pair(x, i)]
                        if v < nearest { nearest = v; y = i }
                    }
                    if chain.count > 1 && y == chain[chain.count - 2] { break }
                    chain.append(y)
                }
                chain.removeLast(2)
                if x > y { swap(&x, &y) }
                let nx = size[x], ny = size[y]
                merged.append((x, y, nearest, nx + ny))
                size[x] = 0
                size[y] = nx + ny
                for i in 0..<n where size[i] > 0 && i != y {
                    let ni = Double(size[i]), xi = pair(i, x), yi = pair(i, y)
                    d[yi] = ((Double(nx) + ni) * d[xi] + (Double(ny) + ni) * d[yi] - ni * nearest) / (Double(nx + ny) + ni)
                }
            }
        }
        // Ascending heights (stable), then each merge names its clusters as scipy does: 0…n−1 the areas, n + m the
        // m-th merge, the smaller number first.
        let order = merged.indices.sorted { (merged[$0].squaredHeight, $0) < (merged[$1].squaredHeight, $1) }
        var parent = Array(0..<(2 * n - 1))
        func root(_ x: Int) -> Int {
            var r = x
            while parent[r] != r { r = parent[r] }
            var y = x
            while parent[y] != r { (parent[y], y) = (r, parent[y]) }
            return r
        }
        return order.enumerated().map { m, k in
            let a = root(merged[k].x), b = root(merged[k].y)
            parent[a] = n + m
            parent[b] = n + m
            return (min(a, b), max(a, b), merged[k].squaredHeight.squareRoot(), merged[k].size)
        }
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
