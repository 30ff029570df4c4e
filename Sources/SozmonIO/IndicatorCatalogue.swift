/// What a person reads for an indicator (`[indicators.<code>]` of the config): its label, unit and decimals, with a
/// description and source. Human-facing outputs (the workbook, report.html, the profiles) use them; CSV and the
/// GeoPackage keep the codes and full precision.
public struct IndicatorCatalogue: Sendable, Equatable {
    public struct Entry: Sendable, Equatable, Encodable {
        public var label: String
        public var unit: String?
        /// Decimals shown (0…6).
        public var decimals: Int
        public var description: String?
        public var source: String?
        public init(label: String, unit: String? = nil, decimals: Int = 1, description: String? = nil, source: String? = nil) {
            self.label = label; self.unit = unit; self.decimals = decimals; self.description = description; self.source = source
        }
    }

    public var entries: [String: Entry]
    public init(_ entries: [String: Entry] = [:]) { self.entries = entries }

    public var isEmpty: Bool { entries.isEmpty }

    /// "Arbeitslosigkeit (SGB II) in %" for `S1`, or nil for a column the catalogue does not name.
    public func heading(_ code: String) -> String? {
        entries[code].map { entry in entry.unit.map { "\(entry.label) in \($0)" } ?? entry.label }
    }

    /// The decimals of column `code`, or nil.
    public func decimals(_ code: String) -> Int? { entries[code]?.decimals }
}
