import AreaData
import Benchmark
import LinearAlgebra
import Spatial
import Statistics
import Synthetic

/// Spatial: queen weights from polygons, local Moran with 999 permutations, k-means, Ward with contiguity
/// (regions) and SKATER, on the synthetic city.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock], maxDuration: .seconds(3), maxIterations: 10)
    for areas in [542, 10_000, 100_000] {
        let city = try! SyntheticCity(areaCount: areas, seed: 1)
        let layer = GeometryLayer(coordinateSystem: .epsg(25833), areas: (0..<areas).map {
            AreaGeometry(id: city.areaIDs[$0], polygons: [city.polygon(of: $0)])
        })
        let values = city.values(in: .year(2024))
        let y = Array(values.column(3))
        let queen = SpatialWeights.contiguity(layer)
        let w = queen.rowStandardized()
        Benchmark("queen weights \(areas) polygons") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(SpatialWeights.contiguity(layer)) }
        }
        if areas <= 10_000 {
            Benchmark("local Moran 999 permutations \(areas) areas") { benchmark in
                for _ in benchmark.scaledIterations { blackHole(try LocalMoran(y, weights: w, permutations: 999, seed: 1)) }
            }
        }
        var features = Matrix(columns: [0, 2, 3].map { Array(values.column($0)) })
        try! features.standardizeColumns()
        Benchmark("k-means k = 8, 10 restarts, \(areas) × 3") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try KMeans(features, clusterCount: 8, restarts: 10, seed: 1)) }
        }
        Benchmark("regions (contiguity-constrained Ward) \(areas) areas") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try WardClustering(features, connectivity: queen).labels(clusterCount: 12))
            }
        }
        Benchmark("SKATER k = 12, \(areas) areas") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try Skater(features, weights: queen, regions: 12)) }
        }
    }
}
