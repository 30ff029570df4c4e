import Indicators

extension RunConfig {
    /// `[similar]`: for every area, the areas most alike it in chosen indicators (`tables/similar.csv`, and in the
    /// profiles).
    public struct Similar: Sendable, Encodable {
        /// `scope`: which areas may be named.
        public enum Scope: String, Sendable, Encodable, CaseIterable {
            case city
            /// Only areas of other top-level units (districts): a planner looks for experience elsewhere.
            case otherDistricts = "other-districts"
        }

        public var variables: [String]
        public var k: Int = 5
        public var scope: Scope = .city
        public var metric: SimilarAreas.Metric = .euclidean

        init(reading t: ConfigReader.Table) {
            variables = t.requiredStrings("variables", "at least one indicator")
            k = t.int("k", default: k, range: 1...50)
            scope = t.choice("scope", default: scope)
            metric = t.choice("metric", default: metric)
            t.finish()
        }
    }
}
