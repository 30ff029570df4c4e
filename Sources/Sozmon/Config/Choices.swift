import AreaData
import Trends

/// How `[spatial] weights` makes the neighbours of each area.
public enum WeightsKind: String, Sendable, Encodable, CaseIterable {
    /// Areas sharing a boundary point (polygons).
    case queen
    /// Areas sharing a boundary segment (polygons).
    case rook
    /// The `k` nearest centroids.
    case knn
    /// Centroids within `distance` metres.
    case distance
    /// The pairs of `input.neighbours`.
    case neighbours
    /// A GeoDa `.gal` or `.gwt` file (`weights_file`), e.g. made in GeoDa or PySAL.
    case file
}

/// `[spatial] transform`: the weights as they are (1 per neighbour) or each row summing to 1.
public enum WeightsTransform: String, Sendable, Encodable, CaseIterable {
    case rowStandardized = "row-standardized"
    case binary
}

/// `[supply] method`: where a facility's capacity counts.
public enum SupplyMethod: String, Sendable, Encodable, CaseIterable {
    /// In the area it stands in.
    case area
    /// Within `radius` of it: two-step floating catchment (Luo & Wang 2003).
    case twoStep = "2sfca"
    /// The same with Gaussian distance decay (Luo & Qi 2009).
    case enhancedTwoStep = "e2sfca"
}

/// `[locate] problem`.
public enum LocationKind: String, Sendable, Encodable, CaseIterable {
    /// Maximal covering: the most demand within `radius` of `sites` new sites.
    case maximalCovering = "mclp"
    /// p-median: the least demand-weighted distance to the nearest site.
    case pMedian = "p-median"
    /// Location set covering: the fewest new sites so that every demand area is within `radius` of one.
    case setCovering = "lscp"
}

/// `[locate] demand`.
public enum LocateDemand: String, Sendable, Encodable, CaseIterable {
    case highNeed = "high-need"
    case all
}

/// `[locate] method`: exact (GLPK), the heuristic, or exact up to a size and the heuristic beyond.
public enum LocateMethod: String, Sendable, Encodable, CaseIterable {
    case auto, exact, heuristic
}

/// `[report] geojson_crs`: the coordinates of `results.geojson`.
public enum GeoJSONCoordinates: String, Sendable, Encodable, CaseIterable {
    /// WGS84 longitude/latitude, RFC 7946's only system (ETRS89/UTM geometries are unprojected).
    case wgs84 = "EPSG:4326"
    /// As `input.geometry` has them (a projected file keeps its system, named in a `crs` member).
    case input
}

/// A format of `[report] formats`: CSV tables (always written), the workbook, the HTML report, GeoJSON, and the
/// GeoPackage for QGIS.
public enum ReportFormat: String, Sendable, Encodable, CaseIterable {
    case csv, xlsx, html, geojson, gpkg
    /// Every table as `parquet/<table>.parquet` (typed columns, ids as text), for pandas, DuckDB, polars, Dask.
    case parquet
    /// The weights of `[spatial]` as GeoDa files, `weights.gal` and `weights.gwt`.
    case gal
}

/// `[[index]] winsorize`: outlier treatment of the indicators before they are normalised.
public enum OutlierTreatment: String, Sendable, Encodable, CaseIterable {
    case none
    /// COINr's default: winsorise up to `winsorize_max` points while |skewness| > 2 and kurtosis > 3.5.
    case coinr
}

/// `[[index]] normalization`: how each indicator is made comparable before the indicators are combined.
public enum IndexNormalization: String, Sendable, Encodable, CaseIterable {
    /// z-scores (`ddof` 0 or 1), MSS's choice.
    case z
    /// z-scores with population weights.
    case zWeighted = "z-weighted"
    case minMax = "min-max"
    case percentileRank = "percentile-rank"
    /// (x − median) / (1.4826 · MAD).
    case robustZ = "robust-z"
}

/// `[[index]] classes`: the class scheme of an index's values, or none.
public enum IndexClasses: String, Sendable, Encodable, CaseIterable {
    case mssStatus = "mss-status"
    case mssDynamik = "mss-dynamik"
    case unclassified = "none"
}

/// `frequency` of a section that names a table: the coarser frequency its periods are brought to.
public enum ResamplingFrequency: String, Sendable, Encodable, CaseIterable {
    case quarterly
    case halfYearly = "half-yearly"
    case annual

    var frequency: Period.Frequency {
        switch self {
        case .quarterly: .quarterly
        case .halfYearly: .semiannual
        case .annual: .annual
        }
    }
}

/// `aggregate`: how the sub-periods make a period.
public enum ResamplingAggregate: String, Sendable, Encodable, CaseIterable {
    case mean, sum
    /// The end of the period (stocks, e.g. 31.12.).
    case last

    var rule: PeriodAggregation {
        switch self {
        case .mean: .mean
        case .sum: .sum
        case .last: .endOfPeriod
        }
    }
}

/// `incomplete`: what a period lacking one of its sub-periods gets.
public enum IncompletePeriods: String, Sendable, Encodable, CaseIterable {
    /// No value.
    case drop
    /// The mean (or the sum scaled to the whole period) of the sub-periods present.
    case keep
}

/// `[[index]] preset`: a published index whose class scheme the index takes by default.
public enum IndexPreset: String, Sendable, Encodable, CaseIterable {
    case mssStatus = "mss-status"
    case mssDynamik = "mss-dynamik"

    var classes: IndexClasses {
        switch self {
        case .mssStatus: .mssStatus
        case .mssDynamik: .mssDynamik
        }
    }
}

/// `[combined] preset`: how two classed indices are crossed (MSS: 4 status × 3 dynamics classes).
public enum CombinedPreset: String, Sendable, Encodable, CaseIterable {
    case mss
}

/// `[supply] crs`: the coordinate system of facility coordinates.
public enum FacilityCoordinates: String, Sendable, Encodable, CaseIterable {
    /// Longitude and latitude (WGS 84).
    case wgs84 = "EPSG:4326"
    /// ETRS89 / UTM zone 32N (western Germany, e.g. Köln, Hamburg).
    case utm32 = "EPSG:25832"
    /// ETRS89 / UTM zone 33N (eastern Germany, e.g. Berlin).
    case utm33 = "EPSG:25833"

    var epsg: Int { Int(rawValue.dropFirst(5))! }
}
