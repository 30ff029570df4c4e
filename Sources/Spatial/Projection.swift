import AreaData
import Foundation

/// Projection of WGS84 longitude/latitude to UTM (ETRS89 / UTM zone N, EPSG:258NN), so that areas, centroids and
/// distances are planar metres, as the official Berlin (EPSG:25833) and Hamburg (EPSG:25832) geometries are.
///
/// Transverse Mercator by Krüger's series in the third flattening n to order n⁴ (Karney 2011, eqs. 7–11, 35),
/// accurate to well under a millimetre within a zone; GRS80 ellipsoid (ETRS89 and WGS84 differ by < 1 m, which
/// official data treats as equal).
public struct UTMProjection: Sendable, Equatable {
    public let zone: Int

    /// Zone 1…60; Berlin is 33, Hamburg and Köln 32.
    public init(zone: Int) {
        precondition((1...60).contains(zone), "UTM zone must be 1…60, got \(zone)")
        self.zone = zone
    }

    /// The zone whose band holds `longitude`.
    public static func zone(containing longitude: Double) -> UTMProjection {
        UTMProjection(zone: min(60, max(1, Int(((longitude + 180) / 6).rounded(.down)) + 1)))
    }

    /// The EPSG code of ETRS89 / UTM in this zone (25828…25838 are defined; the code is reported, not checked).
    public var epsg: Int { 25800 + zone }

    private static let a = 6_378_137.0
    private static let f = 1 / 298.257_222_101
    private static let k0 = 0.9996
    private static let n = f / (2 - f)
    private static let rectifyingRadius = a / (1 + n) * (1 + n * n / 4 + n * n * n * n / 64)
    private static let alpha: [Double] = {
        let n2 = n * n, n3 = n2 * n, n4 = n3 * n
        return [n / 2 - 2 * n2 / 3 + 5 * n3 / 16 + 41 * n4 / 180,
                13 * n2 / 48 - 3 * n3 / 5 + 557 * n4 / 1440,
                61 * n3 / 240 - 103 * n4 / 140,
                49561 * n4 / 161_280]
    }()

    /// The point scale factor k at `easting`: grid distances are k times true ones, grid areas k² times.
    ///
    /// Second-order approximation `k ≈ k₀ (1 + x²/(2R²) )`, x = (E − 500 000)/k₀, R = 6 381 km (the Gaussian
    /// radius at 52°N), good to 1e-7 within a zone: enough to turn UTM grid areas into true areas, as the
    /// official `GROESSE_M2` are.
    public static func pointScale(easting: Double) -> Double {
        let x = (easting - 500_000) / k0, radius = 6_381_000.0
        return k0 * (1 + x * x / (2 * radius * radius))
    }

    /// Easting and northing in metres (false easting 500 000 m, northern hemisphere) of a WGS84 point.
    public func project(_ lonLat: Point) -> Point {
        let phi = lonLat.y * .pi / 180
        let lambda = (lonLat.x - Double(6 * zone - 183)) * .pi / 180
        let e = (Self.f * (2 - Self.f)).squareRoot()
        // Conformal latitude via t = sinh(atanh(sin φ) − e·atanh(e·sin φ)).
        let t = sinh(atanh(sin(phi)) - e * atanh(e * sin(phi)))
        let xiPrime = atan2(t, cos(lambda))
        let etaPrime = atanh(sin(lambda) / (1 + t * t).squareRoot())
        var xi = xiPrime, eta = etaPrime
        for (j, alpha) in Self.alpha.enumerated() {
            let k = 2 * Double(j + 1)
            xi += alpha * sin(k * xiPrime) * cosh(k * etaPrime)
            eta += alpha * cos(k * xiPrime) * sinh(k * etaPrime)
        }
        return Point(x: 500_000 + Self.k0 * Self.rectifyingRadius * eta, y: Self.k0 * Self.rectifyingRadius * xi)
    }

