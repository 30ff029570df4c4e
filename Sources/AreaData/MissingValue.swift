/// Why a value is missing, from the official symbols of German statistics ("Zeichenerklärung", docs/methods.md §6).
/// Reports keep the reason beside the empty cell.
public enum MissingReason: String, Sendable, CaseIterable, Codable {
    /// An empty cell.
    case empty
    /// `-`: exactly nothing ("nichts vorhanden").
    case nothing
    /// `.` or `·`: unknown or secret ("unbekannt oder geheim zu halten").
    case secret
    /// `x`: not meaningful ("Tabellenfach gesperrt, weil Aussage nicht sinnvoll").
    case notMeaningful = "not_meaningful"
    /// `...`: comes later ("Angabe fällt später an").
    case later
    /// `/`: not reliable enough ("keine Angabe, da Zahlenwert nicht sicher genug").
    case unreliable
    /// A numeric sentinel such as `-9999` (Berlin geoportal exports).
    case sentinel
    /// No row for this area and period in the input.
    case absent
    /// Too few sub-periods to aggregate (the gap rule of a period aggregation).
    case incomplete
    /// A share from counts whose denominator is zero or missing (derived indicators).
    case denominatorNotPositive = "denominator_zero_or_missing"
    /// A change `x(t) − x(t − lag)` with either value missing (derived indicators).
    case changeUnavailable = "change_unavailable"

    /// The reason a trimmed cell stands for, or `nil` when the cell is not a missing-value symbol.
    public static func symbol(_ text: String) -> MissingReason? {
        switch text {
        case "": .empty
        case "-", "–": .nothing
        case ".", "·": .secret
        case "x", "X": .notMeaningful
        case "...", "…": .later
        case "/": .unreliable
        default: nil
        }
    }
}

/// A cell read as a number: a value or a missing value with its reason.
public enum Cell: Sendable, Equatable {
    case value(Double)
    case missing(MissingReason)

    /// The value, NaN when missing.
    public var number: Double {
        if case .value(let v) = self { return v }
        return .nan
    }
}
