extension RunConfig {
    /// `[history]`: the classes of earlier editions (their `areas.csv`, oldest first), for the class history of each
    /// area (`tables/history.csv`, `tables/history_transitions.csv`).
    package struct History: Sendable, Encodable {
        package var tables: [String]
        /// One per table (e.g. the years); the current edition is labelled by its period.
        package var labels: [String]
        /// The classified index whose classes are followed (default: the first).
        package var index: String?

        init(reading t: ConfigReader.Table) {
            let reader = t.reader
            tables = t.requiredStrings("tables", "the areas.csv of at least one earlier edition, oldest first")
            labels = t.strings("labels") ?? []
            if labels.count != tables.count {
                reader.problem("'history.labels' must name each of the \(tables.count) tables, in their order",
                               line: reader.line(of: t.has("labels") ? "labels" : nil, in: "history"))
            }
            index = t.string("index")
            t.finish()
        }
    }
}
