import Foundation
@testable import LinearAlgebra
import TestSupport
import Testing

/// LAPACK wrappers against scipy/numpy (`Tests/Fixtures/linear_algebra.json`) and exact hand cases.
/// OpenBLAS kernels differ in the last bits between CPUs and thread counts, so every comparison has a tolerance.
@Suite struct LAPACKTests {
    let fixture = try! FixtureValue.load("linear_algebra.json")
    static let tolerance = 1e-12

    /// Largest |entry| of `a − b`.
    func maxDifference(_ a: Matrix, _ b: Matrix) -> Double {
        zip(a.elements, b.elements).map { abs($0 - $1) }.max() ?? 0
    }

    @Test func symmetricEigendecompositionMatchesScipy() throws {
        let f = fixture["eigh"]
        let a = Matrix(f["a"].rows)
        let eigen = try a.symmetricEigendecomposition()
        #expect(WorstError(eigen.values, f["values"].doubles).error < Self.tolerance)
        // Vectors agree up to sign: compare |vᵢ · v_refᵢ| with 1.
        let reference = Matrix(f["vectors"].rows)
        for j in 0..<6 {
            let agreement = abs(dot(Array(eigen.vectors.column(j)), Array(reference.column(j))))
            #expect(abs(agreement - 1) < 1e-12, "eigenvector \(j): |cos| = \(agreement)")
        }
        // And A V = V Λ.
        var vLambda = eigen.vectors
        for j in 0..<6 { for i in 0..<6 { vLambda[i, j] *= eigen.values[j] } }
        #expect(maxDifference(a * eigen.vectors, vLambda) < 1e-12)
    }

    /// The Jacobi path (order ≤ 32, fixed order of operations) and LAPACK `dsyevr` give the same decomposition of
    /// the same matrices, with repeated eigenvalues and a zero block among them; Jacobi's vectors are orthonormal.
    @Test(arguments: [2, 7, 32])
    func jacobiAgreesWithLAPACK(_ n: Int) throws {
        var a = Matrix(rows: n, columns: n)
        for j in 0..<n { for i in 0...j { a[i, j] = sin(Double(3 * i + 7 * j + n)); a[j, i] = a[i, j] } }
        if n > 4 { for i in 0..<2 { for j in 0..<n { a[i, j] = 0; a[j, i] = 0 } } }  // a double eigenvalue 0
        let jacobi = JacobiEigen.decompose(a.elements, order: n)
        let lapack = try a.symmetricEigendecomposition(forcingLAPACK: true)
        let worst = WorstError(jacobi.values, lapack.values, floor: 1)
        #expect(worst.error < 1e-13, "\(worst)")
        let v = Matrix(rows: n, columns: n, columnMajor: jacobi.vectors)
        var vLambda = v
        for j in 0..<n { for i in 0..<n { vLambda[i, j] *= jacobi.values[j] } }
        #expect(maxDifference(a * v, vLambda) < 1e-13)
        #expect(maxDifference(v.gram(), Matrix.identity(n)) < 1e-13)
    }

    @Test func eigenvaluesOfHandCase() throws {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3 with vectors (1, −1)/√2 and (1, 1)/√2.
        let eigen = try Matrix([[2, 1], [1, 2]]).symmetricEigendecomposition()
        #expect(WorstError(eigen.values, [1, 3]).error < 1e-15)
        #expect(abs(abs(eigen.vectors[0, 1]) - 0.5.squareRoot()) < 1e-15)
    }

    @Test(arguments: ["svd", "svd_wide"])
    func singularValueDecompositionMatchesScipy(_ key: String) throws {
        let f = fixture[key]
        let a = Matrix(f["a"].rows)
        let svd = try a.singularValueDecomposition()
        #expect(WorstError(svd.singularValues, f["s"].doubles).error < Self.tolerance)
        // Reconstruction U Σ Vᵀ = A (signs of singular vectors are arbitrary, the product is not).
        var us = svd.u
        for j in 0..<svd.singularValues.count { for i in 0..<us.rows { us[i, j] *= svd.singularValues[j] } }
        #expect(maxDifference(us * svd.vt, a) < 1e-12)
        let reference = Matrix(f["vt"].rows)
        for k in 0..<svd.singularValues.count {
            #expect(abs(abs(dot(svd.vt.row(k), reference.row(k))) - 1) < 1e-12)
        }
    }

    @Test func leastSquaresMatchesNumpy() throws {
        let f = fixture["lstsq"]
        let solution = try Matrix(f["a"].rows).leastSquaresSolution(Matrix(f["b"].rows))
        #expect(WorstError(solution.coefficients.elements, Matrix(f["x"].rows).elements).error < Self.tolerance)
        #expect(WorstError(solution.residualSumOfSquares, f["rss"].doubles).error < Self.tolerance)
    }

    @Test func leastSquaresHandCaseFitsALineExactly() throws {
        // y = 2 + 3t at t = 0…3: intercept 2, slope 3, no residual.
        let design = Matrix([[1, 0], [1, 1], [1, 2], [1, 3]])
        let fit = try design.leastSquaresSolution(Matrix([[2], [5], [8], [11]]))
        #expect(WorstError(fit.coefficients.elements, [2, 3], floor: 1).error < 1e-14)
        #expect(fit.residualSumOfSquares[0] < 1e-25)
    }

    @Test func leastSquaresReportsRankDeficiency() {
        let collinear = Matrix([[1, 2], [2, 4], [3, 6]])
        #expect(throws: LinearAlgebraError.rankDeficient(routine: "dgels", index: 2)) {
            try collinear.leastSquaresSolution(Matrix([[1], [2], [3]]))
        }
    }

    @Test func choleskySolveMatchesScipy() throws {
        let f = fixture["cholesky_solve"]
        let x = try Matrix(f["a"].rows).choleskySolution(Matrix(f["b"].rows))
        #expect(WorstError(x.elements, Matrix(f["x"].rows).elements).error < Self.tolerance)
    }

    @Test func choleskyNamesTheFailingMinor() {
        let indefinite = Matrix([[4, 2, 0], [2, 1, 0], [0, 0, 1]])  // second leading minor is 0
        #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "dposv", minor: 2)) {
            try indefinite.choleskySolution(Matrix([[1], [1], [1]]))
        }
    }

    @Test func nonFiniteInputIsAnErrorNotACrash() {
        let withNaN = Matrix([[1, .nan], [.nan, 1]])
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "dsyevr")) {
            try withNaN.symmetricEigendecomposition()
        }
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "dgesdd")) {
            try Matrix([[.infinity]]).singularValueDecomposition()
        }
        #expect("\(LinearAlgebraError.nonFiniteInput(routine: "dgels"))".contains("NaN"))
    }
}
