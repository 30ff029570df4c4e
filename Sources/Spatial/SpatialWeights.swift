import AreaData

/// Spatial weights: for each area its neighbours and their weights. Immutable; built by named constructors
/// (contiguity from polygons, k nearest neighbours, distance bands, an edge list); a transformation returns a new
/// value. Islands (areas without neighbours) are kept and reported, never dropped (as libpysal's `W`).
public struct SpatialWeights: Sendable, Equatable {
    /// Area ids, in the order of the other arrays.
    public let ids: [String]
    /// Neighbour indices of each area, ascending.
    public let neighbours: [[Int]]
    /// Weights, parallel to `neighbours`.
    public let weights: [[Double]]

    public enum Transformation: String, Sendable { case binary, rowStandardized = "row-standardized" }
    public let transformation: Transformation

    public var count: Int { ids.count }

    /// Areas without neighbours.
    public var islands: [Int] { neighbours.indices.filter { neighbours[$0].isEmpty } }

    init(ids: [String], neighbours: [[Int]], weights: [[Double]], transformation: Transformation) {
        self.ids = ids
        self.neighbours = neighbours
        self.weights = weights
        self.transformation = transformation
    }

    /// Binary weights from neighbour sets (made symmetric is the caller's business: contiguity is symmetric).
    init(ids: [String], neighbourSets: [Set<Int>]) {
        let lists = neighbourSets.map { $0.sorted() }
        self.init(ids: ids, neighbours: lists, weights: lists.map { [Double](repeating: 1, count: $0.count) },
                  transformation: .binary)
    }

    /// Each row divided by its sum (islands stay empty).
    public func rowStandardized() -> SpatialWeights {
        SpatialWeights(ids: ids, neighbours: neighbours, weights: weights.map { row in
            let sum = row.reduce(0, +)
            return sum > 0 ? row.map { $0 / sum } : row
        }, transformation: .rowStandardized)
    }

    /// Every weight 1.
    public func binary() -> SpatialWeights {
        SpatialWeights(ids: ids, neighbours: neighbours, weights: neighbours.map { [Double](repeating: 1, count: $0.count) },
                       transformation: .binary)
    }

    /// The spatial lag `(Wy)_i = Σ_j w_ij y_j`.
    public func lag(_ y: [Double]) -> [Double] {
        precondition(y.count == count, "one value per area")
        return neighbours.indices.map { i in zip(neighbours[i], weights[i]).reduce(0) { $0 + $1.1 * y[$1.0] } }
    }

    /// `s0 = Σ_ij w_ij`.
    public var s0: Double { WeightRows(self).sums.s0 }

    /// `s1 = ½ Σ_ij (w_ij + w_ji)²`, over every pair linked in one direction or both.
    public var s1: Double { WeightRows(self).sums.s1 }

    /// `s2 = Σ_i (w_i· + w_·i)²`.
    public var s2: Double { WeightRows(self).sums.s2 }

    /// `w_ij` (0 when j is not a neighbour of i): binary search in the sorted neighbour list.
    public func weight(from i: Int, to j: Int) -> Double {
        let list = neighbours[i]
        var low = 0, high = list.count
        while low < high { let mid = (low + high) / 2; if list[mid] < j { low = mid + 1 } else { high = mid } }
        return low < list.count && list[low] == j ? weights[i][low] : 0
    }

    /// The weights among the areas at `indices` only (links to other areas dropped), in that order.
    public func subset(_ indices: [Int]) -> SpatialWeights {
        var position = [Int: Int]()
        for (k, i) in indices.enumerated() { position[i] = k }
        var lists: [[Int]] = [], values: [[Double]] = []
        for i in indices {
            let kept = zip(neighbours[i], weights[i]).compactMap { j, w in position[j].map { ($0, w) } }.sorted { $0.0 < $1.0 }
            lists.append(kept.map(\.0)); values.append(kept.map(\.1))
        }
        return SpatialWeights(ids: indices.map { ids[$0] }, neighbours: lists, weights: values, transformation: transformation)
    }

    /// Connected components (label per area, 0-based, in order of first area).
    public var components: [Int] {
        var label = [Int](repeating: -1, count: count), next = 0
        for start in 0..<count where label[start] < 0 {
            var stack = [start]
            label[start] = next
            while let i = stack.popLast() {
                for j in neighbours[i] where label[j] < 0 { label[j] = next; stack.append(j) }
            }
            next += 1
        }
        return label
    }

    // MARK: - Constructors

