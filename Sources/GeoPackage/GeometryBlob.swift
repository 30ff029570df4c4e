import AreaData

/// A geometry as GeoPackage stores it (OGC 12-128r18 §2.1.3): the binary header (`GP`, version 0, flags: an
/// [minx, maxx, miny, maxy] envelope, little-endian), the SRS id and the envelope, then the geometry as
/// little-endian WKB (ISO 13249-3), here always a MultiPolygon with closed rings.
struct GeometryBlob {
    let bytes: [UInt8]
    let minX, minY, maxX, maxY: Double

    init(_ polygons: [Polygon], srsID: Int32) {
        let points = polygons.flatMap { p in ([p.exterior] + p.holes).flatMap(\.points) }
        minX = points.map(\.x).min() ?? 0
        minY = points.map(\.y).min() ?? 0
        maxX = points.map(\.x).max() ?? 0
        maxY = points.map(\.y).max() ?? 0
        var out: [UInt8] = [0x47, 0x50, 0, 0b0000_0011]
        func int32(_ v: UInt32) { for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) } }
        func double(_ v: Double) {
            let bits = v.bitPattern
            for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: bits >> (8 * k))) }
        }
        int32(UInt32(bitPattern: srsID))
        for v in [minX, maxX, minY, maxY] { double(v) }
        out.append(1)
        int32(6)  // MultiPolygon
        int32(UInt32(polygons.count))
        for polygon in polygons {
            out.append(1)
            int32(3)  // Polygon
            let rings = [polygon.exterior] + polygon.holes
            int32(UInt32(rings.count))
            for ring in rings {
                // WKB rings are closed: the first point again at the end.
                int32(UInt32(ring.points.count + 1))
                for p in ring.points + ring.points.prefix(1) { double(p.x); double(p.y) }
            }
        }
        bytes = out
    }
}
