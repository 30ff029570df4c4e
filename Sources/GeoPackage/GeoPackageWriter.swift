import AreaData
import Foundation
import SozmonIO
import Synchronization

/// Writes an OGC GeoPackage 1.3 (OGC 12-128r18), QGIS's own format: feature layers (MultiPolygons in the data's
/// coordinate system, with an R-tree spatial index) and attribute tables, every column typed (REAL, INTEGER,
/// TEXT, BOOLEAN), and QGIS styles in `layer_styles` so that a layer opens coloured.
///
/// A suppressed count (disclosure control's `.`) is NULL, with a BOOLEAN column `<column>_suppressed` beside it,
/// so that the column stays numeric. The file is the same for the same tables: no clock enters it.
public final class GeoPackageWriter {
    /// One class of a categorised style: the cell's text (nil: no class), the legend's label and its colour.
    public struct Category: Sendable {
        public var value: String?
        public var label: String
        /// `#rrggbb`.
        public var colour: String
        public init(value: String?, label: String, colour: String) {
            self.value = value; self.label = label; self.colour = colour
        }
    }

    /// A QGIS style of a layer: its areas coloured by the categories of one column (or a QGIS expression).
    public struct Style: Sendable {
        public var name: String
        public var column: String
        public var categories: [Category]
        public init(name: String, column: String, categories: [Category]) {
            self.name = name; self.column = column; self.categories = categories
        }
    }

    /// When the file's tables say they were last changed (fixed: the same tables give the same bytes).
    static let lastChange = "2000-01-01T00:00:00.000Z"

    private let database: SQLiteDatabase
    private let reference: SpatialReference
    private let path: String
    private let suppressedSymbol: String

    /// Creates the file at `path` (which must not exist) with GeoPackage's own tables.
    /// - Parameter suppressedSymbol: the text of a suppressed cell (disclosure control's `.`).
    public init(path: String, coordinateSystem: CoordinateSystem, suppressedSymbol: String = ".") throws(OutputError) {
        self.path = path
        self.suppressedSymbol = suppressedSymbol
        reference = SpatialReference(coordinateSystem)
        guard !FileManager.default.fileExists(atPath: path) else {
            throw OutputError(path: path, message: "cannot write the GeoPackage: the file exists already")
        }
        do {
            database = try SQLiteDatabase(creating: path)
            try database.execute("""
                PRAGMA application_id = 1196444487; PRAGMA user_version = 10300; PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF; BEGIN;
                CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
                  organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
                  description TEXT);
                CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
                  identifier TEXT UNIQUE, description TEXT DEFAULT '',
                  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
                  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
                CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
                  geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
                  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
                  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
                  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
                  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
                CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
                  definition TEXT NOT NULL, scope TEXT NOT NULL,
                  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
                CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256),
                  f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30),
                  styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),
                  update_time DATETIME);
                INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)
                  VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS styles', '\(Self.lastChange)');
                """)
            let systems = try database.prepare("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)")
            try systems.run([.text("Undefined cartesian SRS"), .integer(-1), .text("NONE"), .integer(-1), .text("undefined"),
                             .text("undefined cartesian coordinate reference system")])
            try systems.run([.text("Undefined geographic SRS"), .integer(0), .text("NONE"), .integer(0), .text("undefined"),
                             .text("undefined geographic coordinate reference system")])
            try systems.run([.text("WGS 84 geodetic"), .integer(4326), .text("EPSG"), .integer(4326),
                             .text(SpatialReference.wgs84), .text("longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid")])
            if reference.id != 4326 {
                try systems.run([.text(reference.name), .integer(Int64(reference.id)), .text("EPSG"),
                                 .integer(Int64(reference.id)), .text(reference.definition), .null])
            }
        } catch {
            throw OutputError(path: path, writing: error, action: "cannot write the GeoPackage")
        }
    }

