import LinearAlgebra
import TestSupport
import Testing

/// BLAS wrappers against numpy (`Tests/Fixtures/linear_algebra.json`) and hand cases.
@Suite struct BLASTests {
    let fixture = try! FixtureValue.load("linear_algebra.json")
    static let tolerance = 1e-13

    @Test func gemmMatchesNumpy() {
        let f = fixture["gemm"]
        let product = Matrix(f["a"].rows) * Matrix(f["b"].rows)
        let worst = WorstError(product.elements, Matrix(f["ab"].rows).elements)
        #expect(product.rows == 5 && product.columns == 4)
        #expect(worst.error < Self.tolerance, "\(worst)")
    }

    @Test func gemmTransposesEitherFactor() {
        let f = fixture["gemm_transposed"]
        let a = Matrix(f["a"].rows)
        let atb = a.multiplied(by: Matrix(f["b"].rows), transposingSelf: true)
        let act = a.multiplied(by: Matrix(f["c"].rows), transposingOther: true)
        #expect(WorstError(atb.elements, Matrix(f["at_b"].rows).elements).error < Self.tolerance)
        #expect(WorstError(act.elements, Matrix(f["a_ct"].rows).elements).error < Self.tolerance)
        let scaled = a.multiplied(by: Matrix(f["b"].rows), transposingSelf: true, scaledBy: -2)
        #expect(WorstError(scaled.elements, atb.elements.map { -2 * $0 }).error < Self.tolerance)
    }

    @Test func gemmHandCase() {
        let product = Matrix([[1, 2], [3, 4]]) * Matrix([[5, 6], [7, 8]])
        #expect(product.rowArrays == [[19, 22], [43, 50]])  // small integers: exact in any kernel
    }

    @Test func gramBySyrkMatchesNumpyAndIsSymmetric() {
        let f = fixture["syrk"]
        let gram = Matrix(f["x"].rows).gram()
        #expect(WorstError(gram.elements, Matrix(f["xtx"].rows).elements).error < Self.tolerance)
        #expect(gram == gram.transposed)
    }

    @Test func gemvMatchesNumpy() {
        let f = fixture["gemv"]
        let a = Matrix(f["a"].rows)
        #expect(WorstError(a.multiplied(by: f["x"].doubles), f["ax"].doubles).error < Self.tolerance)
        #expect(WorstError(a.multiplied(by: f["y"].doubles, transposingSelf: true), f["aty"].doubles).error
                < Self.tolerance)
    }

    @Test func dotAndAxpy() {
        let f = fixture["dot"]
        #expect(WorstError([dot(f["x"].doubles, f["y"].doubles)], [f["dot"].double]).error < Self.tolerance)
        var y: [Double] = [1, 2, 3]
        axpy(2, [10, 20, 30], &y)
        #expect(y == [21, 42, 63])
    }

    @Test func emptyDimensionsGiveEmptyOrZeroResults() {
        let empty = Matrix(rows: 3, columns: 0) * Matrix(rows: 0, columns: 2)
        #expect(empty == Matrix(rows: 3, columns: 2))
        #expect(Matrix(rows: 0, columns: 4).gram() == Matrix(rows: 4, columns: 4))
    }

    @Test func matrixLayoutIsColumnMajor() {
        let m = Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(m.elements == [1, 4, 2, 5, 3, 6])
        #expect(Array(m.column(1)) == [2, 5])
        #expect(m.row(1) == [4, 5, 6])
        #expect(m.transposed.rowArrays == [[1, 4], [2, 5], [3, 6]])
        #expect(Matrix(columns: [[1, 4], [2, 5], [3, 6]]) == m)
        #expect(Matrix.identity(2).rowArrays == [[1, 0], [0, 1]])
    }

    @Test func threadCountCanBeSetAndRead() {
        let before = BLASThreads.count
        BLASThreads.set(1)
        #expect(BLASThreads.count == 1)
        BLASThreads.set(before)
        #expect(BLASThreads.configuration.contains("OpenBLAS"))
    }
}
