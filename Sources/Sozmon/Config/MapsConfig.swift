import Statistics

/// `[maps] classification`: how a map's values are divided into classes.
public enum MapClassing: String, Sendable, Encodable, CaseIterable {
    case quantiles
    case equalInterval = "equal-interval"
    case naturalBreaks = "natural-breaks"
    case manual
}

extension RunConfig {
    /// `[maps]`: choropleth maps of chosen indicators (or `<index>_value`) in report.html, classed as mapclassify does.
    package struct Maps: Sendable, Encodable {
        package typealias Classification = MapClassing

        package var variables: [String]
        package var classification: Classification = .quantiles
        package var classes: Int = 5
        /// Upper bounds of the classes, for `manual`.
        package var breaks: [Double]?

        init(reading t: ConfigReader.Table) {
            let reader = t.reader
            variables = t.requiredStrings("variables", "at least one indicator or <index>_value")
            classification = t.choice("classification", default: classification)
            classes = t.int("classes", default: classes, range: 2...9)
            if t.has("breaks") {
                breaks = t.numbers("breaks")
                if let b = breaks, b.isEmpty || !zip(b, b.dropFirst()).allSatisfy({ $0 < $1 }) {
                    reader.problem("'maps.breaks' must be ascending numbers", line: reader.line(of: "breaks", in: "maps"))
                }
            }
            if (classification == .manual) != (breaks != nil) {
                reader.problem("'maps.breaks' (the classes' upper bounds) goes with classification = \"manual\", and only with it",
                               line: reader.line(of: breaks != nil ? "breaks" : "classification", in: "maps"))
            }
            t.finish()
        }

        /// The scheme as `Statistics` computes it.
        package var scheme: MapClassification {
            switch classification {
            case .quantiles: .quantiles(classes)
            case .equalInterval: .equalInterval(classes)
            case .naturalBreaks: .naturalBreaks(classes)
            case .manual: .manual(breaks ?? [])
            }
        }
    }
}
