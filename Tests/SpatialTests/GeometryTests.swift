import AreaData
import Foundation
import Spatial
import SozmonIO
import TestSupport
import Testing

@Suite struct PolygonMeasureTests {
    /// A 4 × 2 rectangle with a 1 × 1 hole, clockwise and counter-clockwise rings mixed.
    let square = AreaGeometry(id: "a", polygons: [
        Polygon(exterior: Ring(points: [Point(x: 0, y: 0), Point(x: 4, y: 0), Point(x: 4, y: 2), Point(x: 0, y: 2)]),
                holes: [Ring(points: [Point(x: 1, y: 1), Point(x: 1, y: 1.5), Point(x: 2, y: 1.5),
                                      Point(x: 2, y: 1)])]),
    ])

    @Test func areaCentroidAndBoundsByHand() {
        #expect(square.area == 7.5)
        // Centroid: (8·(2, 1) − 0.5·(1.5, 1.25)) / 7.5.
        let c = square.centroid
        #expect(abs(c.x - (16 - 0.75) / 7.5) < 1e-14 && abs(c.y - (8 - 0.625) / 7.5) < 1e-14)
        #expect(square.bounds == Bounds(minX: 0, minY: 0, maxX: 4, maxY: 2))
    }

    @Test func largeProjectedCoordinatesKeepTheirDigits() {
        let shifted = AreaGeometry(id: "b", polygons: square.polygons.map { p in
            func move(_ r: Ring) -> Ring { Ring(points: r.points.map { Point(x: $0.x + 400_000, y: $0.y + 5_800_000) }) }
            return Polygon(exterior: move(p.exterior), holes: p.holes.map(move))
        })
        #expect(abs(shifted.area - 7.5) < 1e-9)
        #expect(abs(shifted.centroid.y - (5_800_000 + (8 - 0.625) / 7.5)) < 1e-8)
    }

    @Test func utmMatchesPyproj() throws {
        for f in try FixtureValue.load("spatial.json")["utm"].array {
            let projection = UTMProjection(zone: Int(f["zone"].double))
            let p = projection.project(Point(x: f["lon"].double, y: f["lat"].double))
            #expect(abs(p.x - f["easting"].double) < 1e-3 && abs(p.y - f["northing"].double) < 1e-3,
                    "zone \(projection.zone) \(f["lon"].double),\(f["lat"].double): \(p)")
        }
        #expect(UTMProjection.zone(containing: 13.4).zone == 33 && UTMProjection.zone(containing: 9.99).epsg == 25832)
    }

    /// The inverse projection gives pyproj's longitude and latitude back from its easting and northing (worst error
    /// reported, in degrees: 1e-9° is 0.1 mm), and round-trips sozmon's own projection.
    @Test func inverseUTMMatchesPyproj() throws {
        var worst = 0.0
        for f in try FixtureValue.load("spatial.json")["utm"].array {
            let projection = UTMProjection(zone: Int(f["zone"].double))
            let back = projection.unproject(Point(x: f["easting"].double, y: f["northing"].double))
            worst = max(worst, abs(back.x - f["lon"].double), abs(back.y - f["lat"].double))
            let round = projection.unproject(projection.project(Point(x: f["lon"].double, y: f["lat"].double)))
            worst = max(worst, abs(round.x - f["lon"].double), abs(round.y - f["lat"].double))
        }
        #expect(worst < 1e-9, "worst error \(worst)°")
        let layer = GeometryLayer(coordinateSystem: .epsg(25833), areas: [square])
        #expect(layer.inWGS84()?.coordinateSystem == .wgs84)
        #expect(GeometryLayer(coordinateSystem: .epsg(3857), areas: [square]).inWGS84() == nil, "not a system sozmon converts")
    }
}

@Suite struct GeoJSONTests {
    func read(_ text: String, duplicates: GeoJSON.DuplicateIDs = .error) throws -> GeoJSON.Reading {
        try GeoJSON.read(Data(text.utf8), file: "g.geojson", idProperty: "id", duplicateIDs: duplicates)
    }

    let feature = { (id: String, ring: String) in
        "{\"type\":\"Feature\",\"properties\":{\"id\":\(id)},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[\(ring)]}}"
    }
    let unit = "[[0,0],[1,0],[1,1],[0,1],[0,0]]"

