/// A running sum with Neumaier's compensation (Neumaier 1974, an improvement of Kahan's): its error does not grow
/// with the number of terms (about one unit in the last place of the result instead of up to n of them), so sums over
/// the parts of the data, added in any order, agree with the sum over all of it to a few units in the last place.
public struct CompensatedSum: Sendable {
    private var sum = 0.0
    private var compensation = 0.0

    public init() {}

    public mutating func add(_ x: Double) {
        let t = sum + x
        compensation += abs(sum) >= abs(x) ? (sum - t) + x : (x - t) + sum
        sum = t
    }

    /// The sum of the terms added.
    public var value: Double { sum + compensation }
}
