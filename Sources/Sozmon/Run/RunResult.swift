import Reporting

/// What a run computed, as values for a program: each index's value and class per area, in the order of `areaIDs`,
/// and the report's files where it wrote one.
///
/// These are the run's own numbers, before disclosure control: a program that publishes them is responsible for
/// what the report folder's tables do for it (docs/disclosure.md).
public struct RunResult: Sendable {
    /// The period of the edition (`2024`, `2024Q4`); empty where the table has no period column and the config no
    /// `input.reference_period`.
    public let period: String
    /// The areas, in the order of the indicator table.
    public let areaIDs: [String]
    /// One per `[[index]]`, in the config's order.
    public let indices: [IndexScores]
    /// Every file of the report folder, relative to it and sorted (as `run.json` lists them); empty without one.
    public let files: [String]
    public let warnings: [String]
    /// The report's tables, by name (`areas`, `summary_bezirk`).
    package let tables: [String]

    init(_ edition: Edition, warnings: [String], tables: [String] = [], files: [String] = []) {
        period = edition.period.shown
        areaIDs = edition.areaIDs
        indices = edition.indices.map { index in
            IndexScores(name: index.definition.name,
                        values: zip(index.value, index.scored).map { value, scored in scored && value.isFinite ? value : nil },
                        classes: index.classes.map { $0?.label })
        }
        self.warnings = warnings
        self.tables = tables
        self.files = files
    }
}

/// One index over the areas: its value (`nil` for an area it does not score) and its class label (`nil` for an area
/// without a class, or an index without classes).
public struct IndexScores: Sendable {
    public let name: String
    public let values: [Double?]
    public let classes: [String?]
}
