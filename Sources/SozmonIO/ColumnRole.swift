/// What a report column holds, as far as disclosure control (METHODS.md §6) must know it. The builder of a table
/// says it; nothing is inferred from a column's name.
public enum ColumnRole: Sendable, Hashable {
    /// A value about the row's unit (the default): a number goes with a small population in its row.
    case value
    /// The area id: the table has a row per area (and period), and areas are grouped by their lowest-level unit.
    case areaID
    /// The period of the row: the rows of one period form their own groups.
    case period
    /// Identifies the row otherwise (a unit's id or name, an indicator's name): never suppressed.
    case key
    /// The number of people of the row's unit (population, target group): a small one is suppressed, and in a row
    /// per area every number of the row with it.
    case population
    /// The people of one part of the row's unit, e.g. of one class of an index: the parts of one `group` add up to
    /// the published population, so a second part goes with a small one.
    case part(of: String)
    /// The z-value of indicator `of` (in the same table): it goes with that indicator.
    case zValue(of: String)
    /// A rate per 1 000 of the row's people: it goes with a suppressed count of its row.
    case rate
}
