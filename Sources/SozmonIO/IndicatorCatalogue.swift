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
        /// The label in an English report (`label_en`; without it the label).
        public var englishLabel: String?
        public init(label: String, unit: String? = nil, decimals: Int = 1, description: String? = nil, source: String? = nil,
                    englishLabel: String? = nil) {
            self.label = label; self.unit = unit; self.decimals = decimals; self.description = description; self.source = source
            self.englishLabel = englishLabel
        }

        /// The label in the report's language.
        public var shownLabel: String { ReportLanguage.current == .en ? englishLabel ?? label : label }
    }

    public var entries: [String: Entry]
    public init(_ entries: [String: Entry] = [:]) { self.entries = entries }

    public var isEmpty: Bool { entries.isEmpty }

    /// "Arbeitslosigkeit (SGB II) in %" for `S1` (in the report's language), or nil for a column the catalogue does
    /// not name.
    public func heading(_ code: String) -> String? {
        entries[code].map { entry in entry.unit.map { tr("{0} in {1}", entry.shownLabel, tr($0)) } ?? entry.shownLabel }
    }

    /// The decimals of column `code`, or nil.
    public func decimals(_ code: String) -> Int? { entries[code]?.decimals }
}
