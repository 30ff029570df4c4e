import Benchmark
import LinearAlgebra
import Trends

/// Trends over 40 quarters: batched OLS for many series, Mann–Kendall and Theil–Sen per series.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock], maxDuration: .seconds(3), maxIterations: 20)
    let periods = 40
    let times = (0..<periods).map { 2015 + Double($0) / 4 }
    for series in [542, 10_000, 100_000] {
        var y = Matrix(rows: periods, columns: series)
        for s in 0..<series { for t in 0..<periods { y[t, s] = Double((s * 7919 + t * 104_729) % 1_000_003) / 1_000_003 + 0.01 * Double(t) } }
        Benchmark("OLS trends \(series) series × 40") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try OLSTrend.fitColumns(times: times, values: y)) }
        }
        guard series <= 10_000 else { continue }  // O(T²) per series: 10⁴ series show the rate
        let columns = (0..<series).map { Array(y.column($0)) }
        Benchmark("Mann-Kendall + Theil-Sen \(columns.count) series × 40") { benchmark in
            for _ in benchmark.scaledIterations {
                for column in columns { blackHole(try MannKendall(column)); blackHole(try TheilSen(times: times, values: column)) }
            }
        }
    }
}
