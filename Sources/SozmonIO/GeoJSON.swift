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
        // The features are turned into areas as they are read (never all held as JSON values).
        var areas: [AreaGeometry] = [], index: [String: Int] = [:], warnings: [String] = []
        var number = 0, problem: InputError?
        func add(_ feature: JSONReader.Value) throws(InputError) {
            let place = "feature \(number + 1)"
            number += 1
            guard feature["type"]?.string == "Feature" else {
                throw fail("\(place): expected an object with \"type\": \"Feature\"")
            }
            let properties: [(key: String, value: JSONReader.Value)]
            if case .object(let members)? = feature["properties"] { properties = members } else { properties = [] }
            guard let id = properties.last(where: { $0.key == idProperty }).flatMap({ text($0.value) }) else {
                throw fail("\(place): no id property '\(idProperty)'; its properties are "
                           + Set(properties.map(\.key)).sorted().joined(separator: ", "))
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
        let root: JSONReader.Value
        do {
            root = try JSONReader.parse(bytes, streaming: "features") { feature in
                do throws(InputError) { try add(feature) } catch { problem = error }
                return problem == nil
            }
        } catch {
            if let problem { throw problem }
            let before = bytes[..<min(error.offset, bytes.count)]
            let line = before.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            let column = before.count - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            throw InputError(file: file, line: line, column: column, message: "not valid JSON: \(error.message)")
        }
        guard root["type"]?.string == "FeatureCollection", case .array? = root["features"] else {
            throw fail("expected a GeoJSON FeatureCollection with a 'features' array")
        }
        let system = try coordinateSystem(root["crs"], file: file)
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

    /// A property as text: strings as they are, numbers as their shortest text (integers without a fraction).
    private static func text(_ value: JSONReader.Value) -> String? {
        switch value {
        case .string(let s): s
        case .number(let d) where d.isFinite: number(d)
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }

    /// The `crs` member: absent (RFC 7946: WGS84), the named form of GeoJSON 2008
    /// (`{"type": "name", "properties": {"name": "EPSG:25833"}}`, also as an OGC URN) or a plain string of a name.
    private static func coordinateSystem(_ crs: JSONReader.Value?, file: String) throws(InputError) -> CoordinateSystem {
        let name: String
        switch crs {
        case nil, .null?: return .wgs84
        case .string(let text)?: name = text
        case let value?:
            guard let named = value["properties"]?["name"]?.string else {
                throw InputError(file: file, message: "a 'crs' member that is neither a name such as \"EPSG:25833\" nor "
                                 + "{\"type\": \"name\", \"properties\": {\"name\": …}}")
            }
            name = named
        }
        if name.hasSuffix("CRS84") || name.hasSuffix(":4326") { return .wgs84 }
        if let code = name.split(separator: ":").last.flatMap({ Int($0) }) { return .epsg(code) }
        throw InputError(file: file, message: "unknown crs '\(name)'; expected EPSG:<code> or CRS84")
    }

    struct GeometryProblem: Error { let message: String }

    private static func parseGeometry(_ value: JSONReader.Value?) throws(GeometryProblem) -> [Polygon] {
        guard let type = value?["type"]?.string else {
            throw GeometryProblem(message: "empty geometry; expected a Polygon or MultiPolygon")
        }
        let coordinates = value?["coordinates"]
        switch coordinates {
        case .array(let items)? where !items.isEmpty: break
        case .positions(let points)? where !points.isEmpty: break
        default: throw GeometryProblem(message: "empty \(type) (no coordinates)")
        }
        switch type {
        case "Polygon": return [try parsePolygon(coordinates!, label: "")]
        case "MultiPolygon":
            // A list of positions where polygons belong: the first polygon's rings are numbers, not arrays.
            guard case .array(let polygons)? = coordinates else {
                throw GeometryProblem(message: "polygon 1, ring 1 is not an array")
            }
            var result: [Polygon] = []
            for (k, polygon) in polygons.enumerated() {
                switch polygon {
                case .array(let rings) where rings.isEmpty: throw GeometryProblem(message: "polygon \(k + 1) is empty")
                case .array, .positions: result.append(try parsePolygon(polygon, label: "polygon \(k + 1), "))
                default: throw GeometryProblem(message: "polygon \(k + 1) is empty")
                }
            }
            return result
        default:
            throw GeometryProblem(message: "geometry type \(type); expected Polygon or MultiPolygon")
        }
    }

    /// A polygon's rings: an array of rings, each read into points (the first the exterior, the others holes).
    private static func parsePolygon(_ rings: JSONReader.Value, label: String) throws(GeometryProblem) -> Polygon {
        let list: [JSONReader.Value]
        switch rings {
        case .array(let items): list = items
        // Positions where rings belong: each "ring" would be one position's numbers.
        case .positions: throw GeometryProblem(message: "\(label)ring 1 has a position that is not [x, y] with finite numbers")
        default: throw GeometryProblem(message: "\(label)ring 1 is not an array")
        }
        var parsed: [Ring] = []
        for (r, ring) in list.enumerated() {
            let where_ = "\(label)ring \(r + 1)"
            let points: [Point]
            switch ring {
            case .positions(let read): points = read
            case .array(let positions):
                // Read as values: some position is not [x, y] with numbers (or the ring is empty).
                guard positions.isEmpty else {
                    throw GeometryProblem(message: "\(where_) has a position that is not [x, y] with finite numbers")
                }
                points = []
            default: throw GeometryProblem(message: "\(where_) is not an array")
            }
            guard points.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else {
                throw GeometryProblem(message: "\(where_) has a position that is not [x, y] with finite numbers")
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
        var out = Array("{\"type\":\"FeatureCollection\"".utf8)
        if case .epsg(let code) = layer.coordinateSystem {
            out.append(contentsOf: ",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::\(code)\"}}".utf8)
        }
        out.append(contentsOf: ",\"features\":[\n".utf8)
        let numbers = CSVFormatter(style: .plain)
        for (n, area) in layer.areas.enumerated() {
            let props = [(name: idProperty, value: PropertyValue.text(area.id))]
                + (properties[area.id] ?? []).filter { $0.name != idProperty }
            out.append(contentsOf: "{\"type\":\"Feature\",\"properties\":{".utf8)
            for (k, property) in props.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: "\(jsonString(property.name)):\(property.value.json)".utf8)
            }
            out.append(contentsOf: "},\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[".utf8)
            for (k, polygon) in area.polygons.enumerated() {
                out.append(contentsOf: (k > 0 ? ",[" : "[").utf8)
                for (r, ring) in ([polygon.exterior] + polygon.holes).enumerated() {
                    out.append(contentsOf: (r > 0 ? ",[" : "[").utf8)
                    for (q, point) in (ring.points + [ring.points[0]]).enumerated() {
                        out.append(contentsOf: (q > 0 ? ",[" : "[").utf8)
                        numbers.appendNumber(point.x, to: &out)
                        out.append(UInt8(ascii: ","))
                        numbers.appendNumber(point.y, to: &out)
                        out.append(UInt8(ascii: "]"))
                    }
                    out.append(UInt8(ascii: "]"))
                }
                out.append(UInt8(ascii: "]"))
            }
            out.append(contentsOf: ("]}}" + (n + 1 < layer.areas.count ? ",\n" : "\n")).utf8)
        }
        out.append(contentsOf: "]}\n".utf8)
        return String(decoding: out, as: UTF8.self)
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
        guard s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return "\"" + s + "\"" }
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
