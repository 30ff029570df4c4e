import AreaData

/// A geometry as GeoPackage stores it (OGC 12-128r18 §2.1.3): the binary header (`GP`, version 0, flags: an
/// [minx, maxx, miny, maxy] envelope, little-endian), the SRS id and the envelope, then the geometry as
/// little-endian WKB (ISO 13249-3): a MultiPolygon with closed rings, or a Point.
struct GeometryBlob: Sendable {
    let bytes: [UInt8]
    let minX, minY, maxX, maxY: Double

    init(_ polygons: [Polygon], srsID: Int32) {
        let rings = polygons.flatMap { [$0.exterior] + $0.holes }
        // Header 40 bytes, MultiPolygon 9, each polygon 9, each ring 4 and 16 per point with the first again.
        let size = 49 + 9 * polygons.count + rings.reduce(0) { $0 + 4 + 16 * ($1.points.count + 1) }
        self.init(points: rings.lazy.flatMap(\.points), srsID: srsID, size: size) { wkb in
            wkb.int32(6)  // MultiPolygon
            wkb.int32(UInt32(polygons.count))
            for polygon in polygons {
                wkb.out.append(1)
                wkb.int32(3)  // Polygon
                wkb.int32(UInt32(1 + polygon.holes.count))
                for ring in [polygon.exterior] + polygon.holes {
                    // WKB rings are closed: the first point again at the end.
                    wkb.int32(UInt32(ring.points.count + 1))
                    for p in ring.points { wkb.double(p.x); wkb.double(p.y) }
                    if let first = ring.points.first { wkb.double(first.x); wkb.double(first.y) }
                }
            }
        }
    }

    init(point: Point, srsID: Int32) {
        self.init(points: [point], srsID: srsID, size: 61) { wkb in
            wkb.int32(1)  // Point
            wkb.double(point.x); wkb.double(point.y)
        }
    }

    /// Little-endian bytes.
    struct Bytes {
        var out: [UInt8]
        mutating func int32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        mutating func double(_ v: Double) { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
    }

    /// The header with the envelope of `points`, then the WKB byte-order mark and what `body` writes.
    /// - Parameter size: the blob's length, reserved at once.
    private init(points: some Sequence<Point>, srsID: Int32, size: Int, body: (inout Bytes) -> Void) {
        var low = Point(x: .infinity, y: .infinity), high = Point(x: -.infinity, y: -.infinity)
        for p in points {  // the first of equal values, as Array's min() and max()
            if p.x < low.x { low.x = p.x }
            if p.y < low.y { low.y = p.y }
            if p.x > high.x { high.x = p.x }
            if p.y > high.y { high.y = p.y }
        }
        if low.x > high.x { (low, high) = (Point(x: 0, y: 0), Point(x: 0, y: 0)) }
        (minX, minY, maxX, maxY) = (low.x, low.y, high.x, high.y)
        var wkb = Bytes(out: [0x47, 0x50, 0, 0b0000_0011])
        wkb.out.reserveCapacity(size)
        wkb.int32(UInt32(bitPattern: srsID))
        for v in [minX, maxX, minY, maxY] { wkb.double(v) }
        wkb.out.append(1)
        body(&wkb)
        bytes = wkb.out
    }
}