    private static let beta: [Double] = {
        let n2 = n * n, n3 = n2 * n, n4 = n3 * n
        return [n / 2 - 2 * n2 / 3 + 37 * n3 / 96 - n4 / 360,
                n2 / 48 + n3 / 15 - 437 * n4 / 1440,
                17 * n3 / 480 - 37 * n4 / 840,
                4397 * n4 / 161_280]
    }()

    /// The WGS84 longitude/latitude of an easting and northing in this zone: the inverse series of Krüger
    /// (Karney 2011, eqs. 11 and 36), then the latitude from the conformal latitude by Newton's method (eqs. 19–21),
    /// which converges to machine precision in two or three steps.
    public func unproject(_ point: Point) -> Point {
        let xi = point.y / (Self.k0 * Self.rectifyingRadius)
        let eta = (point.x - 500_000) / (Self.k0 * Self.rectifyingRadius)
        var xiPrime = xi, etaPrime = eta
        for (j, beta) in Self.beta.enumerated() {
            let k = 2 * Double(j + 1)
            xiPrime -= beta * sin(k * xi) * cosh(k * eta)
            etaPrime -= beta * cos(k * xi) * sinh(k * eta)
        }
        let tauPrime = sin(xiPrime) / (sinh(etaPrime) * sinh(etaPrime) + cos(xiPrime) * cos(xiPrime)).squareRoot()
        let lambda = atan2(sinh(etaPrime), cos(xiPrime))
        let e2 = Self.f * (2 - Self.f), e = e2.squareRoot()
        var tau = tauPrime
        for _ in 0..<6 {
            let root = (1 + tau * tau).squareRoot()
            let sigma = sinh(e * atanh(e * tau / root))
            let current = tau * (1 + sigma * sigma).squareRoot() - sigma * root
            let step = (tauPrime - current) / (1 + current * current).squareRoot() * (1 + (1 - e2) * tau * tau)
                / ((1 - e2) * root)
            tau += step
            if abs(step) < 1e-15 * max(1, abs(tau)) { break }
        }
        return Point(x: lambda * 180 / .pi + Double(6 * zone - 183), y: atan(tau) * 180 / .pi)
    }
}

extension GeometryLayer {
    /// This layer in WGS84 longitude/latitude (RFC 7946's system): unchanged when it is; ETRS89 / UTM layers
    /// (EPSG:25828…25838) unprojected; nil for another projected system, which sozmon cannot convert.
    public func inWGS84() -> GeometryLayer? {
        switch coordinateSystem {
        case .wgs84: return self
        case .epsg(let code) where (25828...25838).contains(code):
            let projection = UTMProjection(zone: code - 25800)
            func ring(_ r: Ring) -> Ring { Ring(points: r.points.map(projection.unproject)) }
            return GeometryLayer(coordinateSystem: .wgs84, areas: areas.map { area in
                var copy = area
                copy.polygons = area.polygons.map { Polygon(exterior: ring($0.exterior), holes: $0.holes.map(ring)) }
                return copy
            })
        case .epsg: return nil
        }
    }

    /// This layer in planar metres: unchanged when already projected, else projected to the UTM zone of its mean
    /// longitude (EPSG:258NN).
    public func projectedToMetres() -> GeometryLayer {
        guard coordinateSystem == .wgs84 else { return self }
        var sum = 0.0, count = 0
        for area in areas { for p in area.polygons { for q in p.exterior.points { sum += q.x; count += 1 } } }
        let projection = UTMProjection.zone(containing: count > 0 ? sum / Double(count) : 0)
        func ring(_ r: Ring) -> Ring { Ring(points: r.points.map(projection.project)) }
        return GeometryLayer(coordinateSystem: .epsg(projection.epsg), areas: areas.map { area in
            var projected = area
            projected.polygons = area.polygons.map { Polygon(exterior: ring($0.exterior), holes: $0.holes.map(ring)) }
            return projected
        })
    }
}
