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
}

/// `[spatial] transform`: the weights as they are (1 per neighbour) or each row summing to 1.
public enum WeightsTransform: String, Sendable, Encodable, CaseIterable {
    case rowStandardized = "row-standardized"
    case binary
}

/// A format of `[report] formats`: CSV tables (always written), the workbook, the HTML report, GeoJSON.
public enum ReportFormat: String, Sendable, Encodable, CaseIterable {
    case csv, xlsx, html, geojson
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
