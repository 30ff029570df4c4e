import AreaData

/// Where a point lies relative to a polygon.
public enum PointPosition: Sendable, Equatable {
    case inside, boundary, outside
}

extension Ring {
    /// Even–odd crossing test (Shimrat 1962; Haines 1994) with an exact check for points on an edge: a horizontal
    /// ray to the right of `p` crosses the ring an odd number of times iff `p` is inside. Edges are half-open in y
    /// (`(yᵢ > y) ≠ (yᵢ₊₁ > y)`), so a ray through a vertex is counted once.
    func position(of p: Point, tolerance: Double) -> PointPosition {
        var inside = false
        let count = points.count
        for i in 0..<count {
            let a = points[i], b = points[(i + 1) % count]
            if Self.onSegment(p, a, b, tolerance: tolerance) { return .boundary }
            if (a.y > p.y) != (b.y > p.y) {
                let x = a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x)
                if x > p.x { inside.toggle() }
            }
        }
        return inside ? .inside : .outside
    }

    /// Whether `p` is within `tolerance` of the segment `ab`.
    static func onSegment(_ p: Point, _ a: Point, _ b: Point, tolerance: Double) -> Bool {
        let dx = b.x - a.x, dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        let t = lengthSquared > 0 ? max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared)) : 0
        let ex = p.x - (a.x + t * dx), ey = p.y - (a.y + t * dy)
        return ex * ex + ey * ey <= tolerance * tolerance
    }
}

extension Polygon {
    /// Inside the exterior and outside every hole; on the exterior or a hole's ring is `boundary`.
    public func position(of p: Point, tolerance: Double = 1e-9) -> PointPosition {
        switch exterior.position(of: p, tolerance: tolerance) {
        case .outside: return .outside
        case .boundary: return .boundary
        case .inside:
            for hole in holes {
                switch hole.position(of: p, tolerance: tolerance) {
                case .inside: return .outside
                case .boundary: return .boundary
                case .outside: continue
                }
            }
            return .inside
        }
    }
}

extension AreaGeometry {
    /// The best position of `p` over the area's polygons.
    public func position(of p: Point, tolerance: Double = 1e-9) -> PointPosition {
        var best = PointPosition.outside
        for polygon in polygons {
            switch polygon.position(of: p, tolerance: tolerance) {
            case .inside: return .inside
            case .boundary: best = .boundary
            case .outside: break
            }
        }
        return best
    }
}

/// Assigns points (facilities, addresses) to the areas of a layer: a point inside an area belongs to it; a point on
/// the boundary of several areas (a shared edge or vertex) belongs to the one with the smallest id, so that the
/// result does not depend on the order of the layer; a point in no area (outside the city, or in a hole that no
/// area fills) is unassigned.
///
/// Areas are found through a uniform grid of bounding boxes (cell size the mean box extent), so locating m points in
/// n areas costs about O(n + m·(vertices of the few candidate areas)).
public struct PointLocator: Sendable {
    public let layer: GeometryLayer
    /// Points this close to an edge (in the layer's units) count as on it.
    public let tolerance: Double
    private let bounds: [Bounds]
    private let origin: Point
    private let cellSize: Double
    private let columns: Int, rows: Int
    private let cells: [[Int32]]

    public init(layer: GeometryLayer, tolerance: Double = 1e-6) {
        self.layer = layer
        self.tolerance = tolerance
        bounds = layer.areas.map(\.bounds)
        let valid = bounds.filter { $0.minX.isFinite && $0.maxX.isFinite }
        let minX = valid.map(\.minX).min() ?? 0, minY = valid.map(\.minY).min() ?? 0
        let maxX = valid.map(\.maxX).max() ?? 0, maxY = valid.map(\.maxY).max() ?? 0
        let meanExtent = valid.isEmpty ? 1 : valid.reduce(0) { $0 + max($1.maxX - $1.minX, $1.maxY - $1.minY) } / Double(valid.count)
        // At most about 4 cells per area, and never more than 4096 per axis.
        var size = max(meanExtent, 1e-12)
        while (maxX - minX) / size > 4096 || (maxY - minY) / size > 4096 { size *= 2 }
        origin = Point(x: minX, y: minY)
        cellSize = size
        columns = max(1, Int(((maxX - minX) / size).rounded(.up)))
        rows = max(1, Int(((maxY - minY) / size).rounded(.up)))
        var cells = [[Int32]](repeating: [], count: columns * rows)
        for (k, b) in bounds.enumerated() where b.minX.isFinite {
            let (c0, r0) = Self.cell(Point(x: b.minX - tolerance, y: b.minY - tolerance), origin, size, columns, rows)
            let (c1, r1) = Self.cell(Point(x: b.maxX + tolerance, y: b.maxY + tolerance), origin, size, columns, rows)
            for r in r0...r1 { for c in c0...c1 { cells[r * columns + c].append(Int32(k)) } }
        }
        self.cells = cells
    }

    private static func cell(_ p: Point, _ origin: Point, _ size: Double, _ columns: Int, _ rows: Int) -> (Int, Int) {
        // Clamped while still a Double: a point far outside (1e308) must not overflow the conversion to Int.
        func index(_ offset: Double, _ count: Int) -> Int {
            Int(min(max((offset / size).rounded(.down), 0), Double(count - 1)))
        }
        return (index(p.x - origin.x, columns), index(p.y - origin.y, rows))
    }

    /// The index (in `layer.areas`) of the area that `p` belongs to, or `nil`.
    public func area(containing p: Point) -> Int? {
        guard p.x.isFinite && p.y.isFinite else { return nil }
        let (c, r) = Self.cell(p, origin, cellSize, columns, rows)
        var onBoundary: Int?
        for candidate in cells[r * columns + c] {
            let k = Int(candidate), b = bounds[k]
            guard p.x >= b.minX - tolerance, p.x <= b.maxX + tolerance, p.y >= b.minY - tolerance, p.y <= b.maxY + tolerance
            else { continue }
            switch layer.areas[k].position(of: p, tolerance: tolerance) {
            case .inside: return k
            case .boundary:
                if onBoundary.map({ layer.areas[k].id < layer.areas[$0].id }) ?? true { onBoundary = k }
            case .outside: break
            }
        }
        return onBoundary
    }
}
