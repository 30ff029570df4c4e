import AreaData
import Foundation
import LinearAlgebra
import Spatial
import SozmonIO
import TestSupport
import Testing

/// Clustering against scikit-learn and scipy (`Tests/Fixtures/spatial_statistics.json`).
@Suite struct ClusteringTests {
    let f = try! FixtureValue.load("spatial_statistics.json")

    /// The same partition, whatever the cluster numbers: compare the co-membership of all pairs.
    func samePartition(_ a: [Int], _ b: [Int]) -> Bool {
        guard a.count == b.count else { return false }
        var map: [Int: Int] = [:], back: [Int: Int] = [:]
        for (x, y) in zip(a, b) {
            if let m = map[x], m != y { return false }
            if let m = back[y], m != x { return false }
            map[x] = y; back[y] = x
        }
        return true
    }

    @Test func kMeansFindsTheScikitLearnPartition() throws {
        let blobs = Matrix(f["blobs"]["x"].rows)
        let result = try KMeans(blobs, clusterCount: 4, restarts: 10, seed: 7)
        #expect(samePartition(result.labels, f["blobs"]["labels"].doubles.map { Int($0) }))
        #expect(WorstError([result.inertia], [f["blobs"]["inertia"].double]).error < 1e-9)
        let quality = try ClusterQuality(blobs, labels: result.labels)
        #expect(WorstError([quality.withinSumOfSquares, quality.calinskiHarabasz, quality.silhouette],
                           [f["blobs"]["inertia"].double, f["blobs"]["calinski_harabasz"].double,
                            f["blobs"]["silhouette"].double]).error < 1e-9)
        // Seeded: the same seed gives the same labels; labels are numbered in order of first appearance.
        let again = try KMeans(blobs, clusterCount: 4, restarts: 10, seed: 7)
        #expect(again.labels == result.labels && result.labels[0] == 0)
    }

    @Test func kMeansRefusesWhatCannotBe() {
        #expect(throws: SpatialError.self) { try KMeans(Matrix([[1], [2]]), clusterCount: 3) }
        #expect(throws: SpatialError.self) { try KMeans(Matrix([[1], [1], [1]]), clusterCount: 2) }
        #expect(throws: SpatialError.self) { try KMeans(Matrix([[1], [.nan]]), clusterCount: 1) }
    }

    @Test func wardMatchesScipy() throws {
        let ward = try WardClustering(Matrix(f["ward"]["x"].rows))
        #expect(WorstError(ward.merges.map(\.height), f["ward"]["heights"].doubles).error < 1e-10)
        #expect(ward.merges.map { Double($0.size) } == f["ward"]["sizes"].doubles)
        #expect(samePartition(try ward.labels(clusterCount: 4), f["ward"]["labels4"].doubles.map { Int($0) }))
    }

    @Test func contiguityConstrainedWardMatchesScikitLearn() throws {
        let folder = FixtureValue.folder.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("datasets/synthetic-berlin")
        let layer = try GeoJSON.read(folder.appendingPathComponent("planungsraeume.geojson"), idProperty: "PLR_ID").layer
        let queen = SpatialWeights.contiguity(layer)
        let features = Matrix(f["city"]["features"].rows)
        let ward = try WardClustering(features, connectivity: queen)
        let labels = try ward.labels(clusterCount: 12)
        #expect(samePartition(labels, f["city"]["constrained_ward12"].doubles.map { Int($0) }))
        // Every region is contiguous.
        for region in Set(labels) {
            let members = Set(labels.indices.filter { labels[$0] == region })
            var reached: Set<Int> = [members.first!], stack = [members.first!]
            while let i = stack.popLast() {
                for j in queen.neighbours[i] where members.contains(j) && reached.insert(j).inserted { stack.append(j) }
            }
            #expect(reached == members, "region \(region) is contiguous")
        }
    }
}

@Suite struct CompareKTests {
    @Test func qualityPeaksAtTheTrueNumberOfClusters() throws {
        let blobs = Matrix(try FixtureValue.load("spatial_statistics.json")["blobs"]["x"].rows)
        let rows = try KMeans.compare(blobs, clusterCounts: 2...7, seed: 3)
        #expect(rows.map(\.k) == Array(2...7))
        let best = rows.max { $0.quality.calinskiHarabasz < $1.quality.calinskiHarabasz }!
        #expect(best.k == 4, "four blobs")
        #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.quality.withinSumOfSquares >= $1.quality.withinSumOfSquares - 1e-9 })
    }
}
