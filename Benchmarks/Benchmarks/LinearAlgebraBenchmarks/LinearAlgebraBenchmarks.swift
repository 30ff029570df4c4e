import Benchmark
import LinearAlgebra
import Statistics

/// Linear algebra and moments: dgemm (GFLOP/s) and column standardisation (GB/s). Rates are derived from the reported median
/// wall-clock time: gemm does 2n³ flops; standardisation reads the matrix three times and writes it once.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(5),
                                           maxIterations: 50)

    for n in [500, 2000] {
        let a = randomMatrix(rows: n, columns: n, seed: 1)
        let b = randomMatrix(rows: n, columns: n, seed: 2)
        Benchmark("dgemm n=\(n) (\(2 * n * n * n / 1_000_000) Mflop)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(a * b) }
        }
    }

    for rows in [542, 1_000_000] {
        let x = randomMatrix(rows: rows, columns: 10, seed: 3)
        // In place: the matrix is standardised again and again (z of z is z), so no allocation is measured.
        var work = x
        Benchmark("standardize in place \(rows)×10 (\(rows * 10 * 8 / 1_000_000) MB)") { benchmark in
            for _ in benchmark.scaledIterations { try work.standardizeColumns(ddof: 0) }
            blackHole(work)
        }
        Benchmark("z-scores (new matrix) \(rows)×10") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try x.zScores(ddof: 0)) }
        }
    }
}

func randomMatrix(rows: Int, columns: Int, seed: UInt64) -> Matrix {
    var generator = RandomStream(seed: seed)
    return Matrix(rows: rows, columns: columns, columnMajor: (0..<(rows * columns)).map { _ in generator.uniform() })
}
