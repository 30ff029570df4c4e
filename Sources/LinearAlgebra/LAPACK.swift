import COpenBLAS

/// Shared checks around the LAPACKE calls. LAPACKE's high-level drivers query and allocate their workspace
/// themselves, so callers never see `lwork`.
enum LAPACK {
    /// Throws when the input holds NaN or infinity: LAPACKE would report it as an illegal argument (`info < 0`).
    static func requireFinite(_ matrices: Matrix..., routine: String) throws(LinearAlgebraError) {
        for matrix in matrices where !matrix.isFinite { throw .nonFiniteInput(routine: routine) }
    }

    /// `info < 0` means an illegal argument: always a bug in this module, never the data's fault.
    static func preconditionLegalArguments(_ info: Int32, routine: String) {
        precondition(info >= 0, "\(routine): LAPACK reports illegal argument \(-info) (a bug in sozmon)")
    }
}

/// The eigendecomposition `A = V · diag(λ) · Vᵀ` of a real symmetric matrix.
package struct SymmetricEigendecomposition: Sendable, Equatable {
    /// Eigenvalues in ascending order.
    package let values: [Double]
    /// Orthonormal eigenvectors as columns, column `j` belonging to `values[j]`. Each vector's sign is arbitrary.
    package let vectors: Matrix
}

/// The thin singular value decomposition `A = U · diag(σ) · Vᵀ` of an `m × n` matrix, `k = min(m, n)`.
package struct SingularValueDecomposition: Sendable, Equatable {
    /// Left singular vectors, `m × k`.
    package let u: Matrix
    /// Singular values in descending order, `k` of them.
    package let singularValues: [Double]
    /// Right singular vectors transposed, `k × n`.
    package let vt: Matrix
}

/// The solution of `min ‖A·X − B‖₂` for each column of `B`.
package struct LeastSquaresSolution: Sendable, Equatable {
    /// The solution `X`, `n × nrhs`.
    package let coefficients: Matrix
    /// Residual sum of squares per right-hand side (0 when `A` is square or wide).
    package let residualSumOfSquares: [Double]
}

extension Matrix {
    /// The eigendecomposition of this symmetric matrix (only the upper triangle is read): up to order
    /// `JacobiEigen.largestOrder` (32) by the cyclic Jacobi method in a fixed order of operations, so that small
    /// problems such as the indicator diagnostics give the same bits for any thread count and CPU; larger ones by
    /// LAPACK `dsyevr` (MRRR).
    ///
    /// - Throws: `LinearAlgebraError.nonFiniteInput`, or `.noConvergence` when `dsyevr` reports an internal failure.
    package func symmetricEigendecomposition() throws(LinearAlgebraError) -> SymmetricEigendecomposition {
        try symmetricEigendecomposition(forcingLAPACK: false)
    }

