import SozmonIO

/// How the areas' classes went across editions (`[history]`): per area its class in each edition, how many editions
/// up to the newest in a row it has been in the lowest class, and the first and last edition with attention
/// (`tables/history.csv`); and the counts of class transitions between consecutive editions
/// (`tables/history_transitions.csv`).
public struct ClassHistory: Sendable {
    /// One edition: its label, and per area id its class (nil: none) and whether it needed attention (nil: unknown).
    public struct Edition: Sendable {
        public var label: String
        public var classes: [String: String?]
        public var attention: [String: Bool]
        public init(label: String, classes: [String: String?], attention: [String: Bool] = [:]) {
            self.label = label; self.classes = classes; self.attention = attention
        }
    }

    /// Oldest first; the last is the current edition.
    public let editions: [Edition]
    /// The class scheme's labels from least to most need (the last is the lowest class).
    public let classLabels: [String]
    public let index: String

    public init(editions: [Edition], classLabels: [String], index: String) {
        self.editions = editions; self.classLabels = classLabels; self.index = index
    }

    /// The areas of the current edition, in its order as given.
    public func tables(areaIDs: [String]) -> [Table] {
        let labels = editions.map(\.label)
        let lowest = classLabels.last
        var history = Table(name: "history", columns: ["area_id"] + labels.map { "\(index)_class_\($0)" }
                            + ["lowest_class_streak", "editions_in_lowest_class", "first_attention", "last_attention"],
                            roles: ["area_id": .areaID])
        for id in areaIDs {
            let classes = editions.map { $0.classes[id] ?? nil }
            let streak = lowestClassStreak(id)
            let attentionEditions = editions.filter { $0.attention[id] == true }.map(\.label)
            history.append([.text(id)] + classes.map { .optional($0) }
                           + [.integer(streak), .integer(classes.filter { $0 != nil && $0 == lowest }.count),
                              .optional(attentionEditions.first), .optional(attentionEditions.last)])
        }
        var transitions = Table(name: "history_transitions",
                                columns: ["from_edition", "to_edition", "from_class", "to_class", "areas"])
        let classOrder = classLabels + ["ohne Zuordnung"]
        for (before, after) in zip(editions, editions.dropFirst()) {
            let counts = transitionCounts(from: before, to: after, areaIDs: areaIDs)
            for from in classOrder {
                for to in classOrder {
                    guard let n = counts[from]?[to] else { continue }
                    transitions.append([.text(before.label), .text(after.label), .text(from), .text(to), .integer(n)])
                }
            }
        }
        return [history, transitions]
    }

    /// How many editions up to the newest in a row area `id` has been in the lowest class.
    func lowestClassStreak(_ id: String) -> Int {
        editions.reversed().prefix { ($0.classes[id] ?? nil).map { $0 == classLabels.last } ?? false }.count
    }

    /// Areas per class before and after (areas in no edition `before` left out; no class: "ohne Zuordnung").
    func transitionCounts(from before: Edition, to after: Edition, areaIDs: [String]) -> [String: [String: Int]] {
        var counts: [String: [String: Int]] = [:]
        for id in areaIDs where before.classes[id] != nil {
            counts[before.classes[id]! ?? "ohne Zuordnung", default: [:]][(after.classes[id] ?? nil) ?? "ohne Zuordnung", default: 0] += 1
        }
        return counts
    }

    /// How long each area has been in the lowest class up to the current edition, as a map for report.html.
    public func persistenceMap(areaIDs: [String]) -> HTMLReport.CategoryMap {
        func label(_ streak: Int) -> String {
            streak == 0 ? tr("nicht in der niedrigsten Klasse") : streak == 1 ? tr("nur in dieser Ausgabe") : tr("seit {0} Ausgaben", streak)
        }
        let streaks = areaIDs.map { id in (editions.last?.classes[id] ?? nil) == nil ? nil : lowestClassStreak(id) }
        let colours = HTMLReport.ramp([(0xfe, 0xe0, 0xd2), (0xa5, 0x0f, 0x15)], count: editions.count)
        let legend = [(label(0), "#eeeeee")] + (1...editions.count).map { (label($0), colours[$0 - 1]) }
        let persistent = streaks.filter { ($0 ?? 0) >= 2 }.count
        return HTMLReport.CategoryMap(
            heading: tr("Verlauf: niedrigste Klasse ({0})", tr(classLabels.last ?? "–")),
            intro: tr("{0} Gebiete sind seit mindestens zwei Ausgaben in der niedrigsten Klasse des Index {1} (Ausgaben {2}).",
                      persistent, index, editions.map(\.label).joined(separator: ", ")),
            caption: tr("Ausgaben in Folge in der niedrigsten Klasse"), ids: areaIDs, categories: streaks.map { $0.map(label) },
            legend: legend)
    }

    /// The class transitions from the previous to the current edition as a cross table (rows: before, columns:
    /// now), for report.html.
    public func transitionSection(areaIDs: [String]) -> String {
        guard editions.count >= 2 else { return "" }
        let before = editions[editions.count - 2], after = editions[editions.count - 1]
        let order = classLabels + ["ohne Zuordnung"]
        let counts = transitionCounts(from: before, to: after, areaIDs: areaIDs)
        let rows = order.filter { counts[$0] != nil }
        let columns = order.filter { to in rows.contains { counts[$0]?[to] != nil } }
        let e = HTMLReport.escape
        var html = "<h2>\(e(tr("Klassenwechsel {0} → {1}", before.label, after.label)))</h2><p><small>"
            + e(tr("Gebiete je Klasse des Index {0} in beiden Ausgaben; Zeilen: {1}, Spalten: {2}.", index, before.label, after.label))
            + "</small></p><table class=\"transitions\"><tr><th></th>" + columns.map { "<th>\(e(tr($0)))</th>" }.joined() + "</tr>"
        for from in rows {
            html += "<tr><th>\(e(tr(from)))</th>" + columns.map { to in
                let n = counts[from]?[to] ?? 0
                return from == to ? "<td><b>\(n)</b></td>" : "<td>\(n)</td>"
            }.joined() + "</tr>"
        }
        return html + "</table>"
    }
}
