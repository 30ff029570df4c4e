import AreaData
import Foundation
import Reporting
import SozmonIO

/// Every input of a run, read and checked once: the indicator table's panel (extended by a crosswalk), the geometry,
/// the previous edition's classes.
struct InputSet {
    var panel: Panel
    var geometry: GeometryLayer?
    var warnings: [String]
    var previousClasses: [String: [String: String]]?
    /// How the earlier periods came through the crosswalk (`crosswalk.csv`), when one is configured.
    var crosswalk: Table?
    /// The first period of the current area system, where a crosswalk carried earlier periods into it.
    var recut: Period?
    /// Per level (top down), the names of its units by id (`[names]`); empty without names.
    var unitNames: [[String: String]] = []
}

/// Reads the inputs (`[input]`, `[previous]`, `[crosswalk]`).
struct InputStep: RunStep {
    let context: RunContext

    /// Reads every input (the table, geometry, previous edition, crosswalk); fingerprints are taken elsewhere.
    func run(timings: Timings) throws -> InputSet {
        let input = config.input
        var warnings: [String] = []
        let tableURL = config.url(input.table)
        let reading = try timings.measure("read table") {
            try readPanel(tableURL, dialect: config.input.dialect, resampling: config.input.resampling, checkingTotals: true)
        }
        warnings += reading.warnings
        // What `input.indicators` lists must be there (the other names are checked where they are used).
        if let lacking = input.indicators.first(where: { !reading.panel.indicators.contains($0) }) {
            throw InputError(file: tableURL.path, line: 1, message: "no column '\(lacking)' (listed in input.indicators); "
                             + "the table's indicators are \(reading.panel.indicators.joined(separator: ", "))")
        }
        try checkCounts(reading.panel, file: tableURL.path, dialect: reading.dialect)
        warnings += sharesOverAHundred(reading.panel, file: tableURL.path)
        if input.population == nil && config.eligibility.minPopulation != nil {
            warnings.append("\(config.origin.file): no input.population column, so eligibility.min_population is not applied")
        }
        if input.period == nil && input.referencePeriod == nil {
            warnings.append("\(config.origin.file): the table has no period column (input.period) and the config no Stichtag: "
                            + "give input.reference_period (2024, 2024Q4 or 2024-12-31), or the report says \"Stichtag nicht angegeben\"")
        }
        var geometry: GeometryLayer?
        if let path = input.geometry {
            let url = config.url(path)
            let layer = try timings.measure("read geometry") { try readGeometry(url) }
            warnings += layer.warnings
            let known = Set(layer.layer.areas.map(\.id))
            let lacking = reading.panel.areaIDs.filter { !known.contains($0) }
            if !lacking.isEmpty {
                warnings.append("\(url.path): \(lacking.count) areas of the table have no geometry (e.g. \(lacking.prefix(3).joined(separator: ", ")))")
            }
            geometry = layer.layer
        }
        var previous: [String: [String: String]]?
        if let path = config.previous {
            let url = config.url(path)
            let table = try CSVTable(contentsOf: url, requiringRows: "areas of the previous edition")
            let id = try table.columnIndex("area_id")
            var classes: [String: [String: String]] = [:]
            for row in table.rows {
                var byIndex: [String: String] = [:]
                for index in config.indices {
                    if let column = table.header.firstIndex(of: "\(index.name)_class"), !row[column].isEmpty {
                        byIndex[index.name] = row[column]
                    }
                }
                classes[row[id]] = byIndex
            }
            previous = classes
        }
        let (panel, crosswalk) = try timings.measure("crosswalk") {
            try extendedByCrosswalk(reading.panel, warnings: &warnings)
        }
        let recut = crosswalk == nil || panel.periods.first == reading.panel.periods.first ? nil : reading.panel.periods.first
        return InputSet(panel: panel, geometry: geometry, warnings: warnings,
                        previousClasses: previous, crosswalk: crosswalk, recut: recut, unitNames: try unitNames())
    }

