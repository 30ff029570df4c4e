import SozmonIO

/// Comparable areas (`[similar]`) as published: `tables/similar.csv`, one row per area and rank.
public struct SimilarReport: Sendable {
    public let areaIDs: [String]
    /// Per area, its most similar areas (row numbers) and their distances, nearest first.
    public let neighbours: [[Int]]
    public let distances: [[Double]]
    /// What the distance is between, for the pages: "S1, S3, S4 (euclidean)".
    public let basis: String

    public init(areaIDs: [String], neighbours: [[Int]], distances: [[Double]], basis: String) {
        self.areaIDs = areaIDs; self.neighbours = neighbours; self.distances = distances; self.basis = basis
    }

    /// `similar.csv`: area_id, rank (1 = most similar), similar_id, distance.
    public func table() -> Table {
        var table = Table(name: "similar", columns: ["area_id", "rank", "similar_id", "distance"],
                          roles: ["area_id": .areaID, "similar_id": .relatedArea])
        for (i, list) in neighbours.enumerated() {
            for (rank, (j, d)) in zip(list, distances[i]).enumerated() {
                table.append([.text(areaIDs[i]), .integer(rank + 1), .text(areaIDs[j]), .number(d)])
            }
        }
        return table
    }
}
