import Dispatch

/// The least-squares line of every column of a matrix (rows = periods, columns = series) against one shared,
/// centred regressor x (Σx = 0): intercept ȳ, slope `b = Σ x (y − ȳ) / Σ x²`, total and residual sums of squares
/// `TSS = Σ (y − ȳ)²`, `RSS = Σ (y − ȳ − b x)²`.
///
/// With a centred regressor the design `[1, x]` has orthogonal columns, so its QR factorisation is explicit
/// (`Q = [1/√n, x/‖x‖]`) and `Qᵀy` is two dot products. Each column is read from memory once: the three short
/// passes (mean; slope and TSS; RSS) run on the column while it is in the L1 cache, so the residuals are summed
/// exactly (two-pass), not as the cancellation-prone `TSS − b²Σx²`. A column with a NaN or an infinity gets NaN everywhere.
package struct ColumnRegression: Sendable {
    package var means: [Double]
    package var slopes: [Double]
    package var totalSumsOfSquares: [Double]
    package var residualSumsOfSquares: [Double]
}

extension Matrix {
    /// The regression of every column on `x` (one value per row, centred: Σx = 0, Σx² > 0).
    package func regressionOnCentred(_ x: [Double]) -> ColumnRegression {
        precondition(x.count == rows, "regressionOnCentred: \(x.count) regressor values for \(rows) rows")
        let n = rows, count = columns
        var result = ColumnRegression(means: .init(repeating: .nan, count: count), slopes: .init(repeating: .nan, count: count),
                                      totalSumsOfSquares: .init(repeating: .nan, count: count),
                                      residualSumsOfSquares: .init(repeating: .nan, count: count))
        guard n > 0 else { return result }
        let sxx = x.reduce(0) { $0 + $1 * $1 }
        let blocks = elements.count >= 1 << 18 ? min(count, 64) : 1
        elements.withUnsafeBufferPointer { storage in
        x.withUnsafeBufferPointer { xs in
        result.means.withUnsafeMutableBufferPointer { means in
        result.slopes.withUnsafeMutableBufferPointer { slopes in
        result.totalSumsOfSquares.withUnsafeMutableBufferPointer { tss in
        result.residualSumsOfSquares.withUnsafeMutableBufferPointer { rss in
            let shared = UncheckedSendable((storage, xs, means, slopes, tss, rss))
            DispatchQueue.concurrentPerform(iterations: blocks) { b in
                let (storage, xs, means, slopes, tss, rss) = shared.value
                for j in (b * count / blocks)..<((b + 1) * count / blocks) {
                    let y = UnsafeBufferPointer(rebasing: storage[(j * n)..<((j + 1) * n)])
                    // Four accumulators per sum break the add latency chain (a fixed order: same bits every run).
                    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                    var i = 0
                    while i + 4 <= n { s0 += y[i]; s1 += y[i + 1]; s2 += y[i + 2]; s3 += y[i + 3]; i += 4 }
                    while i < n { s0 += y[i]; i += 1 }
                    let sum = (s0 + s1) + (s2 + s3)
                    guard sum.isFinite else { continue }
                    let mean = sum / Double(n)
                    var p0 = 0.0, p1 = 0.0, q0 = 0.0, q1 = 0.0
                    i = 0
                    while i + 2 <= n {
                        let d0 = y[i] - mean, d1 = y[i + 1] - mean
                        p0 += xs[i] * d0; p1 += xs[i + 1] * d1
                        q0 += d0 * d0; q1 += d1 * d1
                        i += 2
                    }
                    if i < n { let d = y[i] - mean; p0 += xs[i] * d; q0 += d * d }
                    let total = q0 + q1
                    let slope = (p0 + p1) / sxx
                    var r0 = 0.0, r1 = 0.0
                    i = 0
                    while i + 2 <= n {
                        let e0 = y[i] - mean - slope * xs[i], e1 = y[i + 1] - mean - slope * xs[i + 1]
                        r0 += e0 * e0; r1 += e1 * e1
                        i += 2
                    }
                    if i < n { let e = y[i] - mean - slope * xs[i]; r0 += e * e }
                    let residual = r0 + r1
                    means[j] = mean; slopes[j] = slope; tss[j] = total; rss[j] = residual
                }
            }
        }
        }
        }
        }
        }
        }
        return result
    }
}
