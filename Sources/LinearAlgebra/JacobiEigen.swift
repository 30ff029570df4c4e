/// The cyclic Jacobi method for small symmetric matrices, in plain Swift.
///
/// Each rotation annihilates one off-diagonal entry `a_pq` (Golub & Van Loan, *Matrix Computations*, 4th ed.,
/// Alg. 8.5.2–8.5.3; Rutishauser's stable rotation): with `θ = (a_qq − a_pp) / (2 a_pq)`,
/// `t = sign(θ) / (|θ| + √(θ² + 1))`, `c = 1/√(t² + 1)`, `s = t·c`. Sweeps over all pairs in row order repeat until
/// the off-diagonal part is below `ε · ‖A‖_F`, or its entries underflow. Jacobi is accurate to the last bits of
/// the eigenvalues (Demmel & Veselić 1992) and, unlike LAPACK through a threaded BLAS, its operations come in one
/// fixed order: the result is bit for bit the same for any BLAS thread count and on any IEEE-754 CPU.
/// An entry is set to zero without a rotation once it is negligible beside both diagonal entries
/// (`100·|a_pq|` vanishes when added to `|a_pp|` and to `|a_qq|`); the sweeps stop when no entry is left.
enum JacobiEigen {
    /// Matrices up to this order take the Jacobi path (diagnostics of a handful of indicators); larger ones LAPACK.
    static let largestOrder = 32

    /// The decomposition of the symmetric `n × n` matrix `upper` (column-major; only the upper triangle is read).
    /// Eigenvalues ascending, eigenvectors as the columns of `vectors` in the same order.
    static func decompose(_ upper: [Double], order n: Int) -> (values: [Double], vectors: [Double]) {
        var a = upper
        for q in 0..<n { for p in 0..<q { a[q + p * n] = a[p + q * n] } }
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i + i * n] = 1 }
        for _ in 0..<100 {
            var rotated = false
            for p in 0..<max(n - 1, 0) {
                for q in (p + 1)..<n where a[p + q * n] != 0 {
                    let small = 100 * abs(a[p + q * n])
                    if abs(a[p + p * n]) + small == abs(a[p + p * n]), abs(a[q + q * n]) + small == abs(a[q + q * n]) {
                        a[p + q * n] = 0
                        a[q + p * n] = 0
                    } else {
                        rotate(&a, &v, n: n, p: p, q: q)
                        rotated = true
                    }
                }
            }
            if !rotated { break }
        }
        let order = (0..<n).sorted { (a[$0 + $0 * n], $0) < (a[$1 + $1 * n], $1) }
        var vectors = [Double](repeating: 0, count: n * n)
        for (target, source) in order.enumerated() {
            for i in 0..<n { vectors[i + target * n] = v[i + source * n] }
        }
        return (order.map { a[$0 + $0 * n] }, vectors)
    }

    /// One rotation in the (p, q) plane: `A ← JᵀAJ`, `V ← VJ`.
    private static func rotate(_ a: inout [Double], _ v: inout [Double], n: Int, p: Int, q: Int) {
        let apq = a[p + q * n], app = a[p + p * n], aqq = a[q + q * n]
        let theta = (aqq - app) / (2 * apq)
        let t = theta.isInfinite ? 0 : (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
        let c = 1 / (t * t + 1).squareRoot(), s = t * c
        for k in 0..<n {
            let akp = a[k + p * n], akq = a[k + q * n]
            a[k + p * n] = c * akp - s * akq
            a[k + q * n] = s * akp + c * akq
        }
        for k in 0..<n {
            let apk = a[p + k * n], aqk = a[q + k * n]
            a[p + k * n] = c * apk - s * aqk
            a[q + k * n] = s * apk + c * aqk
        }
        a[p + q * n] = 0
        a[q + p * n] = 0
        for k in 0..<n {
            let vkp = v[k + p * n], vkq = v[k + q * n]
            v[k + p * n] = c * vkp - s * vkq
            v[k + q * n] = s * vkp + c * vkq
        }
    }
}
