import AreaData
import Indicators
import SozmonIO

extension RunConfig {
    /// `[indicators.<code>]`: the catalogue entry of one indicator column (label, unit, decimals, description,
    /// source, polarity).
    package struct IndicatorInfo: Sendable, Encodable {
        package var entry: IndicatorCatalogue.Entry
        /// The default polarity of the indicator in every `[[index]]` that does not give its own.
        package var polarity: Polarity?

        init(reading t: ConfigReader.Table) {
            let reader = t.reader, path = t.path!
            let label = t.string("label") ?? ""
            if label.isEmpty {
                reader.problem("'\(path).label' is required: the indicator's name as a reader sees it",
                               line: reader.line(of: nil, in: path))
            }
            entry = IndicatorCatalogue.Entry(label: label, unit: t.string("unit"), decimals: t.int("decimals", default: 1, range: 0...6),
                                             description: t.string("description"), source: t.string("source"),
                                             englishLabel: t.string("label_en"))
            polarity = t.optionalChoice("polarity")
            t.finish()
        }
    }

    /// The catalogue of the human-facing outputs.
    package var catalogue: IndicatorCatalogue {
        IndicatorCatalogue(indicators.mapValues(\.entry))
    }

    /// The catalogue with an entry for each change `D<k>` the indices use whose `S<k>` it labels: "Veränderung
    /// Arbeitslosigkeit (SGB II) 2022–2024" in percentage points (for a share in %), with the share's decimals.
    package func catalogue(period: Period) -> IndicatorCatalogue {
        var catalogue = self.catalogue
        for index in indices {
            for name in index.indicators where catalogue.entries[name] == nil {
                guard let base = DerivedIndicator.changeBase(of: name), let entry = catalogue.entries[base] else { continue }
                let from = period.advanced(by: -index.lag)
                catalogue.entries[name] = IndicatorCatalogue.Entry(
                    label: "Veränderung \(entry.label) \(from)–\(period)", unit: entry.unit == "%" ? "Prozentpunkten" : entry.unit,
                    decimals: entry.decimals, description: entry.description.map { "Veränderung: \($0)" }, source: entry.source,
                    englishLabel: "Change in \(entry.englishLabel ?? entry.label) \(from)–\(period)")
            }
        }
        return catalogue
    }
}
