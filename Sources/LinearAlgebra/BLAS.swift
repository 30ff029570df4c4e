import COpenBLAS

/// Converts a dimension to LAPACK's 32-bit integer, trapping on overflow (a caller bug: such matrices need > 16 GiB
/// per column-major dimension and are split by the analyses long before).
@inline(__always)
func blasInt(_ value: Int) -> Int32 {
    precondition(value <= Int(Int32.max), "Dimension \(value) exceeds the 32-bit BLAS/LAPACK interface")
    return Int32(value)
}

extension Matrix {
    /// The product `alpha · op(A) · op(B)` by one BLAS-3 `dgemm`, where `A` is `self`, `op` transposes when asked.
    ///
    /// - Parameters:
    ///   - other: the right factor `B`.
    ///   - transposingSelf: use `Aᵀ` instead of `A`.
    ///   - transposingOther: use `Bᵀ` instead of `B`.
    ///   - alpha: scale of the product (default 1).
    package func multiplied(by other: Matrix, transposingSelf: Bool = false, transposingOther: Bool = false,
                           scaledBy alpha: Double = 1) -> Matrix {
        let m = transposingSelf ? columns : rows
        let k = transposingSelf ? rows : columns
        let kOther = transposingOther ? other.columns : other.rows
        let n = transposingOther ? other.rows : other.columns
        precondition(k == kOther, "gemm: inner dimensions differ (\(k) vs \(kOther))")
        var result = Matrix(rows: m, columns: n)
        guard m > 0, n > 0 else { return result }
        guard k > 0 else { return result }
        elements.withUnsafeBufferPointer { a in
            other.elements.withUnsafeBufferPointer { b in
                result.elements.withUnsafeMutableBufferPointer { c in
                    cblas_dgemm(CblasColMajor,
                                transposingSelf ? CblasTrans : CblasNoTrans,
                                transposingOther ? CblasTrans : CblasNoTrans,
                                blasInt(m), blasInt(n), blasInt(k), alpha,
                                a.baseAddress, blasInt(Swift.max(rows, 1)),
                                b.baseAddress, blasInt(Swift.max(other.rows, 1)),
                                0, c.baseAddress, blasInt(Swift.max(m, 1)))
                }
            }
        }
        return result
    }

    /// `A · B` by `dgemm`.
    package static func * (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.multiplied(by: rhs) }

    /// The Gram matrix `alpha · AᵀA` (columns × columns) by one BLAS-3 `dsyrk`, with both triangles filled.
    ///
    /// Half the flops of `Aᵀ · A` by `dgemm`; the cross-product behind covariance, correlation and OLS normal equations.
    package func gram(scaledBy alpha: Double = 1) -> Matrix {
        var result = Matrix(rows: columns, columns: columns)
        guard columns > 0, rows > 0 else { return result }
        elements.withUnsafeBufferPointer { a in
            result.elements.withUnsafeMutableBufferPointer { c in
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, blasInt(columns), blasInt(rows), alpha,
                            a.baseAddress, blasInt(rows), 0, c.baseAddress, blasInt(columns))
            }
        }
        result.mirrorUpperTriangle()
        return result
    }

    /// The matrix–vector product `alpha · op(A) · x` by BLAS-2 `dgemv`.
    package func multiplied(by vector: [Double], transposingSelf: Bool = false, scaledBy alpha: Double = 1) -> [Double] {
        let inputLength = transposingSelf ? rows : columns
        let outputLength = transposingSelf ? columns : rows
        precondition(vector.count == inputLength, "gemv: vector length \(vector.count), expected \(inputLength)")
        var result = [Double](repeating: 0, count: outputLength)
        guard rows > 0, columns > 0 else { return result }
        elements.withUnsafeBufferPointer { a in
            vector.withUnsafeBufferPointer { x in
                result.withUnsafeMutableBufferPointer { y in
                    cblas_dgemv(CblasColMajor, transposingSelf ? CblasTrans : CblasNoTrans,
                                blasInt(rows), blasInt(columns), alpha, a.baseAddress, blasInt(rows),
                                x.baseAddress, 1, 0, y.baseAddress, 1)
                }
            }
        }
        return result
    }

    /// The Gram matrix of the shifted and scaled columns, `Σᵢ zᵢzᵢᵀ` with `zᵢⱼ = (xᵢⱼ − shiftⱼ) · scaleⱼ`, over the
    /// rows with `include[i]` (all when `nil`), without forming z: one BLAS-3 `dsyrk` per block of rows, whose z
    /// stay in cache. With the means as shifts and 1/sd as scales, `n⁻¹` times this is the correlation matrix.
    package func shiftedScaledGram(shift: [Double], scale: [Double], include: [Bool]? = nil) -> Matrix {
        precondition(shift.count == columns && scale.count == columns, "one shift and one scale per column")
        if let include { precondition(include.count == rows, "one flag per row") }
        let n = rows, k = columns, block = 16_384
        var result = Matrix(rows: k, columns: k)
        guard n > 0, k > 0 else { return result }
        var z = [Double](repeating: 0, count: Swift.min(block, n) * k)
        elements.withUnsafeBufferPointer { x in
            z.withUnsafeMutableBufferPointer { z in
                result.elements.withUnsafeMutableBufferPointer { c in
                    for first in stride(from: 0, to: n, by: block) {
                        let m = Swift.min(block, n - first)
                        for j in 0..<k {
                            let s = shift[j], f = scale[j], column = x.baseAddress! + j * n + first
                            let target = z.baseAddress! + j * m
                            for i in 0..<m { target[i] = include?[first + i] == false ? 0 : (column[i] - s) * f }
                        }
                        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, blasInt(k), blasInt(m), 1, z.baseAddress,
                                    blasInt(m), 1, c.baseAddress, blasInt(k))
                    }
                }
            }
        }
        result.mirrorUpperTriangle()
        return result
    }

    /// Copies the upper triangle onto the lower one (after `dsyrk` or a LAPACK routine that fills one triangle).
    mutating func mirrorUpperTriangle() {
        precondition(rows == columns)
        for j in 0..<columns {
            for i in (j + 1)..<Swift.max(rows, j + 1) { elements[i + j * rows] = elements[j + i * rows] }
        }
    }
}

/// The inner product `xᵀy` by BLAS-1 `ddot`.
package func dot(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count, "dot: lengths differ (\(x.count) vs \(y.count))")
    return x.withUnsafeBufferPointer { xp in
        y.withUnsafeBufferPointer { yp in cblas_ddot(blasInt(x.count), xp.baseAddress, 1, yp.baseAddress, 1) }
    }
}

/// `y ← alpha · x + y` by BLAS-1 `daxpy`.
package func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
    precondition(x.count == y.count, "axpy: lengths differ (\(x.count) vs \(y.count))")
    x.withUnsafeBufferPointer { xp in
        y.withUnsafeMutableBufferPointer { yp in
            cblas_daxpy(blasInt(x.count), alpha, xp.baseAddress, 1, yp.baseAddress, 1)
        }
    }
}