    func symmetricEigendecomposition(forcingLAPACK: Bool) throws(LinearAlgebraError) -> SymmetricEigendecomposition {
        precondition(rows == columns, "symmetricEigendecomposition needs a square matrix, got \(rows)×\(columns)")
        let routine = "dsyevr"
        try LAPACK.requireFinite(self, routine: routine)
        let n = rows
        guard n > 0 else { return SymmetricEigendecomposition(values: [], vectors: self) }
        if n <= JacobiEigen.largestOrder && !forcingLAPACK {
            let (values, vectors) = JacobiEigen.decompose(elements, order: n)
            return SymmetricEigendecomposition(values: values, vectors: Matrix(rows: n, columns: n, columnMajor: vectors))
        }
        var a = elements
        var values = [Double](repeating: 0, count: n)
        var vectors = [Double](repeating: 0, count: n * n)
        var support = [Int32](repeating: 0, count: 2 * n)
        var found: Int32 = 0
        let info = LAPACKE_dsyevr(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "A")),
                                  CChar(UInt8(ascii: "U")), blasInt(n), &a, blasInt(n), 0, 0, 0, 0, 0,
                                  &found, &values, &vectors, blasInt(n), &support)
        LAPACK.preconditionLegalArguments(info, routine: routine)
        guard info == 0 else { throw .noConvergence(routine: routine, info: Int(info)) }
        return SymmetricEigendecomposition(values: values, vectors: Matrix(rows: n, columns: n, columnMajor: vectors))
    }

    /// The thin SVD by LAPACK `dgesdd` (divide and conquer).
    ///
    /// - Throws: `LinearAlgebraError.nonFiniteInput`, or `.noConvergence` when the bidiagonal iteration fails.
    package func singularValueDecomposition() throws(LinearAlgebraError) -> SingularValueDecomposition {
        let routine = "dgesdd"
        try LAPACK.requireFinite(self, routine: routine)
        let m = rows, n = columns, k = Swift.min(m, n)
        guard k > 0 else {
            return SingularValueDecomposition(u: Matrix(rows: m, columns: 0), singularValues: [],
                                              vt: Matrix(rows: 0, columns: n))
        }
        var a = elements
        var s = [Double](repeating: 0, count: k)
        var u = [Double](repeating: 0, count: m * k)
        var vt = [Double](repeating: 0, count: k * n)
        let info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "S")), blasInt(m), blasInt(n), &a,
                                  blasInt(m), &s, &u, blasInt(m), &vt, blasInt(k))
        LAPACK.preconditionLegalArguments(info, routine: routine)
        guard info == 0 else { throw .noConvergence(routine: routine, info: Int(info)) }
        return SingularValueDecomposition(u: Matrix(rows: m, columns: k, columnMajor: u), singularValues: s,
                                          vt: Matrix(rows: k, columns: n, columnMajor: vt))
    }

    /// Solves `min ‖A·X − B‖₂` by QR (LAPACK `dgels`), `A` being this `m × n` matrix of full rank.
    ///
    /// For `m ≥ n` this is ordinary least squares; for `m < n` the minimum-norm solution.
    /// - Throws: `LinearAlgebraError.rankDeficient` when `A` does not have full rank, `.nonFiniteInput`.
    package func leastSquaresSolution(_ b: Matrix) throws(LinearAlgebraError) -> LeastSquaresSolution {
        precondition(b.rows == rows, "dgels: B has \(b.rows) rows, A has \(rows)")
        let routine = "dgels"
        try LAPACK.requireFinite(self, b, routine: routine)
        let m = rows, n = columns, nrhs = b.columns, ldb = Swift.max(1, m, n)
        guard m > 0, n > 0, nrhs > 0 else {
            return LeastSquaresSolution(coefficients: Matrix(rows: n, columns: nrhs),
                                        residualSumOfSquares: [Double](repeating: 0, count: nrhs))
        }
        var a = elements
        var x = [Double](repeating: 0, count: ldb * nrhs)
        for j in 0..<nrhs {
            for i in 0..<m { x[i + j * ldb] = b.elements[i + j * m] }
        }
        let info = LAPACKE_dgels(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), blasInt(m), blasInt(n), blasInt(nrhs),
                                 &a, blasInt(m), &x, blasInt(ldb))
        LAPACK.preconditionLegalArguments(info, routine: routine)
        guard info == 0 else { throw .rankDeficient(routine: routine, index: Int(info)) }
        // dgels flags only exact zeros on the diagonal of R; rounding turns a collinear design into a tiny one.
        // Numerical rank as numpy's lstsq judges it: |r_ii| ≤ max(m, n) · ε · max_j |r_jj| is zero.
        let diagonal = (0..<Swift.min(m, n)).map { abs(a[$0 + $0 * m]) }
        let threshold = Double(Swift.max(m, n)) * Double.ulpOfOne * (diagonal.max() ?? 0)
        if let index = diagonal.firstIndex(where: { $0 <= threshold }) {
            throw .rankDeficient(routine: routine, index: index + 1)
        }
        var coefficients = Matrix(rows: n, columns: nrhs)
        var rss = [Double](repeating: 0, count: nrhs)
        for j in 0..<nrhs {
            for i in 0..<n { coefficients[i, j] = x[i + j * ldb] }
            if m > n { rss[j] = (n..<m).reduce(0) { $0 + x[$1 + j * ldb] * x[$1 + j * ldb] } }
        }
        return LeastSquaresSolution(coefficients: coefficients, residualSumOfSquares: rss)
    }

    /// Solves `A·X = B` for this symmetric positive definite `A` by Cholesky factorisation (LAPACK `dposv`; only
    /// the upper triangle of `A` is read).
    ///
    /// - Throws: `LinearAlgebraError.notPositiveDefinite` naming the failing leading minor, `.nonFiniteInput`.
    package func choleskySolution(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
        precondition(rows == columns, "dposv needs a square matrix, got \(rows)×\(columns)")
        precondition(b.rows == rows, "dposv: B has \(b.rows) rows, A has \(rows)")
        let routine = "dposv"
        try LAPACK.requireFinite(self, b, routine: routine)
        guard rows > 0, b.columns > 0 else { return b }
        var a = elements
        var x = b.elements
        let info = LAPACKE_dposv(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), blasInt(rows), blasInt(b.columns),
                                 &a, blasInt(rows), &x, blasInt(rows))
        LAPACK.preconditionLegalArguments(info, routine: routine)
        guard info == 0 else { throw .notPositiveDefinite(routine: routine, minor: Int(info)) }
        return Matrix(rows: b.rows, columns: b.columns, columnMajor: x)
    }
}
