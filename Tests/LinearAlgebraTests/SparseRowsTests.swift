@testable import LinearAlgebra
import Testing

/// The blocked quadratic forms of `SparseRows`: each equal, bit for bit, to the form of its vector taken alone, for
/// rows numbered among the elements they touch (a part of a map), a number of vectors that leaves a block part-full,
/// and one vector at a time beyond the blocked size.
@Suite struct SparseRowsTests {
    /// 40 rows over 60 touched elements of a vector of 200 values, 3–7 entries each, weights of mixed size.
    func rows() -> (SparseRows, touched: [Int], z: [Double]) {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let touched = (0..<60).map { $0 * 3 + 1 }  // every third value of 200
        let entries = (0..<40).map { _ in (0..<(3 + next(5))).map { _ in (column: next(60), weight: Double(1 + next(9)) / 7) } }
        let z = (0..<200).map { i in Double((i * 7919) % 1000) / 37 - 13.5 }
        return (SparseRows(count: 60, areas: (0..<40).map { $0 + 10 }, entries: entries), touched, z)
    }

    @Test func blockedFormsAreEachVectorsForm() {
        let (sparse, touched, z) = rows()
        let permutations = 21  // two full blocks of 8 and one of 5
        @Sendable func order(_ r: Int) -> [Int32] { touched.map { Int32((($0 * (2 * r + 3)) + r * 11) % z.count) } }
        let forms = sparse.quadraticForms(of: z, permutations: permutations) { r, o in o = order(r) }
        // Beyond `blockedUpTo` elements one vector at a time: the same forms.
        let single = sparse.quadraticForms(of: z, permutations: permutations, blockedUpTo: 59) { r, o in o = order(r) }
        #expect(forms.count == permutations && single == forms)
        #expect(sparse.quadraticForms(of: z, permutations: 0) { r, o in o = order(r) }.isEmpty)
        for r in 0..<permutations {
            let vector = order(r).map { z[Int($0)] }
            #expect(forms[r] == sparse.quadraticForm(vector), "vector \(r)")
        }
        // By hand for one: Σ_k v[10 + k] · Σ_t w_t v[c_t].
        let v = order(4).map { z[Int($0)] }
        var total = 0.0
        for k in 0..<40 {
            var lag = 0.0
            for t in sparse.offsets[k]..<sparse.offsets[k + 1] { lag += sparse.weights[t] * v[Int(sparse.columns[t])] }
            total += v[k + 10] * lag
        }
        #expect(abs(forms[4] - total) <= 1e-12 * abs(total))
    }
}
