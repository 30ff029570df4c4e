import SozmonIO

/// Disclosure control for everything a person can read (docs/disclosure.md): counts of people below a threshold
/// (default 3; Berlin never publishes counts of 1 or 2) become the official symbol `.`, and secondary cells are chosen
/// over all linked tables of the edition at once — each area's cell, the totals of every unit of every level, the
/// city, the class populations of every unit — so that no linear combination of published numbers narrows a small
/// count to less than `[0, x + protection]` (`SuppressionPattern`).
///
/// What goes with a withheld count: in the row of a small population every number (its shares, z-values and index
/// values would give it back through a population-weighted level mean); with a withheld count of `input.counts` its
/// partner count (numerator with denominator), the shares computed from them, their z-values and the index values
/// that contain those z-values; rates per 1 000 of the row; and in a row of a unit whose total is withheld, every
/// number (a unit that is a single area publishes that area's values).
public struct DisclosureControl: Sendable {
    public let threshold: Double
    /// How far above a small count the attacker's interval must reach (default: the threshold).
    public let protection: Double
    public static let symbol = "."

    /// The areas and their linked sums.
    public struct Areas: Sendable {
        public let ids: [String]
        /// Level names (top down) and each area's parent ids at those levels.
        public let levelNames: [String]
        public let parents: [[String]]
        /// Per index with classes, each area's class label ("" unclassified): class populations are published.
        public let classes: [(index: String, labels: [String])]
        public init(ids: [String], levelNames: [String], parents: [[String]], classes: [(index: String, labels: [String])]) {
            self.ids = ids; self.levelNames = levelNames; self.parents = parents; self.classes = classes
        }
    }

    /// A published sum, described.
    enum Place: Hashable {
        case unit(level: Int, id: String)
        case city
        case classPopulation(index: String, label: String, level: Int, unit: String)
    }

    let areas: Areas
    let index: [String: Int]
    /// The sum of each place.
    let places: [Place: SuppressionPattern.Sum]
    /// Per count variable (population, `target_population`, each count column): its pattern.
    let patterns: [String: SuppressionPattern]
    /// Per count column, the columns computed from it (its share) and the column it is published with.
    let derived: [String: [String]]
    /// The period of the edition: rows of other periods (a crosswalk's) get patterns of their own.
    let referencePeriod: String?

