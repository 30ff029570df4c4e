/// Indicators a run derives from the columns of the indicator table (docs/methods.md §2): shares from counts, and the
/// changes of the MSS dynamics index.
public enum DerivedIndicator {
    /// The status indicator whose change the dynamics indicator `name` is: `D<k>` is the change of `S<k>` (MSS's
    /// naming, e.g. `D3` = change of `S3`); nil for any other name.
    public static func changeBase(of name: String) -> String? {
        guard name.hasPrefix("D"), name.count > 1 else { return nil }
        return "S" + name.dropFirst()
    }

    /// `x(t) − x(t − lag)` per area; NaN where either is missing.
    public static func change(now: [Double], earlier: [Double]) -> [Double] {
        precondition(now.count == earlier.count, "one earlier value per area")
        return zip(now, earlier).map { $0 - $1 }
    }

    /// `100 · numerator / denominator` per area (a share in percent); NaN where the denominator is not positive
    /// (zero or missing), and NaN where the numerator is missing.
    public static func share(numerator: [Double], denominator: [Double]) -> [Double] {
        precondition(numerator.count == denominator.count, "one denominator per area")
        return zip(numerator, denominator).map { $1 > 0 ? 100 * $0 / $1 : .nan }
    }
}
