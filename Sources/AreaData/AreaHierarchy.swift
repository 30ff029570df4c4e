/// The levels above the areas: Berlin's Planungsraum → Bezirksregion → Prognoseraum → Bezirk, or any other city's.
///
/// By default a parent id is a prefix of the area id (LOR: `01100101` → `011001` → `0110` → `01`, prefix lengths
/// 6, 4, 2). Cities whose ids do not nest give an explicit parent table instead.
public struct AreaHierarchy: Sendable, Equatable {
    public enum Rule: Sendable, Equatable {
        /// Parent ids are the prefixes of these lengths, from the top level down (LOR: `[2, 4, 6]`).
        case prefixes([Int])
        /// Explicit parents: for each area id, its parent ids from the top level down.
        case table([String: [String]])
    }

    public let rule: Rule
    /// Names of the levels from the top down, e.g. `["Bezirk", "Prognoseraum", "Bezirksregion"]`.
    public let levelNames: [String]

    /// The LOR 2021 hierarchy of Berlin's 8-digit ids.
    public static let berlinLOR = try! AreaHierarchy(prefixLengths: [2, 4, 6],
                                                     levelNames: ["Bezirk", "Prognoseraum", "Bezirksregion"])

    /// A prefix hierarchy. - Throws: `AreaDataError.invalidHierarchy` unless lengths increase and names match.
    public init(prefixLengths: [Int], levelNames: [String]? = nil) throws(AreaDataError) {
        guard prefixLengths.allSatisfy({ $0 > 0 }), zip(prefixLengths, prefixLengths.dropFirst()).allSatisfy({ $0 < $1 })
        else {
            throw .invalidHierarchy("prefix lengths must be positive and increasing, got \(prefixLengths)")
        }
        let names = levelNames ?? prefixLengths.indices.map { "level\($0 + 1)" }
        guard names.count == prefixLengths.count else {
            throw .invalidHierarchy("\(names.count) level names for \(prefixLengths.count) levels")
        }
        rule = .prefixes(prefixLengths)
        self.levelNames = names
    }

    /// An explicit hierarchy. - Throws: `AreaDataError.invalidHierarchy` when an area has the wrong number of parents.
    public init(parents: [String: [String]], levelNames: [String]) throws(AreaDataError) {
        if let (id, list) = parents.first(where: { $0.value.count != levelNames.count }) {
            throw .invalidHierarchy("area \(id) has \(list.count) parents, expected \(levelNames.count)")
        }
        rule = .table(parents)
        self.levelNames = levelNames
    }

    /// The shortest area id the prefix rule allows: one character more than the deepest prefix (any increasing
    /// list of prefix lengths shorter than the ids is a hierarchy: LOR `[2, 4, 6]` with 8-digit ids, AGS `[5]` with
    /// 8-digit Gemeinde keys), or `nil` for explicit tables and flat lists. The ids' own length is not implied.
    public var shortestIdLength: Int? {
        guard case .prefixes(let lengths) = rule, let last = lengths.last else { return nil }
        return last + 1
    }

    /// The parent id of `area` at `level` (0 = top).
    /// - Throws: `AreaDataError.unknownArea` when the id is too short for the prefix or missing from the table;
    ///   `.invalidHierarchy` when there is no such level (a flat list of areas has none).
    public func parent(of area: String, level: Int) throws(AreaDataError) -> String {
        guard levelNames.indices.contains(level) else {
            throw .invalidHierarchy("there is no level \(level + 1); the hierarchy has \(levelNames.count)")
        }
        switch rule {
        case .prefixes(let lengths):
            guard area.count > lengths[level] else {
                throw .unknownArea(id: area, expected: "an id longer than \(lengths[level]) characters")
            }
            return String(area.prefix(lengths[level]))
        case .table(let table):
            guard let parents = table[area] else {
                throw .unknownArea(id: area, expected: "an id listed in the parent table")
            }
            return parents[level]
        }
    }
}
