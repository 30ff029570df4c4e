/// The worst disagreement between two sequences of numbers, for assertions that report how far off they were.
///
/// The error at each position is `|actual − expected| / max(|expected|, floor)`: relative for values above
/// `floor`, absolute below it. NaN must meet NaN (missing stays missing); a NaN on one side only is an infinite error.
public struct WorstError: CustomStringConvertible, Sendable {
    public let error: Double
    public let index: Int
    public let actual: Double
    public let expected: Double

    public init<A: Collection<Double>, E: Collection<Double>>(_ actual: A, _ expected: E, floor: Double = 1) {
        precondition(actual.count == expected.count, "lengths differ: \(actual.count) vs \(expected.count)")
        var worst = (error: 0.0, index: -1, actual: 0.0, expected: 0.0)
        for (index, (a, e)) in zip(actual, expected).enumerated() {
            let error: Double
            if a.isNaN || e.isNaN { error = (a.isNaN && e.isNaN) ? 0 : .infinity }
            else if a == e { error = 0 }  // also equal infinities
            else { error = abs(a - e) / Swift.max(abs(e), floor) }
            if error > worst.error || worst.index < 0 { worst = (error, index, a, e) }
        }
        (self.error, self.index, self.actual, self.expected) = worst
    }

    public var description: String {
        "worst error \(error) at index \(index): got \(actual), expected \(expected)"
    }
}
