extension RunConfig {
    /// `[names]`: the names of the units of every level, from a table with a row per area (Berlin's `LOR_2021.csv`:
    /// each Planungsraum with the names of its Bezirksregion, Prognoseraum and Bezirk). Profiles, report links and the
    /// summaries' `<level>_name` columns show them.
    package struct Names: Sendable, Encodable {
        package var table: String
        /// The area id column of the table.
        package var areaID: String
        /// `[names.levels]`: per level (by its name in `input.level_names`), the column with its units' names.
        package var levels: [String: String]
        package var dialect = DialectOverride()

        init(reading t: ConfigReader.Table, input: Input?) {
            let reader = t.reader
            table = t.string("table") ?? ""
            if table.isEmpty { reader.problem("'names.table' is required: a table with a row per area", line: reader.line(of: nil, in: "names")) }
            areaID = t.string("area_id") ?? ""
            if areaID.isEmpty { reader.problem("'names.area_id' is required: the area id column of names.table", line: reader.line(of: nil, in: "names")) }
            levels = [:]
            if let columns = t.subtable("levels") {
                for level in columns.table.keys {
                    guard let column = columns.string(level) else { continue }
                    if let known = input?.levelNames, !known.contains(level) {
                        reader.problem("'names.levels.\(level)' is not a level; the levels are \(known.joined(separator: ", "))",
                                       line: reader.line(of: level, in: "names.levels"))
                    }
                    levels[level] = column
                }
                columns.finish()
            }
            if levels.isEmpty {
                reader.problem("'names.levels' must give the name column of at least one level (Bezirk = \"Bezirk\", …)",
                               line: reader.line(of: nil, in: "names"))
            }
            dialect = DialectOverride(reading: t)
            t.finish()
        }
    }
}
