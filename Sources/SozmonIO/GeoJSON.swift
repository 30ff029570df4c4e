import AreaData
import Foundation

/// Reads and writes GeoJSON FeatureCollections of Polygon and MultiPolygon features (RFC 7946), including the
/// common projected variant with a `crs` member (`urn:ogc:def:crs:EPSG::25833`).
public enum GeoJSON {
    /// What to do when two features carry the same id.
    public enum DuplicateIDs: String, Sendable, CaseIterable, Encodable {
        /// Refuse the file, naming the id and both features (the default: an id must name one area).
        case error
        /// Join the features' polygons into one area, with a warning.
        case merge
    }

    /// A layer read from a file, with the warnings it gave.
    public struct Reading: Sendable {
        public let layer: GeometryLayer
        public let warnings: [String]
    }

    /// Reads `url`; `idProperty` names the property that holds the area id (numbers are read as their text).
    /// - Throws: `InputError` naming the feature (index and id) and what was expected: not a FeatureCollection, a
    ///   geometry other than (Multi)Polygon, an empty geometry, a ring with fewer than four positions or not closed,
    ///   a non-numeric or non-finite coordinate, a missing id, duplicate ids (unless merged), an unknown `crs`.
    public static func read(_ url: URL, idProperty: String, duplicateIDs: DuplicateIDs = .error)
        throws(InputError) -> Reading {
        let handle = try InputFile.open(url)
        defer { try? handle.close() }
        // Read in chunks up to the first NUL byte (if any): a damaged or sparse file fails in constant time and
        // memory instead of being read whole.
        var data = Data()
        do {
            while let chunk = try handle.read(upToCount: 1 << 24), !chunk.isEmpty {
                // Searched as an array: `Data.firstIndex` checks exclusive access at every byte.
                let bytes = [UInt8](chunk)
                if let nul = bytes.firstIndex(of: 0) {
                    data.append(contentsOf: bytes[...nul])
                    break
                }
                data.append(chunk)
            }
        } catch {
            throw InputError(file: url.path, message: "cannot read the file (\(error.localizedDescription))")
        }
        return try read(data, file: url.path, idProperty: idProperty, duplicateIDs: duplicateIDs)
    }

