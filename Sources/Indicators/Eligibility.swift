/// Which areas take part in an index (docs/methods.md §2, step 1): at least `minimumPopulation` inhabitants and not
/// named as an exclusion. Ineligible areas take no part in means and standard deviations and get no class, but stay
/// in every table with their reason.
public struct EligibilityRule: Sendable, Equatable {
    /// Minimum inhabitants (MSS: 300); `nil` for no population rule.
    public var minimumPopulation: Double?
    /// Area ids excluded by hand (MSS: one outlier per edition), with reason `excluded`.
    public var excludedAreas: Set<String>

    public init(minimumPopulation: Double? = 300, excludedAreas: Set<String> = []) {
        self.minimumPopulation = minimumPopulation
        self.excludedAreas = excludedAreas
    }

    /// Why an area is not eligible.
    public enum Reason: String, Sendable, Equatable {
        case excluded
        case populationBelowMinimum = "population_below_minimum"
        case populationMissing = "population_missing"
    }

    /// The reason area `id` with `population` is ineligible, or `nil` when it is eligible.
    public func reason(area id: String, population: Double?) -> Reason? {
        if excludedAreas.contains(id) { return .excluded }
        guard let minimum = minimumPopulation else { return nil }
        guard let population, !population.isNaN else { return .populationMissing }
        return population < minimum ? .populationBelowMinimum : nil
    }
}

/// The Gesamtindex of status and dynamics (docs/methods.md §2, steps 6–7).
public struct CombinedClass: Sendable, Equatable {
    /// `1+`, `1+/-`, `1-`, … `4-`.
    public let label: String
    /// `10 · status + dynamics`: 11 … 45.
    public let code: Int
    /// Gebiet mit besonderem Aufmerksamkeitsbedarf: status `sehr niedrig` (4), or `niedrig` (3) with dynamics
    /// `negativ` (5).
    public let attention: Bool

    /// The combination of a status class (codes 1–4) and a dynamics class (codes 1, 3, 5).
    public init(status: ClassScheme.Class, dynamics: ClassScheme.Class) {
        label = "\(status.code)\(dynamics.symbol)"
        code = 10 * status.code + dynamics.code
        attention = status.code == 4 || (status.code == 3 && dynamics.code == 5)
    }
}
