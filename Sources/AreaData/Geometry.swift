/// A point in the plane of a coordinate system: (x, y) = (easting, northing) in metres for projected systems,
/// (longitude, latitude) in degrees for WGS84.
public struct Point: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// A closed ring of a polygon, stored without repeating the first point at the end.
public struct Ring: Sendable, Equatable {
    public var points: [Point]
    public init(points: [Point]) { self.points = points }
}

/// A polygon: one exterior ring and any number of holes.
public struct Polygon: Sendable, Equatable {
    public var exterior: Ring
    public var holes: [Ring]
    public init(exterior: Ring, holes: [Ring] = []) { self.exterior = exterior; self.holes = holes }
}

/// The coordinate reference system of a layer.
public enum CoordinateSystem: Sendable, Equatable, CustomStringConvertible {
    /// Longitude/latitude on WGS84 (EPSG:4326, OGC CRS84): RFC 7946's only system.
    case wgs84
    /// A projected system in metres by EPSG code, e.g. 25833 (ETRS89 / UTM 33N, Berlin) or 25832 (Hamburg).
    case epsg(Int)

    public var isProjected: Bool { self != .wgs84 }

    public var description: String {
        switch self {
        case .wgs84: "EPSG:4326"
        case .epsg(let code): "EPSG:\(code)"
        }
    }
}

/// One area's geometry: its id, its polygons (a MultiPolygon; a Polygon is one of them) and its other properties
/// as text.
public struct AreaGeometry: Sendable, Equatable {
    public var id: String
    public var polygons: [Polygon]
    public var properties: [String: String]
    public init(id: String, polygons: [Polygon], properties: [String: String] = [:]) {
        self.id = id
        self.polygons = polygons
        self.properties = properties
    }
}

/// The areas of one layer in one coordinate system.
public struct GeometryLayer: Sendable, Equatable {
    public var coordinateSystem: CoordinateSystem
    public var areas: [AreaGeometry]
    public init(coordinateSystem: CoordinateSystem, areas: [AreaGeometry]) {
        self.coordinateSystem = coordinateSystem
        self.areas = areas
    }
}