    /// Contiguity from polygons: queen (a shared vertex) or rook (a shared edge), found by hashing vertices and
    /// edges, O(total vertices). Coordinates are snapped to a grid of `tolerance` (0 = exact equality, as libpysal).
    public static func contiguity(_ layer: GeometryLayer, rook: Bool = false, tolerance: Double = 0) -> SpatialWeights {
        struct Key: Hashable { let x: Int64; let y: Int64 }
        func key(_ p: Point) -> Key {
            tolerance > 0 ? Key(x: Int64((p.x / tolerance).rounded()), y: Int64((p.y / tolerance).rounded()))
                          : Key(x: Int64(bitPattern: p.x.bitPattern), y: Int64(bitPattern: p.y.bitPattern))
        }
        struct Edge: Hashable { let a: Key; let b: Key }
        var sets = [Set<Int>](repeating: [], count: layer.areas.count)
        if rook {
            var owners: [Edge: [Int]] = [:]
            for (index, area) in layer.areas.enumerated() {
                for polygon in area.polygons {
                    for ring in [polygon.exterior] + polygon.holes {
                        let keys = ring.points.map(key)
                        for k in keys.indices {
                            let a = keys[k], b = keys[(k + 1) % keys.count]
                            guard a != b else { continue }
                            let edge = (a.x, a.y) < (b.x, b.y) ? Edge(a: a, b: b) : Edge(a: b, b: a)
                            if owners[edge]?.last != index { owners[edge, default: []].append(index) }
                        }
                    }
                }
            }
            for list in owners.values where list.count > 1 { link(list, &sets) }
        } else {
            var owners: [Key: [Int]] = [:]
            for (index, area) in layer.areas.enumerated() {
                for polygon in area.polygons {
                    for ring in [polygon.exterior] + polygon.holes {
                        for point in ring.points {
                            let k = key(point)
                            if owners[k]?.last != index { owners[k, default: []].append(index) }
                        }
                    }
                }
            }
            for list in owners.values where list.count > 1 { link(list, &sets) }
        }
        return SpatialWeights(ids: layer.areas.map(\.id), neighbourSets: sets)
    }

    private static func link(_ areas: [Int], _ sets: inout [Set<Int>]) {
        let unique = Array(Set(areas))
        for a in unique { for b in unique where a != b { sets[a].insert(b) } }
    }

    /// The `k` nearest neighbours of each point (planar distance; ties broken by index), as libpysal's `KNN`.
    /// A uniform grid index keeps it near O(n·k) for evenly spread points.
    public static func nearestNeighbours(ids: [String], points: [Point], k: Int) throws(SpatialError) -> SpatialWeights {
        guard k >= 1 && k < points.count else {
            throw .invalidParameter(name: "k", value: "\(k)", expected: "an int in the range [1, \(points.count - 1)]")
        }
        let grid = PointGrid(points: points, perCell: max(k, 4))
        let lists = points.indices.map { i in grid.nearest(to: i, count: k) }
        return SpatialWeights(ids: ids, neighbours: lists.map { $0.sorted() },
                              weights: lists.map { [Double](repeating: 1, count: $0.count) }, transformation: .binary)
    }

    /// All pairs closer than `threshold` (planar units), binary, as libpysal's `DistanceBand(binary=True)`.
    public static func distanceBand(ids: [String], points: [Point], threshold: Double) throws(SpatialError) -> SpatialWeights {
        guard threshold > 0 && threshold.isFinite else {
            throw .invalidParameter(name: "threshold", value: "\(threshold)", expected: "a positive distance")
        }
        let grid = PointGrid(points: points, cellSize: threshold)
        let lists = points.indices.map { i in grid.within(threshold, of: i) }
        return SpatialWeights(ids: ids, neighbours: lists,
                              weights: lists.map { [Double](repeating: 1, count: $0.count) }, transformation: .binary)
    }

    /// Weights from an edge list of area ids (a neighbour CSV): symmetric when `symmetric`, weight 1 unless given.
    /// - Throws: `SpatialError.unknownArea` for an id not in `ids`.
    public static func edges(ids: [String], _ edges: [(String, String, Double)], symmetric: Bool = true)
        throws(SpatialError) -> SpatialWeights {
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        var numbered: [(Int, Int, Double)] = []
        numbered.reserveCapacity(edges.count)
        for (a, b, w) in edges {
            guard let i = index[a] else { throw .unknownArea(a) }
            guard let j = index[b] else { throw .unknownArea(b) }
            numbered.append((i, j, w))
        }
        return Self.edges(ids: ids, numbered: numbered, symmetric: symmetric)
    }

