// swift-tools-version: 6.1
// The benchmarks are their own package so that their dependencies never reach users of sozmon.
import Foundation
import PackageDescription

/// SwiftPM names a package that is given by path after its folder, so sozmon's is called like the checkout
/// (`sozmon`, `main`, …).
let sozmon = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

/// One ordo-one benchmark suite (an executable in Benchmarks/NAME) using the given sozmon libraries.
func suite(_ name: String, _ libraries: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "benchmark")]
            + libraries.map { .product(name: $0, package: sozmon) },
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let package = Package(
    name: "sozmon-benchmarks",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        suite("LinearAlgebraBenchmarks", ["LinearAlgebra", "Statistics"]),  // the public part: standardisation
        suite("IOBenchmarks", ["SozmonIO", "AreaData", "Synthetic"]),
        suite("IndicatorBenchmarks", ["Indicators", "LinearAlgebra", "Statistics", "Synthetic", "AreaData"]),
        suite("TrendBenchmarks", ["Trends", "LinearAlgebra", "Statistics"]),
        suite("SpatialBenchmarks", ["Spatial", "LinearAlgebra", "Statistics", "Synthetic", "AreaData"]),
    ],
    swiftLanguageModes: [.v6]
)
