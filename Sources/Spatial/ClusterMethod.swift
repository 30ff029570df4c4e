/// A clustering method, by its name in the config (`[clusters] methods`) and in `clusters.csv`.
public enum ClusterMethod: String, Sendable, Encodable, CaseIterable {
    /// k-means with restarts (not spatially constrained).
    case kmeans
    /// Unconstrained Ward (all pairs by the nearest-neighbour chain; at most `WardClustering.unconstrainedLimit` areas).
    case ward
    /// Ward constrained to neighbours: contiguous regions.
    case regions
    /// SKATER: cuts of the minimum spanning tree of the neighbours.
    case skater
    /// max-p regions: as many contiguous regions as reach a floor (`MaxPRegions`); k is found, not given.
    case maxP = "max-p"
}
