/// What can go wrong with the data given to a linear-algebra routine.
///
/// Errors that come from the data (a matrix that is not positive definite, rank-deficient, or holds NaN) are thrown
/// with enough context to say what happened. Errors that can only come from a bug in the caller (mismatched
/// dimensions, LAPACK's `info < 0` for an illegal argument) stop the program with a precondition failure instead.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input holds NaN or an infinity, which LAPACK cannot handle meaningfully.
    case nonFiniteInput(routine: String)
    /// Cholesky factorisation failed: the leading minor of order `minor` is not positive definite.
    case notPositiveDefinite(routine: String, minor: Int)
    /// Least squares failed: the diagonal element `index` (1-based) of the triangular factor is zero or
    /// negligible (≤ max(m, n)·ε·max|r_jj|), so the matrix does not have full numerical rank.
    case rankDeficient(routine: String, index: Int)
    /// An iterative LAPACK routine (eigenvalues, SVD) did not converge; `info` is LAPACK's code.
    case noConvergence(routine: String, info: Int)

    public var description: String {
        switch self {
        case .nonFiniteInput(let routine):
            "\(routine): the input matrix holds NaN or infinite values; expected finite numbers"
        case .notPositiveDefinite(let routine, let minor):
            "\(routine): the matrix is not positive definite (leading minor of order \(minor) fails)"
        case .rankDeficient(let routine, let index):
            "\(routine): the matrix is rank deficient (diagonal element \(index) of the triangular factor is zero)"
        case .noConvergence(let routine, let info):
            "\(routine): the algorithm did not converge (LAPACK info = \(info))"
        }
    }
}