    /// - Parameters:
    ///   - counts: per count variable its value per area; `population` is the one whose class populations are
    ///     published. Variables with equal values share one pattern (they are the same numbers).
    ///   - derived: per count column, the columns computed from it (shares) and its partner count.
    ///   - pairs: counts published side by side (numerator and denominator): one pattern for both.
    public init(threshold: Double = 3, protection: Double? = nil, areas: Areas, counts: [String: [Double]] = [:],
                derived: [String: [String]] = [:], pairs: [[String]] = [], referencePeriod: String? = nil) {
        self.threshold = threshold
        self.referencePeriod = referencePeriod
        self.protection = protection ?? threshold
        self.areas = areas
        self.derived = derived
        index = Dictionary(areas.ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // Without a small count there is no small sum either (counts are whole numbers ≥ 0): nothing to suppress, and
        // the sums need not be built (at 10⁶ areas they are millions).
        guard counts.values.contains(where: { $0.contains { SuppressionPattern.isSmall($0, threshold: threshold) } }) else { places = [:]; patterns = [:]; return }
        let places = Self.places(of: areas)
        self.places = places
        var patterns: [String: SuppressionPattern] = [:]
        let scopes = Self.scopes(areas)
        // The population first: a count with the same values (a target group that is the population) is the same
        // numbers and must be published with the same pattern.
        var byValues: [[Double]: SuppressionPattern] = [:]
        for (name, values) in counts.sorted(by: { ($0.key == "population" ? "" : $0.key) < ($1.key == "population" ? "" : $1.key) }) {
            let key = values.map { $0.isNaN ? -1 : $0 }
            if let known = byValues[key] { patterns[name] = known; continue }
            let sums = areas.ids.indices.map { i in Self.sums(of: i, areas, places, withClasses: name == "population") }
            let pattern = SuppressionPattern(values: values, sums: sums, scopes: scopes, order: areas.ids, threshold: threshold,
                                             protection: protection ?? threshold)
            byValues[key] = pattern
            patterns[name] = pattern
        }
        for pair in pairs {
            let members = pair.compactMap { patterns[$0] }
            guard let first = members.first else { continue }
            let merged = members.dropFirst().reduce(first) { $0.merged(with: $1) }
            for name in pair where patterns[name] != nil { patterns[name] = merged }
        }
        self.patterns = patterns
    }

    /// The sum of every place of `areas`: the city, every unit of every level, every class population of every unit.
    static func places(of areas: Areas) -> [Place: SuppressionPattern.Sum] {
        var places: [Place: SuppressionPattern.Sum] = [.city: SuppressionPattern.Sum()]
        for i in areas.ids.indices {
            places[.city]!.insert(i)
            for (level, unit) in areas.parents[i].enumerated() {
                places[.unit(level: level, id: unit), default: .init()].insert(i)
                for (name, labels) in areas.classes {
                    places[.classPopulation(index: name, label: labels[i], level: level, unit: unit), default: .init()].insert(i)
                }
            }
        }
        return places
    }

    /// Every sum that holds area `i`: its own cell, its units, the city and (for the population) its class populations.
    static func sums(of i: Int, _ areas: Areas, _ places: [Place: SuppressionPattern.Sum], withClasses: Bool) -> [SuppressionPattern.Sum] {
        var sums = [SuppressionPattern.Sum(area: i), places[.city]!]
        for (level, unit) in areas.parents[i].enumerated() {
            sums.append(places[.unit(level: level, id: unit)]!)
            guard withClasses else { continue }
            for (name, labels) in areas.classes {
                sums.append(places[.classPopulation(index: name, label: labels[i], level: level, unit: unit)]!)
            }
        }
        return sums
    }

    /// Where to look for an area's partner: its units from the lowest to the top level (a part run holds whole
    /// top-level units, so it chooses as the single run does), or the city in a flat list.
    static func scopes(_ areas: Areas) -> (Int) -> [[Int]] {
        let levels = areas.levelNames.indices
        guard !levels.isEmpty else { let all = Array(areas.ids.indices); return { _ in [all] } }
        var members: [[String: [Int]]] = levels.map { _ in [:] }
        for (i, parents) in areas.parents.enumerated() {
            for (level, unit) in parents.enumerated() { members[level][unit, default: []].append(i) }
        }
        return { i in levels.reversed().map { members[$0][areas.parents[i][$0]] ?? [] } }
    }

    /// The footnote reports print under suppressed tables (German, as the reports are).
    public var footnote: String {
        tr("„{0}“: geheim gehalten zum Schutz kleiner Fallzahlen (unter {1} Personen); weitere Felder sind so gesperrt, "
           + "dass sich keine kleine Fallzahl aus den veröffentlichten Summen errechnen lässt", Self.symbol, threshold.plainText)
    }

    /// Whether `count` is a small count: positive and below the threshold (0 is published: "nothing").
    public func isSmall(_ count: Double) -> Bool { SuppressionPattern.isSmall(count, threshold: threshold) }

    /// Whether the count `variable` of area `id` is withheld.
    public func isSuppressed(_ variable: String, area id: String) -> Bool {
        guard let i = index[id], let pattern = patterns[variable] else { return false }
        return pattern.suppressed[i]
    }

    /// Whether the total of `variable` over unit `id` of `level` (nil: the city) is withheld.
    public func isWithheld(_ variable: String, level: Int?, unit id: String) -> Bool {
        guard let pattern = patterns[variable] else { return false }
        let place: Place = level.map { .unit(level: $0, id: id) } ?? .city
        guard let sum = places[place] else { return false }
        return pattern.withheld.contains(sum)
    }

    /// Whether the population of class `label` of `index` in unit `id` of `level` is withheld.
    public func isWithheld(index: String, label: String, level: Int, unit id: String) -> Bool {
        guard let pattern = patterns["population"],
              let sum = places[.classPopulation(index: index, label: label, level: level, unit: id)] else { return false }
        return pattern.withheld.contains(sum)
    }

    /// Whether a unit's population total is withheld: then every number of its rows is (a unit that is one area
    /// would publish that area's values).
    public func isWithheldUnit(level: Int?, id: String) -> Bool { isWithheld("population", level: level, unit: id) }

    /// The counts of people whose small value takes every number of its row with it.
    static let people: Set<String> = ["population", "target_population"]
}