    /// sozmon's own JSON reader (RFC 8259, strict): a syntax error names its line and column; hostile nesting is
    /// refused, not a stack overflow; escapes, numeric ids, 3-D positions and infinite numbers are handled.
    @Test func jsonIsReadStrictlyWithThePlaceOfAnError() throws {
        func problem(_ text: String) -> InputError? {
            do { _ = try read(text); return nil } catch let error as InputError { return error } catch { return nil }
        }
        let broken = problem("{\"type\": \"FeatureCollection\",\n  \"features\": [}\n")
        #expect(broken?.line == 2 && broken?.column == 16 && broken?.message.hasPrefix("not valid JSON") == true,
                "\(String(describing: broken))")
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(problem(deep)?.message.contains("nested deeper than 512 levels") == true)
        for bad in ["[1,]", "{\"a\":1,}", "[01]", "[1.]", "[\"\u{01}\"]", "[\"\\x\"]", "[tru]", "{} {}", "[\"\\ud800\"]"] {
            #expect(problem(bad)?.message.hasPrefix("not valid JSON") == true, "\(bad)")
        }
        var invalidUTF8 = Array("[\"".utf8) + [0xC3, 0x28] + Array("\"]".utf8)
        #expect(throws: InputError.self) { try GeoJSON.read(Data(invalidUTF8), file: "g", idProperty: "id") }
        invalidUTF8 = []
        let escaped = "{\"type\":\"Feature\",\"properties\":{\"id\":\"M\\u00fcnster \\/ \\ud83d\\ude00\"},"
            + "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0,5],[1,0,5],[1,1,5],[0,1,5],[0,0,5]]]}}"
        let numeric = feature("11001001", unit), fractional = feature("1.5", unit)
        let layer = try read("{\"type\":\"FeatureCollection\",\"features\":[\(escaped),\(numeric),\(fractional)]}").layer
        #expect(layer.areas.map(\.id) == ["Münster / 😀", "11001001", "1.5"])
        #expect(layer.areas[0].polygons[0].exterior.points.count == 4, "z is ignored, the closing position dropped")
        let infinite = problem("{\"type\":\"FeatureCollection\",\"features\":[\(feature("1", "[[0,0],[1e999,0],[1,1],[0,0]]"))]}")
        #expect(infinite?.message.contains("ring 1 has a position that is not [x, y] with finite numbers") == true)
    }

    @Test func roundTripWithProjectedCRS() throws {
        let text = "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::25833\"}},\"features\":[\(feature("\"01\"", unit)),\(feature("2", unit))]}"
        let layer = try read(text).layer
        #expect(layer.coordinateSystem == .epsg(25833))
        #expect(layer.areas.map(\.id) == ["01", "2"], "numeric ids are read as text")
        let encoded = GeoJSON.encode(layer, idProperty: "id", properties: ["01": [("z", .number(1.5)), ("class", .text("hoch"))]])
        #expect(encoded.contains(#"{"id":"01","z":1.5,"class":"hoch"}"#), "properties in the order given, the id first")
        let again = try GeoJSON.read(Data(encoded.utf8), file: "out", idProperty: "id").layer
        #expect(again == GeometryLayer(coordinateSystem: .epsg(25833), areas: layer.areas.map {
            var a = $0; a.properties = $0.id == "01" ? ["id": "01", "class": "hoch", "z": "1.5"] : ["id": "2"]; return a
        }))
    }

    /// The exact text of a small layer: MultiPolygons with their rings closed again, integral coordinates as
    /// integers, others as their shortest round-trip text, text properties escaped as JSON strings (quote,
    /// backslash, line breaks, other control characters), non-ASCII text as it is.
    @Test func encodedTextIsExact() {
        let square = Ring(points: [Point(x: 0, y: 0), Point(x: 2, y: 0), Point(x: 2, y: 2), Point(x: 0, y: 2)])
        let hole = Ring(points: [Point(x: 0.5, y: 0.5), Point(x: 1.25, y: 0.5), Point(x: 0.1, y: 1.5)])
        let layer = GeometryLayer(coordinateSystem: .epsg(25833), areas: [
            AreaGeometry(id: "a\"1", polygons: [Polygon(exterior: square, holes: [hole])]),
            AreaGeometry(id: "Köln", polygons: [Polygon(exterior: square), Polygon(exterior: square)]),
        ])
        let text = GeoJSON.encode(layer, idProperty: "id", properties: [
            "a\"1": [("name", .text("x\\y\nz\u{1}")), ("v", .number(-0.25)), ("ok", .bool(true)), ("n", .null)],
            "Köln": [("v", .number(.nan))],
        ])
        let ring = "[[0,0],[2,0],[2,2],[0,2],[0,0]]"
        #expect(text == "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
                + "\"urn:ogc:def:crs:EPSG::25833\"}},\"features\":[\n"
                + "{\"type\":\"Feature\",\"properties\":{\"id\":\"a\\\"1\",\"name\":\"x\\\\y\\nz\\u0001\",\"v\":-0.25,"
                + "\"ok\":true,\"n\":null},\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":"
                + "[[\(ring),[[0.5,0.5],[1.25,0.5],[0.1,1.5],[0.5,0.5]]]]}},\n"
                + "{\"type\":\"Feature\",\"properties\":{\"id\":\"Köln\",\"v\":null},\"geometry\":{\"type\":\"MultiPolygon\","
                + "\"coordinates\":[[\(ring)],[\(ring)]]}}\n]}\n")
        let wgs84 = GeoJSON.encode(GeometryLayer(coordinateSystem: .wgs84, areas: []), idProperty: "id")
        #expect(wgs84 == "{\"type\":\"FeatureCollection\",\"features\":[\n]}\n", "no crs member in WGS84")
    }

    @Test func invalidGeometriesAreNamed() throws {
        let collection = { (features: String) in "{\"type\":\"FeatureCollection\",\"features\":[\(features)]}" }
        #expect(throws: InputError(file: "g.geojson", message:
                "feature 1 (id a): ring 1 is not closed (its last position differs from its first)")) {
            try read(collection(feature("\"a\"", "[[0,0],[1,0],[1,1],[0,1],[0,0.5]]")))
        }
        #expect(throws: InputError(file: "g.geojson", message: "feature 1 (id a): ring 1 has 3 positions; expected at least 4")) {
            try read(collection(feature("\"a\"", "[[0,0],[1,0],[0,0]]")))
        }
        #expect(throws: InputError(file: "g.geojson", message:
                "feature 2: id a is already used by feature 1; ids must be unique (or set duplicate ids to merge)")) {
            try read(collection(feature("\"a\"", unit) + "," + feature("\"a\"", unit)))
        }
        #expect(try read(collection(feature("\"a\"", unit) + "," + feature("\"a\"", unit)), duplicates: .merge)
            .layer.areas[0].polygons.count == 2)
        #expect(throws: InputError.self) { try read("{\"type\":\"Feature\"}") }
        #expect(throws: InputError.self) { try read("not json") }
        #expect(throws: InputError.self) {
            try read(collection("{\"type\":\"Feature\",\"properties\":{\"id\":\"a\"},\"geometry\":null}"))
        }
        #expect(throws: InputError.self) {
            try read(collection("{\"type\":\"Feature\",\"properties\":{\"id\":\"a\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]}}"))
        }
    }
}

