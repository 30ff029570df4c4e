import AreaData

/// A geometry as GeoPackage stores it (OGC 12-128r18 §2.1.3): the binary header (`GP`, version 0, flags: an
/// [minx, maxx, miny, maxy] envelope, little-endian), the SRS id and the envelope, then the geometry as
/// little-endian WKB (ISO 13249-3): a MultiPolygon with closed rings, or a Point.
struct GeometryBlob {
    let bytes: [UInt8]
    let minX, minY, maxX, maxY: Double

    init(_ polygons: [Polygon], srsID: Int32) {
        self.init(points: polygons.flatMap { p in ([p.exterior] + p.holes).flatMap(\.points) }, srsID: srsID) { wkb in
            wkb.int32(6)  // MultiPolygon
            wkb.int32(UInt32(polygons.count))
            for polygon in polygons {
                wkb.out.append(1)
                wkb.int32(3)  // Polygon
                let rings = [polygon.exterior] + polygon.holes
                wkb.int32(UInt32(rings.count))
                for ring in rings {
                    // WKB rings are closed: the first point again at the end.
                    wkb.int32(UInt32(ring.points.count + 1))
                    for p in ring.points + ring.points.prefix(1) { wkb.double(p.x); wkb.double(p.y) }
                }
            }
        }
    }

    init(point: Point, srsID: Int32) {
        self.init(points: [point], srsID: srsID) { wkb in
            wkb.int32(1)  // Point
            wkb.double(point.x); wkb.double(point.y)
        }
    }

    /// Little-endian bytes.
    struct Bytes {
        var out: [UInt8]
        mutating func int32(_ v: UInt32) { for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) } }
        mutating func double(_ v: Double) {
            let bits = v.bitPattern
            for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: bits >> (8 * k))) }
        }
    }

    /// The header with the envelope of `points`, then the WKB byte-order mark and what `body` writes.
    private init(points: [Point], srsID: Int32, body: (inout Bytes) -> Void) {
        minX = points.map(\.x).min() ?? 0
        minY = points.map(\.y).min() ?? 0
        maxX = points.map(\.x).max() ?? 0
        maxY = points.map(\.y).max() ?? 0
        var wkb = Bytes(out: [0x47, 0x50, 0, 0b0000_0011])
        wkb.int32(UInt32(bitPattern: srsID))
        for v in [minX, maxX, minY, maxY] { wkb.double(v) }
        wkb.out.append(1)
        body(&wkb)
        bytes = wkb.out
    }
}
