/// How a choropleth map divides values into classes, as mapclassify (Rey et al., PySAL) does: each scheme gives the
/// classes' upper bounds, and a value belongs to the first class whose bound it does not exceed.
public enum MapClassification: Sendable, Equatable {
    /// k classes of (nearly) equal counts: the bounds are the 100·i/k-th percentiles (linear interpolation), i = 1…k,
    /// repeated bounds merged (then fewer classes), as `mapclassify.Quantiles`.
    case quantiles(Int)
    /// k classes of equal width between the smallest and largest value, as `mapclassify.EqualInterval`.
    case equalInterval(Int)
    /// Jenks' natural breaks: the k classes of least within-class sum of squares, by Fisher's exact dynamic
    /// programme (Fisher 1958) as `mapclassify.FisherJenks` runs it (in single precision, its ties resolved as
    /// there). Beyond `naturalBreaksLimit` values it runs on that many evenly spaced order statistics.
    case naturalBreaks(Int)
    /// The given upper bounds (ascending); the largest value closes the last class if it lies above them, as
    /// `mapclassify.UserDefined`.
    case manual([Double])

    /// The most values Fisher's O(k·n²) programme runs on (10⁴: about a second).
    public static let naturalBreaksLimit = 10_000

    /// The upper bounds of the classes of `values` (NaN values are left out).
    /// - Throws: `StatisticsError` without values, for k < 1, or for manual bounds that do not ascend.
    public func upperBounds(of values: [Double]) throws(StatisticsError) -> [Double] {
        let y = values.filter { !$0.isNaN }.sorted()
        guard let low = y.first, let high = y.last else {
            throw .insufficientData(statistic: "map classification", count: 0, needed: 1)
        }
        switch self {
        case .quantiles(let k), .equalInterval(let k), .naturalBreaks(let k):
            guard k >= 1 else { throw .invalidParameter(name: "classes", value: "\(k)", expected: "an int in the range [1, inf)") }
        case .manual(let bounds):
            guard !bounds.isEmpty, zip(bounds, bounds.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw .invalidParameter(name: "breaks", value: "\(bounds)", expected: "ascending numbers")
            }
        }
        switch self {
        case .quantiles(let k):
            var bounds: [Double] = []
            for i in 1...k {
                let q = quantileOfSorted(y, at: min(1, Double(i) / Double(k)), method: .linear)
                if bounds.last != q { bounds.append(q) }
            }
            return bounds
        case .equalInterval(let k):
            let width = (high - low) / Double(k)
            var bounds = (1...k).map { low + Double($0) * width }
            bounds[k - 1] = high
            return bounds
        case .naturalBreaks(let k):
            let sample = y.count <= Self.naturalBreaksLimit ? y : (0..<Self.naturalBreaksLimit).map {
                y[Int((Double($0) * Double(y.count - 1) / Double(Self.naturalBreaksLimit - 1)).rounded())]
            }
            return Self.fisherJenks(sample, classes: min(k, sample.count))
        case .manual(let bounds):
            return high > bounds.last! ? bounds + [high] : bounds
        }
    }

    /// The class (0-based) of each value under `bounds`, nil for NaN.
    public static func classes(of values: [Double], bounds: [Double]) -> [Int?] {
        values.map { v in v.isNaN ? nil : bounds.firstIndex { v <= $0 } ?? bounds.count - 1 }
    }

    /// Fisher's programme over sorted `values` in single precision, with mapclassify's loop order and ties (a later
    /// split at equal cost wins).
    private static func fisherJenks(_ values: [Double], classes k: Int) -> [Double] {
        let n = values.count
        guard k > 1, n > 1 else { return [values[n - 1]] }
        // Row l, column j of the two tables at l·(k + 1) + j.
        let width = k + 1
        var lower = [Int32](repeating: 0, count: (n + 1) * width)
        var cost = [Float](repeating: 0, count: (n + 1) * width)
        for j in 1...k { lower[width + j] = 1 }
        for l in 2...n { for j in 1...k { cost[l * width + j] = .infinity } }
        for l in 2...n {
            var s1: Float = 0, s2: Float = 0, w: Float = 0, v: Float = 0
            for m in 1...l {
                let i3 = l - m + 1
                let value = Float(values[i3 - 1])
                s2 += value * value
                s1 += value
                w += 1
                v = s2 - (s1 * s1) / w
                let i4 = i3 - 1
                if i4 != 0 {
                    for j in 2...k where cost[l * width + j] >= v + cost[i4 * width + j - 1] {
                        lower[l * width + j] = Int32(i3)
                        cost[l * width + j] = v + cost[i4 * width + j - 1]
                    }
                }
            }
            lower[l * width + 1] = 1
            cost[l * width + 1] = v
        }
        var bounds = [Double](repeating: 0, count: k + 1)
        bounds[k] = values[n - 1]
        var last = n
        for count in stride(from: k, to: 1, by: -1) {
            let pivot = Int(lower[last * width + count])
            bounds[count - 1] = values[pivot - 2]
            last = pivot - 1
        }
        return Array(bounds.dropFirst())
    }
}
