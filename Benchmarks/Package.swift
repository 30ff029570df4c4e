// swift-tools-version: 6.1
// The benchmarks are their own package so that their dependencies never reach users of sozmon.
import PackageDescription

let package = Package(
    name: "sozmon-benchmarks",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Times sozmon's operations on given files and prints JSON, for compare.sh (side by side with the peers).
        .executableTarget(
            name: "SozmonTimings",
            dependencies: [
                .product(name: "LinearAlgebra", package: "main"),
                .product(name: "Statistics", package: "main"),
                .product(name: "Indicators", package: "main"),
                .product(name: "SozmonIO", package: "main"),
                .product(name: "AreaData", package: "main"),
                .product(name: "Trends", package: "main"),
                .product(name: "Spatial", package: "main"),
            ],
            path: "Sources/SozmonTimings"
        ),
        .executableTarget(
            name: "LinearAlgebraBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LinearAlgebra", package: "main"),
                .product(name: "Statistics", package: "main"),
            ],
            path: "Benchmarks/LinearAlgebraBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "IOBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SozmonIO", package: "main"),
                .product(name: "AreaData", package: "main"),
                .product(name: "Synthetic", package: "main"),
            ],
            path: "Benchmarks/IOBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "IndicatorBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Indicators", package: "main"),
                .product(name: "LinearAlgebra", package: "main"),
                .product(name: "Statistics", package: "main"),
                .product(name: "Synthetic", package: "main"),
                .product(name: "AreaData", package: "main"),
            ],
            path: "Benchmarks/IndicatorBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "TrendBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Trends", package: "main"),
                .product(name: "LinearAlgebra", package: "main"),
                .product(name: "Statistics", package: "main"),
            ],
            path: "Benchmarks/TrendBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "SpatialBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Spatial", package: "main"),
                .product(name: "LinearAlgebra", package: "main"),
                .product(name: "Statistics", package: "main"),
                .product(name: "Synthetic", package: "main"),
                .product(name: "AreaData", package: "main"),
            ],
            path: "Benchmarks/SpatialBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
