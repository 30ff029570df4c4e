/// Partial sorting: after `selectRanks(ranks, in: &values)`, `values[r]` is the r-th smallest value (0-based) for
/// every r in `ranks`, as it would be after a full sort, and each value lies on the correct side of every selected
/// position. Quickselect (Hoare 1961) with median-of-three pivots, several ranks in one descent; expected O(n) for a
/// few ranks instead of O(n log n). The partition is Lomuto's without branches (each element swapped, the boundary
/// moved by the comparison's outcome, as in Edelkamp & Weiß's "BlockQuicksort", 2016): on unordered data a branch on
/// each comparison is mispredicted half the time, which was most of the cost. A pivot that is the smallest value of
/// its range gathers its equals in a second pass (as pdqsort does), so that many equal values stay linear. The values
/// must not be NaN.
package func selectRanks(_ ranks: [Int], in values: inout [Double]) {
    var wanted = ranks.sorted(), kept = 0  // sorted, each rank once
    for r in wanted.indices where kept == 0 || wanted[r] != wanted[kept - 1] {
        wanted[kept] = wanted[r]
        kept += 1
    }
    wanted.removeLast(wanted.count - kept)
    precondition(wanted.allSatisfy { $0 >= 0 && $0 < values.count }, "ranks within the values")
    // On a mutable span: no check of the array's uniqueness at each swap (they were a tenth of the time).
    let last = values.count - 1
    var v = values.mutableSpan
    select(wanted[...], in: &v, 0, last)
}

private func select(_ ranks: ArraySlice<Int>, in v: inout MutableSpan<Double>, _ low: Int, _ high: Int) {
    guard !ranks.isEmpty, low < high else { return }
    if high - low <= 16 { return insertionSort(&v, low, high) }
    // Median of three, the pivot then at `high`.
    let m = low + (high - low) / 2
    if v[m] < v[low] { v.swapAt(m, low) }
    if v[high] < v[low] { v.swapAt(high, low) }
    if v[high] < v[m] { v.swapAt(high, m) }
    v.swapAt(m, high)
    let pivot = v[high]
    var i = partition(&v, low, high) { $0 < pivot }  // [low, i) < pivot ≤ [i, high)
    if i == low {
        // The pivot is the smallest value here: its equals to the front, [low, i) == pivot, and they are in place.
        i = partition(&v, low, high) { $0 <= pivot }
        v.swapAt(i, high)
        return select(ranks.drop { $0 <= i }, in: &v, i + 1, high)
    }
    v.swapAt(i, high)  // the pivot in its place: [low, i) < v[i] ≤ (i, high]
    select(ranks.prefix { $0 < i }, in: &v, low, i - 1)
    select(ranks.drop { $0 <= i }, in: &v, i + 1, high)
}

/// Moves the values of [low, high) for which `before` holds to the front, without a branch on the outcome; returns
/// where the others begin.
@inline(__always)
private func partition(_ v: inout MutableSpan<Double>, _ low: Int, _ high: Int, _ before: (Double) -> Bool) -> Int {
    var i = low
    for j in low..<high {
        let x = v[j]
        v[j] = v[i]
        v[i] = x
        i &+= Int(unsafeBitCast(before(x), to: UInt8.self))
    }
    return i
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
