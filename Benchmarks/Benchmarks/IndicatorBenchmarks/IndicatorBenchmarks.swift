import Benchmark
import Indicators
import LinearAlgebra
import Statistics
import Synthetic

/// The MSS status index (z → sum → z → classes) and the diagnostics, at 542 to 10⁶ areas.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock], maxDuration: .seconds(3), maxIterations: 50)
    for areas in [542, 10_000, 1_000_000] {
        let city = try! SyntheticCity(areaCount: areas, seed: 1)
        let all = city.values(in: .year(2024))
        let values = Matrix(columns: [0, 2, 3].map { Array(all.column($0)) })
        let eligible = city.population(in: .year(2024)).map { $0 >= 300 }
        let definition = IndexDefinition.mssStatus(indicators: ["S1", "S3", "S4"])
        Benchmark("MSS status index \(areas) areas") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try definition.compute(values: values, eligible: eligible)) }
        }
        Benchmark("diagnostics (correlation, alpha, PCA) \(areas) × 8") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try IndicatorDiagnostics(values: all)) }
        }
    }
}