    /// Weights from pairs of positions in `ids` (as `edges(ids:_:symmetric:)`, for callers that have numbered the
    /// areas already).
    public static func edges(ids: [String], numbered edges: [(Int, Int, Double)], symmetric: Bool = true) -> SpatialWeights {
        var rows = [[Int: Double]](repeating: [:], count: ids.count)
        for (i, j, w) in edges where i != j {
            rows[i][j] = w
            if symmetric && rows[j][i] == nil { rows[j][i] = w }
        }
        let neighbours = rows.map { $0.keys.sorted() }
        return SpatialWeights(ids: ids, neighbours: neighbours,
                              weights: zip(rows, neighbours).map { row, keys in keys.map { row[$0]! } },
                              transformation: .binary)
    }
}

/// Errors of spatial analyses, each naming what was wrong.
public enum SpatialError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidParameter(name: String, value: String, expected: String)
    case unknownArea(String)
    case degenerate(String)

    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let expected):
            "The '\(name)' parameter must be \(expected). Got \(value) instead."
        case .unknownArea(let id): "area \(id) is not in the layer or table"
        case .degenerate(let message): message
        }
    }
}

/// A uniform grid over points for neighbour searches.
struct PointGrid {
    let points: [Point]
    let minX: Double, minY: Double, cell: Double
    let columns: Int, rows: Int
    var buckets: [[Int]]

    init(points: [Point], perCell: Int) {
        let xs = points.map(\.x), ys = points.map(\.y)
        let width = (xs.max() ?? 0) - (xs.min() ?? 0), height = (ys.max() ?? 0) - (ys.min() ?? 0)
        let area = max(width * height, 1e-12)
        let size = max((area * Double(perCell) / Double(max(points.count, 1))).squareRoot(), 1e-9)
        self.init(points: points, cellSize: size)
    }

    init(points: [Point], cellSize: Double) {
        self.points = points
        minX = points.map(\.x).min() ?? 0
        minY = points.map(\.y).min() ?? 0
        let maxX = points.map(\.x).max() ?? 0, maxY = points.map(\.y).max() ?? 0
        // Never more than 32 768 cells a side; a larger cell only makes the searches visit more points.
        cell = max(cellSize, (maxX - minX) / 32_767, (maxY - minY) / 32_767)
        columns = max(Int((maxX - minX) / cell) + 1, 1)
        rows = max(Int((maxY - minY) / cell) + 1, 1)
        buckets = [[Int]](repeating: [], count: columns * rows)
        for (i, p) in points.enumerated() { buckets[cellIndex(p)].append(i) }
    }

    func cellCoordinates(_ p: Point) -> (Int, Int) {
        (min(max(Int((p.x - minX) / cell), 0), columns - 1), min(max(Int((p.y - minY) / cell), 0), rows - 1))
    }

    func cellIndex(_ p: Point) -> Int { let (c, r) = cellCoordinates(p); return c + r * columns }

    func distanceSquared(_ a: Int, _ b: Int) -> Double {
        let dx = points[a].x - points[b].x, dy = points[a].y - points[b].y
        return dx * dx + dy * dy
    }

    /// The `count` nearest other points, nearest first (ties by index): rings of cells until the k-th distance is
    /// inside the searched square.
    func nearest(to i: Int, count: Int) -> [Int] {
        let (c, r) = cellCoordinates(points[i])
        var radius = 0
        var candidates: [(Double, Int)] = []
        while true {
            for dc in -radius...radius {
                for dr in -radius...radius where max(abs(dc), abs(dr)) == radius {
                    let cc = c + dc, rr = r + dr
                    guard cc >= 0, rr >= 0, cc < columns, rr < rows else { continue }
                    for j in buckets[cc + rr * columns] where j != i { candidates.append((distanceSquared(i, j), j)) }
                }
            }
            candidates.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            let covered = Double(radius) * cell
            if candidates.count >= count && candidates[count - 1].0 <= covered * covered { break }
            if radius > columns + rows { break }
            radius += 1
        }
        return candidates.prefix(count).map(\.1)
    }

    /// Other points within `threshold` (inclusive), ascending.
    func within(_ threshold: Double, of i: Int) -> [Int] {
        let (c, r) = cellCoordinates(points[i])
        var result: [Int] = []
        for cc in max(c - 1, 0)...min(c + 1, columns - 1) {
            for rr in max(r - 1, 0)...min(r + 1, rows - 1) {
                for j in buckets[cc + rr * columns] where j != i && distanceSquared(i, j) <= threshold * threshold {
                    result.append(j)
                }
            }
        }
        return result.sorted()
    }
}
