import Indicators

/// `[similar] scope`: which areas may be named as alike.
public enum SimilarScope: String, Sendable, Encodable, CaseIterable {
    case city
    /// Only areas of other top-level units (districts): a planner looks for experience elsewhere.
    case otherDistricts = "other-districts"
}

extension RunConfig {
    /// `[similar]`: for every area, the areas most alike it in chosen indicators (`tables/similar.csv`, and in the
    /// profiles).
    package struct Similar: Sendable, Encodable {
        package typealias Scope = SimilarScope

        package var variables: [String]
        package var k: Int = 5
        package var scope: Scope = .city
        package var metric: SimilarAreas.Metric = .euclidean

        init(reading t: ConfigReader.Table) {
            variables = t.requiredStrings("variables", "at least one indicator")
            k = t.int("k", default: k, range: 1...50)
            scope = t.choice("scope", default: scope)
            metric = t.choice("metric", default: metric)
            t.finish()
        }
    }
}
