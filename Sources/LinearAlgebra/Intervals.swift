/// Which interval of a set of increasing bounds each value falls in (as `numpy.digitize`, with an inclusion rule per
/// bound): the kernel behind the classes of an index.

/// Per value the number of `bounds` below it, a bound that the value equals counting where `exclusive` says the
/// value lies above it: for increasing bounds, the position of the interval holding the value (0 below the first
/// bound, `bounds.count` above the last). −1 for NaN and where `include` is false.
///
/// - Precondition: at most 127 bounds, increasing.
package func intervalPositions(of values: [Double], bounds: [Double], exclusive: [Bool], include: [Bool]) -> [Int8] {
    precondition(bounds.count == exclusive.count && bounds.count < 128, "one flag per bound, at most 127 bounds")
    precondition(include.count == values.count, "one flag per value")
    let count = values.count
    return values.withUnsafeBufferPointer { values in
        include.withUnsafeBufferPointer { include in
            [Int8](unsafeUninitializedCapacity: count) { positions, initialized in
                let pointers = UncheckedSendable((values.baseAddress, include.baseAddress, positions.baseAddress))
                forEachRowBlock(count) { _, block in  // not called when there are no values
                    let (v, include, out) = (pointers.value.0!, pointers.value.1!, pointers.value.2!)
                    // Four values at a time and without branches: the values of an index fall at random between
                    // the bounds.
                    var i = block.lowerBound
                    while i + 4 <= block.upperBound {
                        let x = load4(v + i)
                        var position = SIMD4<Int64>()
                        for (b, bound) in bounds.enumerated() {
                            let passed = exclusive[b] ? x .>= bound : x .> bound
                            position &+= SIMD4<Int64>(repeating: 1).replacing(with: 0, where: .!passed)
                        }
                        position.replace(with: -1, where: x .!= x)
                        for k in 0..<4 { (out + i + k).initialize(to: include[i + k] ? Int8(truncatingIfNeeded: position[k]) : -1) }
                        i += 4
                    }
                    while i < block.upperBound {
                        var position = 0
                        for (b, bound) in bounds.enumerated() {
                            position += (exclusive[b] ? v[i] >= bound : v[i] > bound) ? 1 : 0
                        }
                        (out + i).initialize(to: include[i] && !v[i].isNaN ? Int8(truncatingIfNeeded: position) : -1)
                        i += 1
                    }
                }
                initialized = count
            }
        }
    }
}
