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
                                             description: t.string("description"), source: t.string("source"))
            polarity = t.optionalChoice("polarity")
            t.finish()
        }
    }

    /// The catalogue of the human-facing outputs.
    package var catalogue: IndicatorCatalogue {
        IndicatorCatalogue(indicators.mapValues(\.entry))
    }
}
