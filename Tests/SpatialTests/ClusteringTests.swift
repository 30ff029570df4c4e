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

    /// Beyond the old limit of 2 000 rows (the nearest-neighbour chain holds only the n(n−1)/2 heights): 3 000 rows
    /// give scipy's heights (worst relative error reported) and scikit-learn's six clusters.
    @Test func wardOfThousandsOfRowsMatchesScipyAndScikitLearn() throws {
        let g = try FixtureValue.load("ward_large.json")
        let ward = try WardClustering(Matrix(g["x"].rows))
        let heights = ward.merges.map(\.height), expected = g["heights"].doubles
        let worst = zip(heights, expected).map { abs($0 - $1) / max(abs($1), 1e-300) }.max()!
        #expect(worst < 1e-9, "worst relative error of the heights: \(worst)")
        #expect(ward.merges.map { Double($0.size) } == g["sizes"].doubles)
        #expect(samePartition(try ward.labels(clusterCount: 6), g["labels6"].doubles.map { Int($0) }))
        #expect(WardClustering.unconstrainedLimit > 3_000)
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

/// SKATER against spopt (`Tests/Fixtures/regions.json`, squared Euclidean dissimilarity) and by hand.
@Suite struct SkaterTests {
    let f = try! FixtureValue.load("regions.json")

    func weights(_ lists: [[Int]]) throws -> SpatialWeights {
        let ids = lists.indices.map { String(format: "%04d", $0) }
        return try SpatialWeights.edges(ids: ids, lists.enumerated().flatMap { i, js in js.map { (ids[i], ids[$0], 1.0) } })
    }

    func samePartition(_ a: [Int], _ b: [Int]) -> Bool { ClusteringTests().samePartition(a, b) }

    func withinSS(_ x: Matrix, _ labels: [Int]) -> Double {
        var total = 0.0
        for c in Set(labels) {
            let members = labels.indices.filter { labels[$0] == c }
            for j in 0..<x.columns {
                let mean = members.reduce(0.0) { $0 + x[$1, j] } / Double(members.count)
                total += members.reduce(0.0) { $0 + (x[$1, j] - mean) * (x[$1, j] - mean) }
            }
        }
        return total
    }

    @Test(arguments: [(6, 1, "k6_floor0"), (8, 20, "k8_floor20")])
    func latticeRegionsMatchSpopt(_ k: Int, _ floor: Int, _ key: String) throws {
        let lattice = f["lattice"]
        let x = Matrix(lattice["x"].rows)
        let w = try weights(lattice["neighbours"].array.map { $0.doubles.map { Int($0) } })
        let skater = try Skater(x, weights: w, regions: k, minimumSize: floor)
        let expected = lattice[key]["labels"].doubles.map { Int($0) }
        #expect(samePartition(skater.labels, expected))
        #expect(Set(skater.labels).count == k && skater.cuts.count == k - 1)
        #expect(abs(skater.withinSS - lattice[key]["ssd"].double) < 1e-9 * lattice[key]["ssd"].double)
        #expect(abs(skater.withinSS - withinSS(x, skater.labels)) < 1e-9)
        for c in Set(skater.labels) { #expect(skater.labels.filter { $0 == c }.count >= floor) }
    }

    /// Berlin's planning areas (queen weights, the share of children under 6): spopt's regions.
    @Test func berlinRegionsMatchSpopt() throws {
        let real = try FixtureValue.load("real_spatial.json")
        let ids = real["ids"].array.map(\.string), keep = real["keep"].array.map(\.string)
        let index = Dictionary(uniqueKeysWithValues: keep.enumerated().map { ($1, $0) })
        let queen = real["queen"].array.map { $0.doubles.map { Int($0) } }
        let lists = keep.map { id in queen[ids.firstIndex(of: id)!].compactMap { index[ids[$0]] } }
        let y = Matrix(real["y"].doubles.map { [$0] })
        let k = Int(f["berlin"]["k_requested"].double) + Int(f["berlin"]["components"].double)
        let skater = try Skater(y, weights: try weights(lists), regions: k)
        #expect(samePartition(skater.labels, f["berlin"]["labels"].doubles.map { Int($0) }))
    }

    /// A path a–b–c–d with values 0, 0, 10, 10 splits between b and c; islands are regions of their own.
    @Test func handCasesAndRefusals() throws {
        let path = try weights([[1], [0, 2], [1, 3], [2], []])
        let x = Matrix([[0], [0], [10], [10], [5]])
        let two = try Skater(x, weights: path, regions: 3)
        #expect(two.labels == [0, 0, 1, 1, 2] && two.cuts.map { [$0.0, $0.1] } == [[1, 2]] && two.withinSS == 0)
        #expect(throws: SpatialError.self) { try Skater(x, weights: path, regions: 1) }  // two components
        #expect(throws: SpatialError.self) { try Skater(x, weights: path, regions: 4, minimumSize: 2) }
        #expect(throws: SpatialError.self) { try Skater(Matrix([[0], [.nan], [1], [2], [3]]), weights: path, regions: 2) }
        let again = try Skater(x, weights: path, regions: 4), same = try Skater(x, weights: path, regions: 4)
        #expect(Set(again.labels).count == 4 && again.labels == same.labels)
    }
}
