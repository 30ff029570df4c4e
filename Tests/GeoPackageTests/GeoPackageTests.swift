import AreaData
import Foundation
@testable import GeoPackage
import SozmonIO
import Testing

/// The GeoPackage read back through SQLite, against what OGC 12-128r18 prescribes, by hand on two squares.
@Suite struct GeoPackageTests {
    static func square(_ x: Double) -> [Polygon] {
        [Polygon(exterior: Ring(points: [Point(x: x, y: 0), Point(x: x + 10, y: 0), Point(x: x + 10, y: 10), Point(x: x, y: 10)]))]
    }

    func write(to path: String) throws {
        var areas = Table(name: "areas", columns: ["area_id", "population", "S1", "eligible", "count", "status_class"])
        areas.append([.text("A"), .number(2), .number(1.5), .bool(true), .integer(3), .text("hoch")])
        areas.append([.text("B"), .text("."), .empty, .bool(false), .integer(4), .empty])
        var summary = Table(name: "summary_bezirk", columns: ["bezirk_id", "population"])
        summary.append([.text("X"), .number(500)])
        var trends = Table(name: "trends", columns: ["area_id", "slope"])
        trends.append([.text("A"), .number(-0.25)])
        let writer = try GeoPackageWriter(path: path, coordinateSystem: .epsg(25833))
        let status = GeoPackageWriter.Style(name: "Status", column: "status_class", categories: [
            .init(value: "hoch", label: "hoch", colour: "#1a9641"), .init(value: nil, label: "ohne Zuordnung", colour: "#ffffff"),
        ])
        try writer.addLayer(areas, geometry: { ["A": Self.square(0), "B": Self.square(10)][$0] }, styles: [status, status])
        try writer.addLayer(summary, geometry: { $0 == "X" ? Self.square(0) + Self.square(10) : nil })
        try writer.addTable(trends)
        try writer.finish()
    }