@Suite(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipMessage)))
struct RealGeometryTests {
    /// The official 2021 Prognoseräume in EPSG:25833: our planar areas, corrected by the UTM point scale k² to
    /// true areas, against the official GROESSE_M2 (the uncorrected grid areas are 0.05 % smaller).
    @Test func berlinForecastAreasInUTM() throws {
        let reading = try GeoJSON.read(SharedData.url("berlin-lor-geodata/lor_prognoseraeume_2021_epsg25833.geojson"),
                                       idProperty: "PGR_ID")
        let layer = reading.layer
        #expect(layer.coordinateSystem == .epsg(25833) && layer.areas.count == 58)
        for area in layer.areas {
            let official = try #require(Double(area.properties["GROESSE_M2"] ?? ""))
            let k = UTMProjection.pointScale(easting: area.centroid.x)
            let trueArea = area.area / (k * k)
            #expect(abs(trueArea - official) / official < 1e-4, "\(area.id): \(trueArea) vs \(official)")
        }
    }

    /// Every WGS84 layer reads; the one with a duplicated id is refused by default and joined on request.
    @Test func everyBerlinWGS84Layer() throws {
        let expected = ["berlin-lor-city": 1, "berlin-lor-districts": 12, "berlin-lor-forecast-areas-until-2020": 60,
                        "berlin-lor-forecast-areas-from-2021": 58, "berlin-lor-district-regions-until-2020": 138]
        for (name, count) in expected {
            let reading = try GeoJSON.read(SharedData.url("berlin-lor-geodata/\(name).geojson"), idProperty: "id")
            #expect(reading.layer.areas.count == count, "\(name)")
            #expect(reading.layer.coordinateSystem == .wgs84)
        }
        let planning = SharedData.url("berlin-lor-geodata/berlin-lor-planning-areas-until-2020.geojson")
        #expect(throws: InputError.self) { try GeoJSON.read(planning, idProperty: "id") }
        let merged = try GeoJSON.read(planning, idProperty: "id", duplicateIDs: .merge)
        #expect(merged.layer.areas.count == 447 && merged.warnings.count == 1)
        // Projected to UTM 33, the planning areas' areas agree with the file's own 'area' (m²) property.
        let projected = merged.layer.projectedToMetres()
        #expect(projected.coordinateSystem == .epsg(25833))
        // The merged area's stated 'area' is that of one of its two features only: leave it out.
        var worst = 0.0
        for area in projected.areas where area.polygons.count == 1 || !merged.warnings[0].contains("id \(area.id) ") {
            guard let stated = Double(area.properties["area"] ?? ""), stated > 0 else { continue }
            let k = UTMProjection.pointScale(easting: area.centroid.x)
            worst = max(worst, abs(area.area / (k * k) - stated) / stated)
        }
        // The stated areas come from the original EPSG:25833 geometry; the WGS84 copy is rounded (worst seen 0.13 %).
        #expect(worst < 5e-3, "worst relative difference to the stated area: \(worst)")
    }
}

