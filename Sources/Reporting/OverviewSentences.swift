import SozmonIO

extension HTMLReport {
    /// The overview's sentences (docs/report.md, "Sentences in the overview"), by fixed rules: for each classified
    /// index, its most frequent class and its last class (the lowest status, the most negative dynamics in the MSS
    /// order) with counts and shares of the classified areas; and the top-level unit with the most areas of
    /// particular attention, where one has at least a quarter of them.
    static func overviewSentences(_ areas: Areas, vocabulary: Vocabulary) -> String {
        var sentences: [String] = []
        for index in areas.indices {
            let counts = index.counts.perClass
            let classified = counts.reduce(0, +)
            guard classified > 0, let most = counts.indices.max(by: { counts[$0] < counts[$1] }),
                  let last = index.labels.indices.last else { continue }
            var sentence = tr("Nach dem {0} liegen die meisten Gebiete in der Klasse „{1}“ ({2} von {3})",
                              vocabulary.indexTitle(index.name), tr(index.labels[most]), counts[most], classified)
            if last != most {
                sentence += tr(", {0} ({1} %) in der Klasse „{2}“", counts[last],
                               shownNumber(100 * Double(counts[last]) / Double(classified), decimals: 1), tr(index.labels[last]))
            }
            sentences.append(sentence + ".")
        }
        if let attention = areas.attention, areas.regions.count == areas.ids.count {
            let flagged = areas.ids.indices.filter { attention[$0] == true }
            let byRegion = Dictionary(grouping: flagged) { areas.regions[$0] }.mapValues(\.count)
            if let top = byRegion.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }), 4 * top.value >= flagged.count,
               byRegion.count > 1 {
                sentences.append(tr("Die meisten Gebiete mit besonderem Aufmerksamkeitsbedarf liegen in {0} ({1} von {2}).",
                                    top.key, top.value, flagged.count))
            }
        }
        return sentences.joined(separator: " ")
    }
}
