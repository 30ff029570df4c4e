import AreaData
import Indicators
import LinearAlgebra

/// Why an area has no class in some index (`unscored_reason`).
public enum UnscoredReason: String, Sendable, Equatable {
    /// Not eligible (see its exclusion reason).
    case notEligible = "not_eligible"
    /// Eligible, but without an indicator the index needs.
    case indicatorMissing = "indicator_missing"
}

/// Everything an index edition computed, per area, ready to be turned into report tables.
public struct Edition: Sendable {
    public var title: String
    public var period: Period
    public var areaIDs: [String]
    public var areaNames: [String]
    /// Per level (top down), the names of its units by id (`[names]`); empty where none are given.
    public var unitNames: [[String: String]] = []

    /// "Tiergarten Süd (011001)" for a unit with a name, else its id.
    public func unitTitle(level: Int, id: String) -> String {
        guard level < unitNames.count, let name = unitNames[level][id], !name.isEmpty else { return id }
        return "\(name) (\(id))"
    }

    /// Names of the hierarchy levels (top down) and each area's parent ids at those levels.
    public var levelNames: [String]
    public var parents: [[String]]
    public var population: [Double]
    /// Whether an area passed the eligibility rule (population, named exclusions).
    public var eligible: [Bool]
    /// Why an area is not eligible; `nil` for an eligible one.
    public var exclusionReasons: [EligibilityRule.Reason?]
    /// Why an area has no class in some index; `nil` for an area scored in every index.
    public var unscoredReasons: [UnscoredReason?] = []
    /// Every indicator shown (table indicators and derived changes), areas × indicators.
    public var indicatorNames: [String]
    public var indicatorValues: Matrix
    /// The values of `name` per area: an indicator, or an index's value (`<index>_value`); nil for anything else.
    public func values(of name: String) -> [Double]? {
        if let j = indicatorNames.firstIndex(of: name) { return Array(indicatorValues.column(j)) }
        return indices.first { "\($0.definition.name)_value" == name }?.value
    }

    /// Per area, the missing indicators with their reasons (`missing` column: `S3=secret`).
    public var missing: [[ReferenceIndicators.Missing]]
    public var indices: [IndexResult]
    public var combined: [CombinedClass?]?
    public var summaries: [LevelSummary]
    public var diagnostics: [(index: String, diagnostics: IndicatorDiagnostics)]
    public var uncertainty: [(index: String, analysis: UncertaintyAnalysis)]
    /// Leave-one-indicator-out sensitivity of the indices with `sensitivity = true`.
    public var sensitivity: [(index: String, analysis: LeaveOneOut)] = []
    /// What imputation and outlier treatment did to the indicators of the indices that ask for them.
    public var treatments: [(index: String, indicators: [TreatedIndicator])] = []
    /// Classes of the previous edition: area id → index name → class label.
    public var previousClasses: [String: [String: String]]?
    /// Counts behind count-based shares (by indicator column), so that every aggregate uses them.
    public var counts: [Int: LevelSummary.Counts] = [:]
    /// Indicator columns that count people (the numerators and denominators of `input.counts`, `crosswalk.counts`):
    /// summed at higher levels, and protected by disclosure control like the population.
    public var countColumns: Set<String> = []

    public init(title: String, period: Period, areaIDs: [String], areaNames: [String], levelNames: [String],
                parents: [[String]], population: [Double], eligible: [Bool], exclusionReasons: [EligibilityRule.Reason?], indicatorNames: [String],
                indicatorValues: Matrix, missing: [[ReferenceIndicators.Missing]], indices: [IndexResult], combined: [CombinedClass?]?,
                summaries: [LevelSummary], diagnostics: [(index: String, diagnostics: IndicatorDiagnostics)],
                uncertainty: [(index: String, analysis: UncertaintyAnalysis)],
                previousClasses: [String: [String: String]]?) {
        self.title = title; self.period = period; self.areaIDs = areaIDs; self.areaNames = areaNames
        self.levelNames = levelNames; self.parents = parents; self.population = population
        self.eligible = eligible; self.exclusionReasons = exclusionReasons; self.indicatorNames = indicatorNames
        self.indicatorValues = indicatorValues; self.missing = missing; self.indices = indices
        self.combined = combined; self.summaries = summaries; self.diagnostics = diagnostics
        self.uncertainty = uncertainty; self.previousClasses = previousClasses
    }

    /// Column name of a level's parent id: `bezirk_id`, `prognoseraum_id`, …
    public static func idColumn(of level: String) -> String {
        let slug = level.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
            .replacingOccurrences(of: "ä", with: "ae").replacingOccurrences(of: "ö", with: "oe")
            .replacingOccurrences(of: "ü", with: "ue").replacingOccurrences(of: "ß", with: "ss")
        return slug + "_id"
    }
}
