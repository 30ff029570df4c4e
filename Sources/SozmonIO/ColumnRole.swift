/// What a report column holds, as far as disclosure control (docs/disclosure.md) must know it. The builder of a
/// table says it; nothing is inferred from a column's name.
public enum ColumnRole: Sendable, Hashable {
    /// A value about the row's unit (the default).
    case value
    /// The area id: the table has a row per area (and period).
    case areaID
    /// The period of the row.
    case period
    /// Identifies the row otherwise (a name, an indicator's code): never suppressed.
    case key
    /// Another area the row is about (a comparable area): the row's numbers go with that area's small population too.
    case relatedArea
    /// The id of the row's unit of hierarchy level `level` (0 = top), or `Stadt` for the city: the table has a row per
    /// unit, and its counts are that unit's totals. A second such column names the unit's parent.
    case unit(level: Int)
    /// A count of people of variable `of` (`population`, `target_population`, a count column of `input.counts`):
    /// the area's count in a row per area, the unit's total in a row per unit.
    case count(of: String)
    /// The population of class `label` ("" unclassified) of index `index` in the row's unit.
    case classPopulation(index: String, label: String)
    /// The z-value of indicator `of` (in the same table): it goes with that indicator.
    case zValue(of: String)
    /// An index's sum or value, computed from the z-values of `indicators`: it goes with any of them.
    case index(using: [String])
    /// A rate per 1 000 of the row's people: it goes with a suppressed count of its row.
    case rate
}