    /// The names of the units of each level from `[names]`: each row names the units its area lies in; a unit named
    /// differently by two of its areas is refused at the second row.
    func unitNames() throws -> [[String: String]] {
        guard let names = config.names else { return [] }
        let url = config.url(names.table)
        let table = try readTable(url, dialect: names.dialect, requiringRows: "areas with the names of their units")
        let idColumn = try table.columnIndex(names.areaID)
        var byLevel = [[String: String]](repeating: [:], count: hierarchy.levelNames.count)
        for (level, levelName) in hierarchy.levelNames.enumerated() {
            guard let column = names.levels[levelName] else { continue }
            let c = try table.columnIndex(column)
            var firstLine: [String: Int] = [:]
            for (row, line) in zip(table.rows, table.lines) where !row[c].isEmpty {
                let unit: String
                do { unit = try hierarchy.parent(of: row[idColumn], level: level) } catch {
                    throw InputError(file: url.path, line: line, column: idColumn + 1, message: "\(error)")
                }
                if let earlier = byLevel[level][unit], earlier != row[c] {
                    throw InputError(file: url.path, line: line, column: c + 1, message: "\(levelName) \(unit) is named "
                                     + "\"\(earlier)\" on line \(firstLine[unit] ?? 0) and \"\(row[c])\" here")
                }
                byLevel[level][unit] = row[c]
                firstLine[unit] = firstLine[unit] ?? line
            }
        }
        return byLevel
    }

    /// The columns that count people (`RunConfig.countColumns`) hold whole numbers that are not negative.
    /// - Throws: `InputError` naming the column, the area and the period, with the dialect key where the value looks
    ///   like a number with thousands separators read as a fraction (`6.547`).
    func checkCounts(_ panel: Panel, file: String, dialect: CSVDialect) throws {
        for (j, column) in panel.indicators.enumerated() where config.countColumns.contains(column) {
            for t in panel.periods.indices {
                let values = panel.column(indicator: j, period: t)
                guard let i = values.firstIndex(where: { !$0.isNaN && ($0 < 0 || $0 != $0.rounded()) }) else { continue }
                let value = values[i]
                throw InputError(file: file, message: "column '\(column)' counts people, but area \(panel.areaIDs[i]) has "
                                 + "\(value.plainText) in \(panel.periods[t]); expected a whole number, 0 or more"
                                 + NumberParser.thousandsHint(value.plainText, dialect: dialect))
            }
        }
    }

    /// Warnings for shares above 100 (a lost decimal comma: 374 for 3,74) in the indicators the catalogue gives in
    /// %, naming the first few areas.
    func sharesOverAHundred(_ panel: Panel, file: String) -> [String] {
        panel.indicators.enumerated().compactMap { j, column in
            guard config.catalogue.entries[column]?.unit == "%" else { return nil }
            var found: [String] = []
            for t in panel.periods.indices {
                for (i, value) in panel.column(indicator: j, period: t).enumerated() where value > 100 {
                    found.append("\(panel.areaIDs[i]) in \(panel.periods[t]): \(value.plainText)")
                }
            }
            guard !found.isEmpty else { return nil }
            return "\(file): \(column) is a share in %, but \(found.count) values are above 100 (\(found.prefix(3).joined(separator: "; "))"
                + "\(found.count > 3 ? "; …" : "")): a lost decimal comma?"
        }
    }

    /// The layer of `input.geometry` (at `url`), by its id property.
    func readGeometry(_ url: URL) throws -> GeoJSON.Reading {
        try GeoJSON.read(url, idProperty: config.input.geometryID ?? config.input.areaID, duplicateIDs: config.input.duplicateIds)
    }

    /// When reading a data table stopped at a bad cell, every bad cell of that table (up to 50, then how many
    /// more), so that `validate` lists them all; other errors as they are.
    func everyCellProblem(after error: InputError) -> Error {
        let tables = [(config.input.table, config.input.dialect)]
            + [config.trends.flatMap { t in t.table.map { ($0, t.dialect) } }, config.quarters.flatMap { q in q.table.map { ($0, q.dialect) } }]
            .compactMap { $0 }
        guard let (path, dialect) = tables.first(where: { config.url($0.0).path == error.file }),
              let (reader, spec) = try? panelReader(config.url(path), dialect: dialect) else { return error }
        let (problems, more) = reader.cellProblems(spec, limit: 50)
        guard problems.count > 1 else { return error }
        let rest = more > 0 ? [InputError(file: error.file, message: "and \(more) more problems")] : []
        return ConfigProblems(problems: problems + rest)
    }
}