@Suite struct GeoJSONFuzzTests {
    /// Seeded random mutations of a valid file: each either reads or is refused with an InputError; none traps.
    @Test func mutationsNeverCrash() {
        let valid = Array("""
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25833"}},
            "features":[{"type":"Feature","properties":{"id":"01","n":1},"geometry":{"type":"MultiPolygon",
            "coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]],[[0.2,0.2],[0.2,0.4],[0.4,0.4],[0.2,0.2]]]]}}]}
            """.utf8)
        let alphabet = Array("{}[],:\"0123456789.-eE tyPolgnMuiFCcrsd".utf8) + [0x00, 0xFF]
        var state: UInt64 = 0xF022
        func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) }
        var read = 0, refused = 0
        for _ in 0..<2000 {
            var bytes = valid
            for _ in 0..<(1 + next() % 3) {
                let position = next() % bytes.count
                switch next() % 3 {
                case 0: bytes.insert(alphabet[next() % alphabet.count], at: position)
                case 1: bytes.remove(at: position)
                default: bytes[position] = alphabet[next() % alphabet.count]
                }
            }
            do {
                let reading = try GeoJSON.read(Data(bytes), file: "fuzz", idProperty: "id")
                read += 1
                for area in reading.layer.areas { _ = area.area; _ = area.centroid }
            } catch let error as InputError {
                refused += 1
                #expect(error.file == "fuzz" && !error.message.isEmpty, "\(error)")
            } catch {
                Issue.record("not an input error: \(error)")
            }
        }
        #expect(read > 0 && refused > 0, "read \(read), refused \(refused)")
    }
}