    @Test func layersTypedIndexedAndStyled() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("g-\(UUID().uuidString).gpkg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try write(to: path)
        let db = try SQLiteDatabase(reading: path)
        #expect(try db.query("PRAGMA application_id") == [[.integer(0x4750_4B47)]], "'GPKG'")
        #expect(try db.query("PRAGMA user_version") == [[.integer(10300)]], "version 1.3.0")
        #expect(try db.query("PRAGMA integrity_check") == [[.text("ok")]])
        let contents = try db.query("SELECT table_name, data_type, min_x, min_y, max_x, max_y, srs_id FROM gpkg_contents ORDER BY table_name")
        #expect(contents == [
            [.text("areas"), .text("features"), .real(0), .real(0), .real(20), .real(10), .integer(25833)],
            [.text("layer_styles"), .text("attributes"), .null, .null, .null, .null, .null],
            [.text("summary_bezirk"), .text("features"), .real(0), .real(0), .real(20), .real(10), .integer(25833)],
            [.text("trends"), .text("attributes"), .null, .null, .null, .null, .null],
        ])
        #expect(try db.query("SELECT table_name, column_name, geometry_type_name, srs_id FROM gpkg_geometry_columns ORDER BY 1")
                == [[.text("areas"), .text("geom"), .text("MULTIPOLYGON"), .integer(25833)],
                    [.text("summary_bezirk"), .text("geom"), .text("MULTIPOLYGON"), .integer(25833)]])
        let utm = try db.query("SELECT organization, definition FROM gpkg_spatial_ref_sys WHERE srs_id = 25833")
        guard case .text(let wkt) = utm.first?[1] else { Issue.record("no EPSG:25833"); return }
        #expect(utm.first?[0] == .text("EPSG") && wkt.contains("PARAMETER[\"central_meridian\",15]"))
        // Typed columns (a population of whole numbers INTEGER); the suppressed population is NULL with its flag.
        let types = try db.query("PRAGMA table_info(areas)").map { [$0[1], $0[2]] }
        #expect(types == [[.text("fid"), .text("INTEGER")], [.text("geom"), .text("MULTIPOLYGON")], [.text("area_id"), .text("TEXT")],
                          [.text("population"), .text("INTEGER")], [.text("population_suppressed"), .text("BOOLEAN")],
                          [.text("S1"), .text("REAL")], [.text("eligible"), .text("BOOLEAN")], [.text("count"), .text("INTEGER")],
                          [.text("status_class"), .text("TEXT")]])
        #expect(try db.query("SELECT area_id, population, population_suppressed, S1, eligible, count, status_class FROM areas")
                == [[.text("A"), .integer(2), .integer(0), .real(1.5), .integer(1), .integer(3), .text("hoch")],
                    [.text("B"), .null, .integer(1), .null, .integer(0), .integer(4), .null]])
        // The geometry: GP header (version 0, envelope [minx maxx miny maxy], little-endian), SRS, then WKB.
        guard case .blob(let blob) = try db.query("SELECT geom FROM areas WHERE area_id = 'B'").first?[0] else {
            Issue.record("no geometry"); return
        }
        #expect(Array(blob.prefix(8)) == [0x47, 0x50, 0, 3, 0xE9, 0x64, 0, 0], "GP, v0, flags 3, srs 25833 = 0x64E9")
        func double(_ at: Int) -> Double { Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(blob[at + $1]) << (8 * $1) }) }
        #expect([double(8), double(16), double(24), double(32)] == [10, 20, 0, 10])
        #expect(Array(blob[40..<49]) == [1, 6, 0, 0, 0, 1, 0, 0, 0], "WKB little-endian MultiPolygon of 1 polygon")
        #expect(blob.count == 40 + 9 + 9 + 4 + 5 * 16, "one ring of 5 points: closed")
        // The R-tree has every feature's box; the extension is registered with its triggers.
        #expect(try db.query("SELECT id, minx, maxx, miny, maxy FROM rtree_areas_geom ORDER BY id")
                == [[.integer(1), .real(0), .real(10), .real(0), .real(10)], [.integer(2), .real(10), .real(20), .real(0), .real(10)]])
        #expect(try db.query("SELECT count(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'") == [[.integer(2)]])
        #expect(try db.query("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'areas'") == [[.integer(6)]])
        // Styles: the first is the default; the QML colours the class.
        let styles = try db.query("SELECT f_table_name, styleName, useAsDefault, styleQML FROM layer_styles ORDER BY id")
        #expect(styles.map { [$0[0], $0[1], $0[2]] } == [[.text("areas"), .text("Status"), .integer(1)],
                                                         [.text("areas"), .text("Status"), .integer(0)]])
        guard case .text(let qml) = styles.first?[3] else { Issue.record("no QML"); return }
        #expect(qml.contains("attr=\"status_class\"") && qml.contains("value=\"26,150,65,255\"")
                && qml.contains("<category value=\"\" label=\"ohne Zuordnung\""))
    }

    /// The blobs byte by byte, spelled out by hand from OGC 12-128r18 §2.1.3 and ISO WKB: header `GP`, version 0,
    /// flags (envelope [minx, maxx, miny, maxy], little-endian), SRS id, envelope, then the WKB with closed rings.
    @Test func blobsByHand() {
        func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
        let zero = "0000000000000000", one = "000000000000f03f", two = "0000000000000040"
        let triangle = Polygon(exterior: Ring(points: [Point(x: 0, y: 0), Point(x: 2, y: 0), Point(x: 0, y: 1)]))
        let blob = GeometryBlob([triangle], srsID: 25833)
        #expect(hex(blob.bytes) == "47500003" + "e9640000" + zero + two + zero + one
                + "01" + "06000000" + "01000000" + "01" + "03000000" + "01000000" + "04000000"
                + zero + zero + two + zero + zero + one + zero + zero)
        #expect((blob.minX, blob.maxX, blob.minY, blob.maxY) == (0, 2, 0, 1))
        let point = GeometryBlob(point: Point(x: 1, y: 2), srsID: 4326)
        #expect(hex(point.bytes) == "47500003" + "e6100000" + one + one + two + two + "01" + "01000000" + one + two)
        // Made on all cores in chunks: the same blobs in the same order as one at a time.
        let shapes: [[Polygon]?] = (0..<1000).map { $0 % 7 == 0 ? nil : Self.square(Double($0)) }
        #expect(GeoPackageWriter.blobs(of: shapes, srsID: 25833).map { $0?.bytes }
                == shapes.map { $0.map { GeometryBlob($0, srsID: 25833).bytes } })
    }

    @Test func theSameTablesGiveTheSameFile() throws {
        let folder = FileManager.default.temporaryDirectory
        let a = folder.appendingPathComponent("g-\(UUID().uuidString).gpkg").path
        let b = folder.appendingPathComponent("g-\(UUID().uuidString).gpkg").path
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        try write(to: a)
        try write(to: b)
        #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b))
    }

    @Test func anExistingFileIsNotOverwrittenSilently() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("g-\(UUID().uuidString).gpkg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try write(to: path)
        let before = FileManager.default.contents(atPath: path)
        #expect(throws: OutputError.self) { try write(to: path) }
        #expect(FileManager.default.contents(atPath: path) == before, "not even its header is touched")
    }
}
