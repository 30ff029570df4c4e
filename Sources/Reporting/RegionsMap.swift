import SozmonIO
import Spatial

extension SpatialReport {
    /// The map of the max-p regions in report.html: each region in one of eight colours, neighbouring regions in
    /// different ones where eight suffice (greedy colouring of the regions' contiguity, regions in order); no legend
    /// of the regions themselves, the tooltip names each area's region.
    public func regionsMaps(floorText: String) -> [HTMLReport.CategoryMap] {
        guard let weights else { return [] }
        let position = Dictionary(weights.ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return clusterings.filter { $0.method == .maxP && !$0.labels.isEmpty }.map { c in
            let count = (c.labels.max() ?? -1) + 1
            var region = [Int](repeating: -1, count: weights.count)
            for (id, label) in zip(c.areaIDs, c.labels) { if let i = position[id] { region[i] = label } }
            var touching = [Set<Int>](repeating: [], count: count)
            for i in 0..<weights.count where region[i] >= 0 {
                for j in weights.neighbours[i] where region[j] >= 0 && region[j] != region[i] { touching[region[i]].insert(region[j]) }
            }
            let palette = ["#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f", "#e5c494", "#b3b3b3"]
            var colour = [Int](repeating: -1, count: count)
            for r in 0..<count {
                let taken = Set(touching[r].map { colour[$0] })
                colour[r] = (0..<palette.count).first { !taken.contains($0) } ?? r % palette.count
            }
            let labels = (0..<count).map { tr("Region {0}", $0 + 1) }
            return HTMLReport.CategoryMap(
                heading: tr("max-p-Regionen"), intro: tr("{0} zusammenhängende Regionen mit je mindestens {1}.", count, floorText),
                caption: tr("Regionen"), ids: c.areaIDs, categories: c.labels.map { labels[$0] },
                legend: (0..<count).map { (labels[$0], palette[colour[$0]]) }, legendShown: false)
        }
    }
}
