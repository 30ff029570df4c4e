import AreaData

/// An axis-aligned bounding box.
public struct Bounds: Sendable, Equatable {
    public var minX, minY, maxX, maxY: Double
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }
}

extension Ring {
    /// Twice the signed area by the shoelace formula, `Σ (xᵢ yᵢ₊₁ − xᵢ₊₁ yᵢ)`, relative to the first point to keep
    /// digits with large projected coordinates (UTM northings ≈ 5.8·10⁶ m). Positive when counter-clockwise.
    var doubleSignedArea: Double {
        guard let origin = points.first else { return 0 }
        var sum = 0.0
        for i in points.indices {
            let a = points[i], b = points[(i + 1) % points.count]
            sum += (a.x - origin.x) * (b.y - origin.y) - (b.x - origin.x) * (a.y - origin.y)
        }
        return sum
    }
}

extension Polygon {
    /// The planar area: |exterior| − Σ|holes|, whatever the rings' orientation.
    public var area: Double {
        (abs(exterior.doubleSignedArea) - holes.reduce(0) { $0 + abs($1.doubleSignedArea) }) / 2
    }
}

extension AreaGeometry {
    /// The planar area of all polygons (square metres in a projected system).
    public var area: Double { polygons.reduce(0) { $0 + $1.area } }

    /// The area-weighted centroid (centre of mass) of all polygons, holes subtracted:
    /// `C = Σ_rings ± (1/6A) Σ (pᵢ + pᵢ₊₁)(xᵢ yᵢ₊₁ − xᵢ₊₁ yᵢ)`.
    public var centroid: Point {
        var mx = 0.0, my = 0.0, total = 0.0
        for polygon in polygons {
            for (ring, sign) in [(polygon.exterior, 1.0)] + polygon.holes.map({ ($0, -1.0) }) {
                let origin = ring.points[0]
                var rx = 0.0, ry = 0.0, a2 = 0.0
                for i in ring.points.indices {
                    let p = ring.points[i], q = ring.points[(i + 1) % ring.points.count]
                    let ax = p.x - origin.x, ay = p.y - origin.y, bx = q.x - origin.x, by = q.y - origin.y
                    let c = ax * by - bx * ay
                    rx += (ax + bx) * c; ry += (ay + by) * c; a2 += c
                }
                // Orient each ring's contribution by its sign of area, then add or subtract it.
                let orientation = a2 < 0 ? -1.0 : 1.0
                let weight = sign * orientation
                total += weight * a2 / 2
                mx += weight * (rx / 6 + origin.x * a2 / 2)
                my += weight * (ry / 6 + origin.y * a2 / 2)
            }
        }
        return Point(x: mx / total, y: my / total)
    }

    /// The bounding box of all rings.
    public var bounds: Bounds {
        var b = Bounds(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
        for polygon in polygons {
            for point in polygon.exterior.points {
                b.minX = min(b.minX, point.x); b.maxX = max(b.maxX, point.x)
                b.minY = min(b.minY, point.y); b.maxY = max(b.maxY, point.y)
            }
        }
        return b
    }
}
