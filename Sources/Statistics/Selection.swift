/// Partial sorting: after `selectRanks(ranks, in: &values)`, `values[r]` is the r-th smallest value (0-based) for
/// every r in `ranks`, as it would be after a full sort, and each value lies on the correct side of every selected
/// position. Quickselect (Hoare 1961) with median-of-three pivots, ranks taken middle first so the ranges shrink;
/// expected O(n) for a few ranks instead of O(n log n). The values must not be NaN.
package func selectRanks(_ ranks: [Int], in values: inout [Double]) {
    let sorted = ranks.sorted()
    let wanted = sorted.indices.filter { $0 == 0 || sorted[$0] != sorted[$0 - 1] }.map { sorted[$0] }
    precondition(wanted.allSatisfy { $0 >= 0 && $0 < values.count }, "ranks within the values")
    select(wanted[...], in: &values, 0, values.count - 1)
}

private func select(_ ranks: ArraySlice<Int>, in values: inout [Double], _ low: Int, _ high: Int) {
    // On a mutable span: no check of the array's uniqueness at each swap (they were a tenth of the time).
    var v = values.mutableSpan
    select(ranks, in: &v, low, high)
}

private func select(_ ranks: ArraySlice<Int>, in v: inout MutableSpan<Double>, _ low: Int, _ high: Int) {
    guard !ranks.isEmpty, low < high else { return }
    if high - low <= 16 { return insertionSort(&v, low, high) }
    let m = low + (high - low) / 2
    if v[m] < v[low] { v.swapAt(m, low) }
    if v[high] < v[low] { v.swapAt(high, low) }
    if v[high] < v[m] { v.swapAt(high, m) }
    let pivot = v[m]
    var i = low, j = high
    while i <= j {
        while v[i] < pivot { i += 1 }
        while v[j] > pivot { j -= 1 }
        if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
    }
    // Now [low, j] ≤ pivot ≤ [i, high], and the values between (j < k < i) equal the pivot, in their place.
    select(ranks.prefix { $0 <= j }, in: &v, low, j)
    select(ranks.drop { $0 < i }, in: &v, i, high)
}

private func insertionSort(_ v: inout MutableSpan<Double>, _ low: Int, _ high: Int) {
    guard low < high else { return }
    for i in (low + 1)...high {
        let x = v[i]
        var j = i - 1
        while j >= low && v[j] > x { v[j + 1] = v[j]; j -= 1 }
        v[j + 1] = x
    }
}