@Suite struct PointLocationTests {
    static func rectangle(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Ring {
        Ring(points: [Point(x: x0, y: y0), Point(x: x1, y: y0), Point(x: x1, y: y1), Point(x: x0, y: y1)])
    }

    /// "b" is 4 × 2 with a 1 × 1 hole at (1…2, 0.5…1.5), filled by "h"; "a" lies west of "b" and shares its edge
    /// x = 0; "c" is a triangle north of "b" touching it only along y = 2 from x = 0 to 2.
    let layer = GeometryLayer(coordinateSystem: .epsg(25833), areas: [
        AreaGeometry(id: "b", polygons: [Polygon(exterior: rectangle(0, 0, 4, 2), holes: [rectangle(1, 0.5, 2, 1.5)])]),
        AreaGeometry(id: "h", polygons: [Polygon(exterior: rectangle(1, 0.5, 2, 1.5))]),
        AreaGeometry(id: "a", polygons: [Polygon(exterior: rectangle(-3, 0, 0, 2))]),
        AreaGeometry(id: "c", polygons: [Polygon(exterior: Ring(points: [Point(x: 0, y: 2), Point(x: 2, y: 2), Point(x: 1, y: 3)]))]),
    ])

    @Test func positionsByHand() {
        let b = layer.areas[0].polygons[0]
        #expect(b.position(of: Point(x: 3, y: 1)) == .inside)
        #expect(b.position(of: Point(x: 1.5, y: 1)) == .outside, "in the hole")
        #expect(b.position(of: Point(x: 1, y: 1)) == .boundary, "on the hole's ring")
        #expect(b.position(of: Point(x: 4, y: 1)) == .boundary && b.position(of: Point(x: 4, y: 2)) == .boundary)
        #expect(b.position(of: Point(x: 5, y: 1)) == .outside)
        // A ray through a vertex is counted once: (−1, 2) lies left of the top-left corner, outside.
        #expect(b.position(of: Point(x: -1, y: 2)) == .outside && b.position(of: Point(x: -1, y: 0)) == .outside)
        let triangle = layer.areas[3].polygons[0]
        #expect(triangle.position(of: Point(x: 1, y: 2.5)) == .inside && triangle.position(of: Point(x: 0.2, y: 2.8)) == .outside)
    }

    @Test func pointsGoToOneAreaWhateverTheLayerOrder() {
        let locator = PointLocator(layer: layer)
        let id = { (p: Point) in locator.area(containing: p).map { locator.layer.areas[$0].id } }
        #expect(id(Point(x: 3, y: 1)) == "b")
        #expect(id(Point(x: 1.5, y: 1)) == "h", "a point in b's hole belongs to the area filling it")
        #expect(id(Point(x: 1, y: 1)) == "b", "on the hole's edge: b and h, the smaller id wins")
        #expect(id(Point(x: 0, y: 1)) == "a", "on the shared edge of a and b")
        #expect(id(Point(x: 0, y: 2)) == "a", "on the corner of a, b and c")
        #expect(id(Point(x: 1, y: 2)) == "b" && id(Point(x: 1, y: 2.5)) == "c")
        #expect(id(Point(x: 10, y: 10)) == nil && id(Point(x: 3, y: 2.5)) == nil && id(Point(x: .nan, y: 1)) == nil)
        // The same answers with the layer reversed.
        let reversed = PointLocator(layer: GeometryLayer(coordinateSystem: layer.coordinateSystem, areas: layer.areas.reversed()))
        for p in [Point(x: 1, y: 1), Point(x: 0, y: 1), Point(x: 0, y: 2), Point(x: 1.5, y: 1), Point(x: 1, y: 2)] {
            #expect(reversed.area(containing: p).map { reversed.layer.areas[$0].id } == id(p))
        }
    }

    /// Every point of the synthetic grid's cells is found in its cell, through the grid index.
    @Test func manyAreasThroughTheIndex() {
        var areas: [AreaGeometry] = []
        for y in 0..<40 { for x in 0..<50 {
            areas.append(AreaGeometry(id: String(format: "%04d", y * 50 + x), polygons: [
                Polygon(exterior: Self.rectangle(Double(x) * 10, Double(y) * 10, Double(x + 1) * 10, Double(y + 1) * 10))]))
        } }
        let locator = PointLocator(layer: GeometryLayer(coordinateSystem: .epsg(25833), areas: areas))
        for k in 0..<2000 {
            let x = Double(k % 50) * 10 + 3.7, y = Double(k / 50) * 10 + 6.1
            #expect(locator.area(containing: Point(x: x, y: y)) == k)
        }
    }
}
