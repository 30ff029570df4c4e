import Benchmark
import LinearAlgebra
import Statistics

/// Column standardisation (GB/s), from the reported median wall-clock time: it reads the matrix three times and writes
/// it once. (The BLAS kernels themselves are `package` API; compare.sh times them against numpy via SozmonTimings.)
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(5),
                                           maxIterations: 50)

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