    /// A feature layer: `table`'s rows with the polygons `geometry` gives for the text of its first column (the area
    /// or unit id; rows without polygons have no geometry), and its styles (the first is QGIS's default).
    public func addLayer(_ table: Table, geometry: (String) -> [Polygon]?, styles: [Style] = []) throws(OutputError) {
        let shapes = table.column(0).map { cell -> [Polygon]? in
            guard case .text(let id) = cell, let polygons = geometry(id), !polygons.isEmpty else { return nil }
            return polygons
        }
        try addFeatures(table, blobs: Self.blobs(of: shapes, srsID: reference.id), type: "MULTIPOLYGON", styles: styles)
    }

    /// The blobs of `shapes`, made on all cores in chunks (the same bytes for any number of threads).
    static func blobs(of shapes: [[Polygon]?], srsID: Int32) -> [GeometryBlob?] {
        let chunks = min(shapes.count, 64)
        let parts = Mutex([[GeometryBlob?]](repeating: [], count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let part = shapes[(c * shapes.count / chunks)..<((c + 1) * shapes.count / chunks)].map {
                $0.map { GeometryBlob($0, srsID: srsID) }
            }
            parts.withLock { $0[c] = part }
        }
        return parts.withLock { $0.flatMap { $0 } }
    }

    /// A point layer: row `r` of `table` at `points[r]` (no geometry where nil).
    public func addPointLayer(_ table: Table, points: [Point?]) throws(OutputError) {
        try addFeatures(table, blobs: points.map { $0.map { GeometryBlob(point: $0, srsID: reference.id) } }, type: "POINT",
                        styles: [])
    }

    private func addFeatures(_ table: Table, blobs: [GeometryBlob?], type: String, styles: [Style]) throws(OutputError) {
        do {
            try insert(table, blobs: blobs, type: type)
            let present = blobs.compactMap { $0 }
            let name = table.name
            try database.prepare("""
                INSERT INTO gpkg_contents (table_name, data_type, identifier, last_change, min_x, min_y, max_x, max_y, srs_id)
                VALUES (?, 'features', ?, '\(Self.lastChange)', ?, ?, ?, ?, ?)
                """).run([.text(name), .text(name), .real(present.map(\.minX).min() ?? 0), .real(present.map(\.minY).min() ?? 0),
                          .real(present.map(\.maxX).max() ?? 0), .real(present.map(\.maxY).max() ?? 0),
                          .integer(Int64(reference.id))])
            try database.prepare("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', '\(type)', ?, 0, 0)")
                .run([.text(name), .integer(Int64(reference.id))])
            try spatialIndex(name, blobs: blobs)
            let insertStyle = try database.prepare("""
                INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName,
                  styleQML, styleSLD, useAsDefault, description, owner, ui, update_time)
                VALUES ('', '', ?, 'geom', ?, ?, '', ?, ?, '', NULL, '\(Self.lastChange)')
                """)
            for (k, style) in styles.enumerated() {
                try insertStyle.run([.text(name), .text(style.name), .text(LayerStyleQML.categorised(style)),
                                     .integer(k == 0 ? 1 : 0), .text("\(style.name): \(style.column)")])
            }
        } catch let error as OutputError {
            throw error
        } catch {
            throw OutputError(path: path, writing: error, action: "cannot write layer \(table.name) of the GeoPackage")
        }
    }

    /// An attribute table (no geometry).
    public func addTable(_ table: Table) throws(OutputError) {
        do {
            try insert(table, blobs: nil)
            try database.prepare("""
                INSERT INTO gpkg_contents (table_name, data_type, identifier, last_change) VALUES (?, 'attributes', ?, '\(Self.lastChange)')
                """).run([.text(table.name), .text(table.name)])
        } catch {
            throw OutputError(path: path, writing: error, action: "cannot write table \(table.name) of the GeoPackage")
        }
    }

    /// Commits everything and closes the file.
    public func finish() throws(OutputError) {
        do {
            try database.execute("COMMIT;")
            try database.close()
        } catch {
            throw OutputError(path: path, writing: error, action: "cannot write the GeoPackage")
        }
    }

    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Creates the table with typed columns (and `geom` when `blobs` are given) and inserts its rows.
    private func insert(_ table: Table, blobs: [GeometryBlob?]?, type: String = "") throws {
        let columns = table.columns.indices.map { ColumnType(table, column: $0, suppressed: suppressedSymbol) }
        var definitions = ["fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL"]
        if blobs != nil { definitions.append("geom \(type)") }
        for (name, type) in zip(table.columns, columns) {
            definitions.append("\(Self.quoted(name)) \(type.sql)")
            if type.hasSuppressed { definitions.append("\(Self.quoted(name + "_suppressed")) BOOLEAN") }
        }
        try database.execute("CREATE TABLE \(Self.quoted(table.name)) (\(definitions.joined(separator: ", ")));")
        let placeholders = Array(repeating: "?", count: definitions.count - 1).joined(separator: ", ")
        let statement = try database.prepare("INSERT INTO \(Self.quoted(table.name)) VALUES (NULL, \(placeholders))")
        var r = 0
        try table.forEachRow { block, stored in
            var position: Int32 = 1
            if let blobs {
                try statement.bind(blobs[r].map { .blob($0.bytes) } ?? .null, at: position)
                position += 1
            }
            for (j, type) in columns.enumerated() {
                let cell = block.columns[j][stored]
                try statement.bind(type.value(cell), at: position)
                position += 1
                if type.hasSuppressed {
                    try statement.bind(.integer(cell == .text(suppressedSymbol) ? 1 : 0), at: position)
                    position += 1
                }
            }
            try statement.step()
            r += 1
        }
    }

    /// The R-tree of a layer's bounding boxes, registered as the `gpkg_rtree_index` extension, with the triggers
    /// that keep it right when a GIS edits the layer (F.3).
    private func spatialIndex(_ table: String, blobs: [GeometryBlob?]) throws {
        let t = Self.quoted(table), rtree = "rtree_\(table)_geom", r = Self.quoted(rtree)
        try database.execute("CREATE VIRTUAL TABLE \(r) USING rtree(id, minx, maxx, miny, maxy);")
        let insert = try database.prepare("INSERT INTO \(r) VALUES (?, ?, ?, ?, ?)")
        for (k, blob) in blobs.enumerated() {
            guard let blob else { continue }
            try insert.run([.integer(Int64(k + 1)), .real(blob.minX), .real(blob.maxX), .real(blob.minY), .real(blob.maxY)])
        }
        let box = "NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)"
        let present = "(NEW.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))", absent = "(NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))"
        let name = { (suffix: String) in Self.quoted("\(rtree)_\(suffix)") }
        try database.execute("""
            INSERT INTO gpkg_extensions VALUES ('\(table)', 'geom', 'gpkg_rtree_index',
              'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
            CREATE TRIGGER \(name("insert")) AFTER INSERT ON \(t) WHEN \(present)
              BEGIN INSERT OR REPLACE INTO \(r) VALUES (\(box)); END;
            CREATE TRIGGER \(name("update1")) AFTER UPDATE OF geom ON \(t) WHEN OLD.fid = NEW.fid AND \(present)
              BEGIN INSERT OR REPLACE INTO \(r) VALUES (\(box)); END;
            CREATE TRIGGER \(name("update2")) AFTER UPDATE OF geom ON \(t) WHEN OLD.fid = NEW.fid AND \(absent)
              BEGIN DELETE FROM \(r) WHERE id = OLD.fid; END;
            CREATE TRIGGER \(name("update3")) AFTER UPDATE ON \(t) WHEN OLD.fid != NEW.fid AND \(present)
              BEGIN DELETE FROM \(r) WHERE id = OLD.fid; INSERT OR REPLACE INTO \(r) VALUES (\(box)); END;
            CREATE TRIGGER \(name("update4")) AFTER UPDATE ON \(t) WHEN OLD.fid != NEW.fid AND \(absent)
              BEGIN DELETE FROM \(r) WHERE id IN (OLD.fid, NEW.fid); END;
            CREATE TRIGGER \(name("delete")) AFTER DELETE ON \(t) WHEN OLD.geom NOT NULL
              BEGIN DELETE FROM \(r) WHERE id = OLD.fid; END;
            """)
    }
}
