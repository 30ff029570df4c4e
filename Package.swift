// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "sozmon",
    products: [
        // For programs: configure a run (from a file or in code), run it, read its results (DocC: scripts/api-docs).
        .library(name: "Sozmon", targets: ["Sozmon"]),
        .executable(name: "sozmon", targets: ["SozmonCLI"]),
        // For researchers and the benchmark package (Benchmarks/, a package of its own so that its dependencies never
        // reach users): the numerical kernels, the panel type they take, the readers and the seeded generator.
        // Their APIs follow the methods (docs/methods.md), not a promise of stability.
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .library(name: "Statistics", targets: ["Statistics"]),
        .library(name: "AreaData", targets: ["AreaData"]),
        .library(name: "Indicators", targets: ["Indicators"]),
        .library(name: "Trends", targets: ["Trends"]),
        .library(name: "Spatial", targets: ["Spatial"]),
        .library(name: "SozmonIO", targets: ["SozmonIO"]),
        .library(name: "Synthetic", targets: ["Synthetic"]),
        .library(name: "LocationAllocation", targets: ["LocationAllocation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        // `swift package generate-documentation --target Sozmon`: the library's API documentation (DocC).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // The one door to C: cblas.h and lapacke.h from OpenBLAS and LAPACKE (Debian: libopenblas-dev, liblapacke-dev).
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS"]),
        .target(name: "Statistics", dependencies: ["LinearAlgebra"]),
        .target(name: "AreaData", dependencies: ["LinearAlgebra"]),
        .target(name: "Indicators", dependencies: ["AreaData", "Statistics", "LinearAlgebra"]),
        .target(name: "Trends", dependencies: ["AreaData", "Statistics", "LinearAlgebra"]),
        .target(name: "Spatial", dependencies: ["AreaData", "Statistics", "Trends", "LinearAlgebra"]),
        // The one door to zlib (Debian: zlib1g-dev): deflate and CRC-32 for the workbook's ZIP archive.
        .systemLibrary(name: "CDeflate", path: "Sources/CDeflate"),
        .target(name: "ZipArchive", dependencies: ["CDeflate"]),
        // SHA-256 from swift-crypto (8 times the plain-Swift speed, measured; see SHA256.swift).
        .target(name: "SozmonIO", dependencies: ["AreaData", "ZipArchive", .product(name: "Crypto", package: "swift-crypto")]),
        // The one door to SQLite (Debian: libsqlite3-dev): the GeoPackage writer.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .target(name: "GeoPackage", dependencies: ["CSQLite", "AreaData", "SozmonIO"]),
        // Parquet written by hand (no Parquet library among the allowed packages): PLAIN and dictionary, uncompressed.
        .target(name: "Parquet", dependencies: ["SozmonIO"]),
        // The one door to GLPK (Debian: libglpk-dev): integer programs for the location problems.
        .systemLibrary(name: "CGLPK", path: "Sources/CGLPK"),
        .target(name: "IntegerProgramming", dependencies: ["CGLPK"]),
        .target(name: "LocationAllocation", dependencies: ["IntegerProgramming", "AreaData", "LinearAlgebra"]),
        .target(name: "Reporting", dependencies: ["AreaData", "Indicators", "Trends", "Spatial", "Statistics", "LinearAlgebra", "SozmonIO"]),
        .target(name: "Synthetic", dependencies: ["AreaData", "Statistics", "LinearAlgebra"]),
        .target(name: "Sozmon", dependencies: [
            "AreaData", "Indicators", "Reporting", "SozmonIO", "GeoPackage", "Parquet", "Trends", "Synthetic", "Statistics",
            "LinearAlgebra", "Spatial", "LocationAllocation",
        ]),
        .executableTarget(
            name: "SozmonCLI",
            // The command line sees only the library product's API (the pipeline), never the modules beneath it.
            dependencies: ["Sozmon", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Times sozmon's operations, kernels included, on given files and prints JSON, for Benchmarks/compare.sh (side by
        // side with the peers); not part of the product.
        .executableTarget(name: "SozmonTimings", dependencies: [
            "LinearAlgebra", "Statistics", "Indicators", "SozmonIO", "AreaData", "Trends", "Spatial", "LocationAllocation",
        ]),
        // A seeded mutation fuzzer for the readers (README: "Fuzzing"); not part of the product.
        .executableTarget(name: "SozmonFuzz", dependencies: ["Sozmon", "SozmonIO", "AreaData", "Statistics"]),

        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "TestSupport"]),
        .testTarget(name: "AreaDataTests", dependencies: ["AreaData", "TestSupport"]),
        .testTarget(name: "SpatialTests", dependencies: ["Spatial", "AreaData", "SozmonIO", "Statistics", "TestSupport"]),
        .testTarget(name: "IndicatorsTests", dependencies: ["Indicators", "AreaData", "Statistics", "LinearAlgebra", "TestSupport"]),
        .testTarget(name: "TrendsTests", dependencies: ["Trends", "AreaData", "Statistics", "LinearAlgebra", "SozmonIO", "TestSupport"]),
        .testTarget(name: "SyntheticTests", dependencies: ["Synthetic", "AreaData", "Statistics", "LinearAlgebra"]),
        .testTarget(name: "SozmonTests", dependencies: [
            "Sozmon", "SozmonCLI", "SozmonIO", "AreaData", "Trends", "Reporting", "GeoPackage", "Spatial", "TestSupport",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .testTarget(name: "GeoPackageTests", dependencies: ["GeoPackage", "SozmonIO", "AreaData"]),
        .testTarget(name: "LocationAllocationTests", dependencies: ["LocationAllocation", "IntegerProgramming", "AreaData", "TestSupport"]),
        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "SozmonIO"]),
        .testTarget(name: "SozmonIOTests", dependencies: [
            "SozmonIO", "ZipArchive", "AreaData", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
