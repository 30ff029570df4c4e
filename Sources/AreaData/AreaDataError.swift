/// Problems with areas, periods and panels, each naming the area, period or indicator concerned.
public enum AreaDataError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidHierarchy(String)
    case unknownArea(id: String, expected: String)
    /// Two rows for one area and period; `line` is the later row's (0 when unknown).
    case duplicateObservation(area: String, period: String, line: Int)
    case mixedFrequencies(String, String, line: Int = 0)
    case inconsistentShape(String)

    public var description: String {
        switch self {
        case .invalidHierarchy(let message): "invalid area hierarchy: \(message)"
        case .unknownArea(let id, let expected): "area \(id): expected \(expected)"
        case .duplicateObservation(let area, let period, _): "area \(area), period \(period) appears more than once"
        case .mixedFrequencies(let a, let b, _): "periods of different frequencies in one panel: \(a) and \(b)"
        case .inconsistentShape(let message): message
        }
    }
}