    /// Reads GeoJSON `data`; `file` names it in errors.
    public static func read(_ data: Data, file: String, idProperty: String, duplicateIDs: DuplicateIDs = .error)
        throws(InputError) -> Reading {
        func fail(_ message: String) -> InputError { InputError(file: file, message: message) }
        // A NUL byte is never in JSON text: found before parsing (one fast scan, also of a huge sparse file).
        let bytes = [UInt8](data)
        if let nul = bytes.firstIndex(of: 0) {
            let before = bytes[..<nul]
            let line = before.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            let column = nul - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            throw InputError(file: file, line: line, column: column,
                             message: "a NUL byte: this looks like a binary or damaged file, not GeoJSON text")
        }
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw fail("not valid JSON (\((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error))")
        }
        guard let collection = root as? [String: Any], collection["type"] as? String == "FeatureCollection",
              let features = collection["features"] as? [Any] else {
            throw fail("expected a GeoJSON FeatureCollection with a 'features' array")
        }
        let system = try coordinateSystem(collection["crs"], file: file)
        var areas: [AreaGeometry] = [], index: [String: Int] = [:], warnings: [String] = []
        for (number, item) in features.enumerated() {
            let place = "feature \(number + 1)"
            guard let feature = item as? [String: Any], feature["type"] as? String == "Feature" else {
                throw fail("\(place): expected an object with \"type\": \"Feature\"")
            }
            let properties = feature["properties"] as? [String: Any] ?? [:]
            guard let id = text(properties[idProperty]) else {
                throw fail("\(place): no id property '\(idProperty)'; its properties are "
                           + properties.keys.sorted().joined(separator: ", "))
            }
            guard !id.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail("\(place): the id property '\(idProperty)' is empty")
            }
            let polygons: [Polygon]
            do throws(GeometryProblem) { polygons = try parseGeometry(feature["geometry"]) } catch {
                throw fail("\(place) (id \(id)): \(error.message)")
            }
            var texts: [String: String] = [:]
            for (key, value) in properties { if let t = text(value) { texts[key] = t } }
            if let existing = index[id] {
                guard duplicateIDs == .merge else {
                    throw fail("\(place): id \(id) is already used by feature \(existing + 1); ids must be unique "
                               + "(or set duplicate ids to merge)")
                }
                areas[existing].polygons += polygons
                warnings.append("\(file): \(place): id \(id) repeats feature \(existing + 1); their polygons were joined")
            } else {
                index[id] = areas.count
                areas.append(AreaGeometry(id: id, polygons: polygons, properties: texts))
            }
        }
        if system == .wgs84, let (k, outside) = firstOutsideLongitudeLatitude(areas) {
            throw fail("feature \(k + 1) (id \(areas[k].id)): the point (\(outside.x), \(outside.y)) is no longitude/latitude; "
                       + "a file in projected coordinates needs a 'crs' member naming its system, e.g. "
                       + "\"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"EPSG:25833\"}} (ogr2ogr writes it)")
        }
        return Reading(layer: GeometryLayer(coordinateSystem: system, areas: areas), warnings: warnings)
    }

    /// The first area with a vertex outside longitude ±180° or latitude ±90°, and that vertex.
    private static func firstOutsideLongitudeLatitude(_ areas: [AreaGeometry]) -> (Int, Point)? {
        for (k, area) in areas.enumerated() {
            for polygon in area.polygons {
                for ring in [polygon.exterior] + polygon.holes {
                    if let p = ring.points.first(where: { abs($0.x) > 180 || abs($0.y) > 90 }) { return (k, p) }
                }
            }
        }
        return nil
    }

    private static func text(_ value: Any?) -> String? {
        switch value {
        case let s as String: s
        case let n as NSNumber: n.stringValue
        default: nil
        }
    }

    /// The `crs` member: absent (RFC 7946: WGS84), the named form of GeoJSON 2008
    /// (`{"type": "name", "properties": {"name": "EPSG:25833"}}`, also as an OGC URN) or a plain string of a name.
    private static func coordinateSystem(_ crs: Any?, file: String) throws(InputError) -> CoordinateSystem {
        guard let crs, !(crs is NSNull) else { return .wgs84 }
        let name: String
        if let text = crs as? String {
            name = text
        } else if let named = ((crs as? [String: Any])?["properties"] as? [String: Any])?["name"] as? String {
            name = named
        } else {
            throw InputError(file: file, message: "a 'crs' member that is neither a name such as \"EPSG:25833\" nor "
                             + "{\"type\": \"name\", \"properties\": {\"name\": …}}")
        }
        if name.hasSuffix("CRS84") || name.hasSuffix(":4326") { return .wgs84 }
        if let code = name.split(separator: ":").last.flatMap({ Int($0) }) { return .epsg(code) }
        throw InputError(file: file, message: "unknown crs '\(name)'; expected EPSG:<code> or CRS84")
    }

    struct GeometryProblem: Error { let message: String }

    private static func parseGeometry(_ value: Any?) throws(GeometryProblem) -> [Polygon] {
        guard let geometry = value as? [String: Any], let type = geometry["type"] as? String else {
            throw GeometryProblem(message: "empty geometry; expected a Polygon or MultiPolygon")
        }
        guard let coordinates = geometry["coordinates"] as? [Any], !coordinates.isEmpty else {
            throw GeometryProblem(message: "empty \(type) (no coordinates)")
        }
        switch type {
        case "Polygon": return [try parsePolygon(coordinates, label: "")]
        case "MultiPolygon":
            var result: [Polygon] = []
            for (k, polygon) in coordinates.enumerated() {
                guard let rings = polygon as? [Any], !rings.isEmpty else {
                    throw GeometryProblem(message: "polygon \(k + 1) is empty")
                }
                result.append(try parsePolygon(rings, label: "polygon \(k + 1), "))
            }
            return result
        default:
            throw GeometryProblem(message: "geometry type \(type); expected Polygon or MultiPolygon")
        }
    }

    private static func parsePolygon(_ rings: [Any], label: String) throws(GeometryProblem) -> Polygon {
        var parsed: [Ring] = []
        for (r, ring) in rings.enumerated() {
            let where_ = "\(label)ring \(r + 1)"
            guard let positions = ring as? [Any] else { throw GeometryProblem(message: "\(where_) is not an array") }
            var points: [Point] = []
            points.reserveCapacity(positions.count)
            for position in positions {
                guard let xy = position as? [Any], xy.count >= 2, let x = (xy[0] as? NSNumber)?.doubleValue,
                      let y = (xy[1] as? NSNumber)?.doubleValue, x.isFinite, y.isFinite else {
                    throw GeometryProblem(message: "\(where_) has a position that is not [x, y] with finite numbers")
                }
                points.append(Point(x: x, y: y))
            }
            guard points.count >= 4 else {
                throw GeometryProblem(message: "\(where_) has \(points.count) positions; expected at least 4")
            }
            guard points.first == points.last else {
                throw GeometryProblem(message: "\(where_) is not closed (its last position differs from its first)")
            }
            parsed.append(Ring(points: Array(points.dropLast())))
        }
        return Polygon(exterior: parsed[0], holes: Array(parsed.dropFirst()))
    }

    /// GeoJSON text of `layer`, each area a MultiPolygon feature with `properties` (numbers stay numbers when the
    /// value is a finite `Double`), the id first, then the properties in the order given: the output is
    /// byte-identical for the same input.
    /// - Parameter properties: per area id, its properties in the order they are written (after the id).
    public static func encode(_ layer: GeometryLayer, idProperty: String,
                              properties: [String: [(name: String, value: PropertyValue)]] = [:]) -> String {
        var out = "{\"type\":\"FeatureCollection\""
        if layer.coordinateSystem.isProjected {
            out += ",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::"
            if case .epsg(let code) = layer.coordinateSystem { out += "\(code)" }
            out += "\"}}"
        }
        out += ",\"features\":[\n"
        for (n, area) in layer.areas.enumerated() {
            let props = [(name: idProperty, value: PropertyValue.text(area.id))]
                + (properties[area.id] ?? []).filter { $0.name != idProperty }
            out += "{\"type\":\"Feature\",\"properties\":{"
            out += props.map { "\(jsonString($0.name)):\($0.value.json)" }.joined(separator: ",")
            out += "},\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":["
            out += area.polygons.map { polygon in
                "[" + ([polygon.exterior] + polygon.holes).map { ring in
                    "[" + (ring.points + [ring.points[0]]).map { "[\(number($0.x)),\(number($0.y))]" }
                        .joined(separator: ",") + "]"
                }.joined(separator: ",") + "]"
            }.joined(separator: ",")
            out += "]}}" + (n + 1 < layer.areas.count ? ",\n" : "\n")
        }
        return out + "]}\n"
    }

    /// A property value for `encode`.
    public enum PropertyValue: Sendable, Equatable {
        case text(String), number(Double), bool(Bool), null
        var json: String {
            switch self {
            case .text(let s): jsonString(s)
            case .number(let d): d.isFinite ? GeoJSON.number(d) : "null"
            case .bool(let b): b ? "true" : "false"
            case .null: "null"
            }
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
