import AreaData
import SozmonIO

extension HTMLReport {
    /// A map of categories in a section of its own (need against supply, emerging hot spots, class history): each
    /// area's category by id, coloured as the legend says; areas without a category stay white.
    public struct CategoryMap: Sendable {
        public var heading: String
        /// One sentence under the heading (a count, what the map is based on).
        public var intro: String
        public var caption: String
        public var ids: [String]
        /// Each area's category: a label of `legend`, or nil.
        public var categories: [String?]
        public var legend: [(label: String, colour: String)]
        /// Whether the legend lists the categories (not for many regions, whose colours only tell neighbours apart).
        public var legendShown: Bool

        public init(heading: String, intro: String, caption: String, ids: [String], categories: [String?],
                    legend: [(label: String, colour: String)], legendShown: Bool = true) {
            self.heading = heading; self.intro = intro; self.caption = caption; self.ids = ids
            self.categories = categories; self.legend = legend; self.legendShown = legendShown
        }

        /// The section: heading, sentence, and the map of every area of `geometry` with its legend (the categories
        /// that occur, in legend order).
        /// - Parameter places: each area as a tooltip names it ("Lindenhof 1.1.1.1 (01010101)"); by id where absent.
        func render(geometry: GeometryLayer, places: [String: String] = [:]) -> String {
            let colour = Dictionary(legend.map { ($0.label, $0.colour) }, uniquingKeysWith: { first, _ in first })
            let category = Dictionary(zip(ids, categories), uniquingKeysWith: { first, _ in first })
            var fill: [String: String] = [:], titles: [String: String] = [:]
            for area in geometry.areas {
                let label = category[area.id] ?? nil
                fill[area.id] = label.flatMap { colour[$0] } ?? "#ffffff"
                titles[area.id] = "\(places[area.id] ?? area.id): \(label ?? tr("ohne Zuordnung"))"
            }
            let present = Set(categories.compactMap { $0 })
            let layer = geometry.projectedToMetresForMaps()
            let shapes = Dictionary(layer.areas.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            return "<h2>\(escape(heading))</h2><p>\(escape(intro))</p><figure><figcaption><b>\(escape(caption))</b></figcaption>"
                + (outline(shapes: shapes, ids: layer.areas.map(\.id)).map { svg($0, fill: fill, titles: titles) } ?? "")
                + "<div class=\"legend\">" + legend.filter { legendShown && present.contains($0.label) }.map {
                    legendKey($0.label, $0.colour) }.joined()
                + (geometry.areas.contains { (category[$0.id] ?? nil) == nil } ? legendKey(tr("ohne Zuordnung"), "#ffffff") : "")
                + "</div></figure>"
        }
    }
}
