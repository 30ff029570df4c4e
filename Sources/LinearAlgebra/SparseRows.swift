import Dispatch
import Glibc

/// Some rows of a sparse square matrix W over a vector v, numbered locally: row k is element `areas[k]` of v, its
/// entries `weights[t]` in columns `columns[t]` for t in `offsets[k]..<offsets[k + 1]`, all indices into the `count`
/// elements the rows touch. `quadraticForm(v) = Σ_k v[areas[k]] · Σ_t weights[t] · v[columns[t]]`: over all rows of
/// a spatial weights matrix `v'Wv`, the cross sum of Moran's I; over some rows (a part of a map and its halo, numbered
/// among themselves), their share of it.
///
/// Indices are stored as 32-bit integers: a permutation test reads the rows once per block of permutations, and the
/// bytes read are its cost.
package struct SparseRows: Sendable {
    /// The number of elements of v the rows touch.
    package let count: Int
    let areas: [Int32]
    let offsets: [Int]
    let columns: [Int32]
    let weights: [Double]

    /// - Parameters:
    ///   - count: the elements of v (every index below it).
    ///   - areas: each row's element of v.
    ///   - entries: each row's (column, weight) entries, in the order they are summed.
    package init(count: Int, areas: [Int], entries: [[(column: Int, weight: Double)]]) {
        precondition(areas.count == entries.count, "one list of entries per row")
        precondition(count <= Int(Int32.max), "indices fit 32 bits")
        precondition(areas.allSatisfy { $0 >= 0 && $0 < count } && entries.allSatisfy { $0.allSatisfy { $0.column >= 0 && $0.column < count } },
                     "indices below count")
        self.count = count
        self.areas = areas.map { Int32($0) }
        offsets = entries.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        columns = entries.flatMap { $0.map { Int32($0.column) } }
        weights = entries.flatMap { $0.map(\.weight) }
    }

    /// `Σ_k v[areas[k]] · (Wv)_k`, the outer sum compensated (Neumaier), each row's lag summed in entry order.
    package func quadraticForm(_ v: [Double]) -> Double {
        precondition(v.count == count, "one value per element")
        var sum = 0.0, compensation = 0.0
        for k in areas.indices {
            var lag = 0.0
            for t in offsets[k]..<offsets[k + 1] { lag += weights[t] * v[Int(columns[t])] }
            Self.add(v[Int(areas[k])] * lag, to: &sum, &compensation)
        }
        return sum + compensation
    }

    /// The quadratic forms of `permutations` vectors drawn from `z`: vector r takes `z[order[u]]` at element u, where
    /// `source(r, &order)` fills `order` (`count` indices into z). Each form is equal, bit for bit, to `quadraticForm`
    /// of its vector, and does not depend on the number of threads.
    ///
    /// Up to `blockedUpTo` elements the vectors are made `blockWidth` at a time and interleaved (the values of one
    /// element of all of them side by side, one cache line), so the rows are read once per block instead of once per
    /// vector, and each entry's values of the whole block come in one memory access: 96 bytes per element and core.
    /// Beyond, one vector at a time (12 bytes per element and core), so that a map of 10⁸ areas does not need 10 GB
    /// per core. Each core works through every k-th block with buffers of its own.
    package func quadraticForms(of z: [Double], permutations: Int, blockedUpTo limit: Int = 1 << 21,
                                source: @Sendable (Int, inout [Int32]) -> Void) -> [Double] {
        guard permutations > 0 else { return [] }  // no buffers for no permutations
        let width = count <= limit ? Self.blockWidth : 1, blocks = (permutations + width - 1) / width
        let workers = max(1, min(blocks, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        var forms = [Double](repeating: .nan, count: permutations)
        forms.withUnsafeMutableBufferPointer { forms in
            let output = UncheckedSendable(forms.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var orders = [[Int32]](repeating: [Int32](repeating: 0, count: count), count: width)
                var block = [Double](repeating: 0, count: count * width)
                for b in stride(from: worker, to: blocks, by: workers) {
                    let members = (b * width)..<min((b + 1) * width, permutations)
                    for (slot, r) in members.enumerated() {
                        source(r, &orders[slot])
                        precondition(orders[slot].count == count, "an index into z per element")
                    }
                    interleave(z, orders: orders, lanes: members.count, width: width, into: &block)
                    let sums = width == 1 ? [quadraticForm(block)] : interleavedForms(block, used: members.count)
                    for (slot, r) in members.enumerated() { output.value[r] = sums[slot] }
                }
            }
        }
        return forms
    }

    /// `block[i·width + s] = z[orders[s][i]]` for the first `lanes` lanes, a tile of indices at a time (its part of
    /// the block, 256 KB, stays in cache while each lane is written into it).
    private func interleave(_ z: [Double], orders: [[Int32]], lanes: Int, width: Int, into block: inout [Double]) {
        let tile = 4096
        block.withUnsafeMutableBufferPointer { block in
            z.withUnsafeBufferPointer { z in
                for start in stride(from: 0, to: count, by: tile) {
                    let indices = start..<min(start + tile, count)
                    for s in 0..<lanes {
                        orders[s].withUnsafeBufferPointer { order in
                            for i in indices {
                                let j = Int(UInt32(bitPattern: order[i]))
                                precondition(j < z.count, "an index into z")
                                block[i * width + s] = z[j]
                            }
                        }
                    }
                }
            }
        }
    }

    /// Vectors per block: 8 doubles, one cache line.
    static let blockWidth = 8

    /// The quadratic forms of the first `used` vectors of an interleaved block: each lane summed as
    /// `quadraticForm` sums its vector (the same operations in the same order, eight lanes side by side).
    private func interleavedForms(_ block: [Double], used: Int) -> [Double] {
        let width = Self.blockWidth
        var sum = [Double](repeating: 0, count: width), compensation = sum
        block.withUnsafeBufferPointer { v in
            columns.withUnsafeBufferPointer { columns in
                weights.withUnsafeBufferPointer { weights in
                    var l0 = 0.0, l1 = 0.0, l2 = 0.0, l3 = 0.0, l4 = 0.0, l5 = 0.0, l6 = 0.0, l7 = 0.0
                    for k in areas.indices {
                        l0 = 0; l1 = 0; l2 = 0; l3 = 0; l4 = 0; l5 = 0; l6 = 0; l7 = 0
                        for t in offsets[k]..<offsets[k + 1] {
                            let w = weights[t], p = v.baseAddress! + Int(columns[t]) * width
                            l0 += w * p[0]; l1 += w * p[1]; l2 += w * p[2]; l3 += w * p[3]
                            l4 += w * p[4]; l5 += w * p[5]; l6 += w * p[6]; l7 += w * p[7]
                        }
                        let own = v.baseAddress! + Int(areas[k]) * width
                        Self.add(own[0] * l0, to: &sum[0], &compensation[0]); Self.add(own[1] * l1, to: &sum[1], &compensation[1])
                        Self.add(own[2] * l2, to: &sum[2], &compensation[2]); Self.add(own[3] * l3, to: &sum[3], &compensation[3])
                        Self.add(own[4] * l4, to: &sum[4], &compensation[4]); Self.add(own[5] * l5, to: &sum[5], &compensation[5])
                        Self.add(own[6] * l6, to: &sum[6], &compensation[6]); Self.add(own[7] * l7, to: &sum[7], &compensation[7])
                    }
                }
            }
        }
        return (0..<used).map { sum[$0] + compensation[$0] }
    }

    /// Neumaier's compensated addition (as `CompensatedSum` of Statistics, which this module cannot see).
    @inline(__always)
    private static func add(_ x: Double, to sum: inout Double, _ compensation: inout Double) {
        let t = sum + x
        compensation += abs(sum) >= abs(x) ? (sum - t) + x : (x - t) + sum
        sum = t
    }
}
