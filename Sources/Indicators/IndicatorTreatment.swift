import Statistics

/// Outlier treatment of one indicator as COINr's default (`Treat()` with `winsorise`, `winmax = 5`, skewness and
/// kurtosis thresholds 2 and 3.5, the direction decided anew at each step):
///
///     while |skew| > 2 and kurt > 3.5 and fewer than `maximumPoints` points are treated:
///         skew > 0: the areas with the largest value take the next smaller value, else the areas with the
///         smallest value take the next larger one
///
/// over the reference areas (eligible, with a value), where skew and kurt are the sample skewness and excess
/// kurtosis as Excel's SKEW and KURT (and COINr's `skew`, `kurt`, scipy's `bias=False`):
///
///     skew = n/((n−1)(n−2)) Σ((x−x̄)/s)³,  kurt = n(n+1)/((n−1)(n−2)(n−3)) Σ((x−x̄)/s)⁴ − 3(n−1)²/((n−2)(n−3))
///
/// with s the sample standard deviation. The result is a pair of bounds; `apply` clamps every area's value to them,
/// so areas outside the reference set are treated alike. (COINr goes on to a log transform where five points do not
/// suffice; sozmon stops and reports the skewness and kurtosis that remain.)
public struct Winsorization: Sendable, Equatable {
    public let pointsTreated: Int
    /// The bounds values are clamped to (−∞ / +∞ where nothing was treated on that side).
    public let lower: Double, upper: Double
    public let skewnessBefore: Double, kurtosisBefore: Double
    public let skewnessAfter: Double, kurtosisAfter: Double

    public init(_ values: [Double], reference: [Bool], maximumPoints: Int = 5) {
        var x = values.indices.filter { reference[$0] && !values[$0].isNaN }.map { values[$0] }.sorted()
        let before = (Self.skewness(x), Self.kurtosis(x))
        var treated = 0, lower = -Double.infinity, upper = Double.infinity
        while treated < maximumPoints, let first = x.first, let last = x.last, first < last {
            let skew = Self.skewness(x), kurt = Self.kurtosis(x)
            guard abs(skew) > 2 && kurt > 3.5 else { break }
            if skew > 0 {
                let next = x.last { $0 < last }!
                let count = x.reversed().prefix { $0 == last }.count
                for k in (x.count - count)..<x.count { x[k] = next }
                treated += count
                upper = next
            } else {
                let next = x.first { $0 > first }!
                let count = x.prefix { $0 == first }.count
                for k in 0..<count { x[k] = next }
                treated += count
                lower = next
            }
        }
        pointsTreated = treated
        self.lower = lower
        self.upper = upper
        (skewnessBefore, kurtosisBefore) = before
        (skewnessAfter, kurtosisAfter) = (Self.skewness(x), Self.kurtosis(x))
    }

    /// Each value clamped to the bounds (missing values stay missing).
    public func apply(_ values: [Double]) -> [Double] { values.map { $0.isNaN ? $0 : min(max($0, lower), upper) } }

    /// Excel's SKEW: NaN for fewer than 3 values or no spread.
    public static func skewness(_ x: [Double]) -> Double {
        let n = Double(x.count)
        guard x.count >= 3, let (mean, sd) = meanAndSD(x) else { return .nan }
        return n / ((n - 1) * (n - 2)) * x.reduce(0) { $0 + pow3(($1 - mean) / sd) }
    }

    /// Excel's KURT (excess kurtosis): NaN for fewer than 4 values or no spread.
    public static func kurtosis(_ x: [Double]) -> Double {
        let n = Double(x.count)
        guard x.count >= 4, let (mean, sd) = meanAndSD(x) else { return .nan }
        let m4 = x.reduce(0) { $0 + pow3(($1 - mean) / sd) * (($1 - mean) / sd) }
        return n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * m4 - 3 * (n - 1) * (n - 1) / ((n - 2) * (n - 3))
    }

    private static func pow3(_ v: Double) -> Double { v * v * v }

    private static func meanAndSD(_ x: [Double]) -> (Double, Double)? {
        let mean = x.reduce(0, +) / Double(x.count)
        let sd = (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)).squareRoot()
        return sd > 0 ? (mean, sd) : nil
    }
}

/// Missing values of an index's indicators filled in for the areas that take part.
public enum Imputation: String, Sendable, CaseIterable, Codable {
    case none
    /// The median of the indicator over the reference areas with a value.
    case median
    /// The median over the reference areas of the same group (a unit of a hierarchy level), else the city's.
    case groupMedian = "group-median"

    /// `values` with the missing values of the `reference` areas filled in, and how many were filled.
    /// - Parameter groups: each area's group (for `groupMedian`).
    public func apply(_ values: [Double], reference: [Bool], groups: [String]) -> (values: [Double], imputed: Int) {
        guard self != .none else { return (values, 0) }
        let present = values.indices.filter { reference[$0] && !values[$0].isNaN }
        guard !present.isEmpty else { return (values, 0) }
        let cityMedian = median(present.map { values[$0] })
        var groupMedians: [String: Double] = [:]
        if self == .groupMedian {
            for (group, members) in Dictionary(grouping: present, by: { groups[$0] }) {
                groupMedians[group] = median(members.map { values[$0] })
            }
        }
        var filled = values, count = 0
        for i in values.indices where reference[i] && values[i].isNaN {
            filled[i] = self == .groupMedian ? groupMedians[groups[i]] ?? cityMedian : cityMedian
            count += 1
        }
        return (filled, count)
    }

    private func median(_ x: [Double]) -> Double {
        let s = x.sorted(), m = s.count / 2
        return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
    }
}

/// What the treatment of an index did to one indicator (`treatment_<index>.csv`).
public struct TreatedIndicator: Sendable {
    public let indicator: String
    public let imputed: Int
    /// nil without outlier treatment.
    public let winsorization: Winsorization?
    public init(indicator: String, imputed: Int, winsorization: Winsorization?) {
        self.indicator = indicator; self.imputed = imputed; self.winsorization = winsorization
    }
}
