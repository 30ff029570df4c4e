import AreaData

/// A coordinate system as a row of `gpkg_spatial_ref_sys` (OGC 12-128r18 §1.1.2): its EPSG number and WKT.
struct SpatialReference {
    let id: Int32
    let name: String
    let definition: String

    init(_ system: CoordinateSystem) {
        switch system {
        case .wgs84:
            id = 4326
            name = "WGS 84 geodetic"
            definition = Self.wgs84
        case .epsg(let code) where (25828...25838).contains(code):
            let zone = code - 25800
            id = Int32(code)
            name = "ETRS89 / UTM zone \(zone)N"
            definition = "PROJCS[\"\(name)\",GEOGCS[\"ETRS89\",DATUM[\"European_Terrestrial_Reference_System_1989\","
                + "SPHEROID[\"GRS 1980\",6378137,298.257222101,AUTHORITY[\"EPSG\",\"7019\"]],TOWGS84[0,0,0,0,0,0,0],"
                + "AUTHORITY[\"EPSG\",\"6258\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],"
                + "UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AUTHORITY[\"EPSG\",\"4258\"]],"
                + "PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],"
                + "PARAMETER[\"central_meridian\",\(zone * 6 - 183)],PARAMETER[\"scale_factor\",0.9996],"
                + "PARAMETER[\"false_easting\",500000],PARAMETER[\"false_northing\",0],"
                + "UNIT[\"metre\",1,AUTHORITY[\"EPSG\",\"9001\"]],AXIS[\"Easting\",EAST],AXIS[\"Northing\",NORTH],"
                + "AUTHORITY[\"EPSG\",\"\(code)\"]]"
        case .epsg(let code):
            // Another EPSG system: its number (GIS tools look it up); the WKT is not known here.
            id = Int32(clamping: code)
            name = "EPSG:\(code)"
            definition = "undefined"
        }
    }

    static let wgs84 = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,"
        + "AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],"
        + "UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],"
        + "AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]"
}
