import AreaData

extension AreaGeometry {
    /// The outline of several areas' polygons as one unit (a Bezirk from its Planungsräume): an exact merge of shared
    /// edges, for a coverage whose neighbours share their vertices (as the LOR geometries do; docs/methods.md,
    /// "Outlines of units").
    ///
    /// Each ring is oriented (exteriors counter-clockwise, holes clockwise) and cut into directed edges; an edge
    /// whose reverse also occurs is interior to the union and dropped (it lies between two of the areas); the edges
    /// left are chained into rings at their end points. Counter-clockwise rings are the exteriors, clockwise ones
    /// the holes, each hole in the smallest exterior that holds its first point. No coordinate is moved or added,
    /// so the outline's area is the sum of the areas' (checked by tests on the real LOR geometry).
    ///
    /// Returns `nil` where the edges left do not close into simple rings — neighbours that do not share their
    /// vertices (a T-junction, an overlap), or an outline that touches itself in a point (two edges leave one
    /// vertex) — so that the caller can keep the areas' own polygons.
    public static func dissolved(_ polygons: [Polygon]) -> [Polygon]? {
        var edges: [Edge: Int] = [:]
        for polygon in polygons {
            for (k, ring) in ([polygon.exterior] + polygon.holes).enumerated() {
                let counterClockwise = ring.doubleSignedArea > 0
                let points = counterClockwise == (k == 0) ? ring.points : ring.points.reversed()
                for i in points.indices {
                    let edge = Edge(points[i], points[(i + 1) % points.count])
                    if edge.from != edge.to { edges[edge, default: 0] += 1 }
                }
            }
        }
        var next: [Point: Point] = [:]
        for (edge, count) in edges where edges[Edge(edge.to, edge.from)] == nil {
            guard count == 1, next.updateValue(edge.to, forKey: edge.from) == nil else { return nil }
        }
        var rings: [Ring] = []
        // Start from the smallest point so that the rings come out the same on every run.
        while let start = next.keys.min(by: { ($0.x, $0.y) < ($1.x, $1.y) }) {
            var ring = [start], at = start, closed = false
            while let to = next.removeValue(forKey: at) {
                if to == start { closed = true; break }
                ring.append(to); at = to
            }
            guard closed, ring.count >= 3, !Self.hasSpike(ring) else { return nil }
            rings.append(Ring(points: ring))
        }
        return assemble(rings)
    }

    /// Whether the ring turns back on itself at a vertex (the edges before and after it collinear and opposite): a
    /// sign of a neighbour's vertex in the middle of an edge.
    private static func hasSpike(_ ring: [Point]) -> Bool {
        ring.indices.contains { i in
            let a = ring[(i + ring.count - 1) % ring.count], b = ring[i], c = ring[(i + 1) % ring.count]
            let (ux, uy, vx, vy) = (b.x - a.x, b.y - a.y, c.x - b.x, c.y - b.y)
            return ux * vy - uy * vx == 0 && ux * vx + uy * vy < 0
        }
    }

    /// Exteriors (counter-clockwise) with their holes (clockwise), each hole in the smallest exterior that holds it.
    private static func assemble(_ rings: [Ring]) -> [Polygon]? {
        var polygons = rings.filter { $0.doubleSignedArea > 0 }.map { Polygon(exterior: $0) }
        guard !polygons.isEmpty else { return nil }
        for hole in rings where hole.doubleSignedArea < 0 {
            let holders = polygons.indices.filter { polygons[$0].exterior.position(of: hole.points[0], tolerance: 0) != .outside }
            guard let k = holders.min(by: { polygons[$0].exterior.doubleSignedArea < polygons[$1].exterior.doubleSignedArea })
            else { return nil }
            polygons[k].holes.append(hole)
        }
        return polygons
    }

    /// A directed edge between two points, with −0 and +0 as the same coordinate.
    private struct Edge: Hashable {
        let from: Point, to: Point
        init(_ from: Point, _ to: Point) {
            self.from = Point(x: from.x + 0, y: from.y + 0); self.to = Point(x: to.x + 0, y: to.y + 0)
        }
    }
}
