import AreaData
import Foundation
import SozmonIO
import Trends

/// How steps read a table: with its section's dialect overrides and resampling, and only the columns the config names.
extension RunStep {
    /// Reads a table with the `[input]` columns and `dialect`. Reference dates that are all month (quarter, year)
    /// ends are read as months (quarters, years); then the section's `frequency` aggregates it.
    /// Rows of `input.totals` and `input.city_total` are left out of the areas (in every read of the indicator
    /// table); with `checkingTotals`, each is compared with the sum of its areas (a warning where they differ).
    func readPanel(_ tableURL: URL, dialect: RunConfig.DialectOverride, resampling: RunConfig.Resampling = .init(),
                   section: String = "[input]", repairingIDs: Bool = true, checkingTotals: Bool = false) throws -> PanelReading {
        let (reader, spec) = try panelReader(tableURL, dialect: dialect, repairingIDs: repairingIDs)
        if tableURL.standardizedFileURL == config.url(config.input.table).standardizedFileURL {
            let problems = config.inputColumnProblems(reader.header, file: tableURL)
            if !problems.isEmpty { throw ConfigProblems(problems: problems) }
        }
        let reading = try reader.panel(spec)
        let checks = checkingTotals ? try totalsChecked(reading.panel, file: tableURL.path) : []
        let panel = try resampled(reading.panel.readingStichtage() ?? reading.panel, resampling, section: section)
        return PanelReading(panel: panel, warnings: reading.warnings + checks, dialect: reader.dialect)
    }

    /// Each totals row of `panel` against the sum of its areas in its period: the population and every column that
    /// counts people. Warnings where they differ by more than rounding, and for a row that totals no unit.
    func totalsChecked(_ panel: Panel, file: String) throws -> [String] {
        let found = Set(panel.totals.map(\.id))
        if let id = config.input.totals.first(where: { !found.contains($0) }) ?? config.input.cityTotal.flatMap({ found.contains($0) ? nil : $0 }) {
            let key = config.input.totals.contains(id) ? "input.totals" : "input.city_total"
            throw config.error(at: key, "\(key) names '\(id)', which the table has no row of (ids: "
                             + "\(config.input.areaID)); the row meant would be read as an area")
        }
        var warnings: [String] = [], members: [String: [Int]] = [:]
        for i in panel.areaIDs.indices {
            for level in hierarchy.levelNames.indices {
                members[try hierarchy.parent(of: panel.areaIDs[i], level: level), default: []].append(i)
            }
        }
        let counted = panel.indicators.indices.filter { config.countColumns.contains(panel.indicators[$0]) }
        for row in panel.totals {
            let unit = row.id == config.input.cityTotal ? "the city" : "unit '\(row.id)'"
            guard let areas = row.id == config.input.cityTotal ? Array(panel.areaIDs.indices) : members[row.id],
                  let t = panel.periods.firstIndex(of: row.period) else {
                warnings.append("\(file):\(row.line): the totals row '\(row.id)' is no unit of the hierarchy; it is left out and not checked")
                continue
            }
            func sum(_ value: (Int) -> Double) -> Double { areas.reduce(0) { $0 + (value($1).isNaN ? 0 : value($1)) } }
            var compared: [(column: String, published: Double, sum: Double)] = []
            if let population = panel.population?[t] {
                compared.append((config.input.population ?? "population", row.population, sum { population[$0] }))
            }
            for j in counted {
                compared.append((panel.indicators[j], row.values[j], sum { panel.value(area: $0, indicator: j, period: t) }))
            }
            let when = config.input.period == nil ? "" : " in \(row.period)"
            for (column, published, sum) in compared where !published.isNaN && abs(published - sum) > 0.5 {
                warnings.append("\(file):\(row.line): the total of \(unit)\(when) has \(column) \(published.plainText); its "
                                + "\(areas.count) areas add up to \(sum.plainText)")
            }
        }
        return warnings
    }

    /// `panel` at the frequency `resampling` asks for (unchanged when it has that frequency already).
    func resampled(_ panel: Panel, _ resampling: RunConfig.Resampling, section: String) throws -> Panel {
        guard let name = resampling.frequency?.rawValue, let target = resampling.frequency?.frequency,
              let source = panel.periods.first?.frequency, source != target else { return panel }
        guard source != .daily else {
            throw config.error(at: sectionPath(section, "frequency"), "\(section) frequency = \"\(name)\": the table's periods are "
                             + "days (\(panel.periods[0])) that are not all month ends; give months (2024-03) or month-end dates")
        }
        do {
            return try panel.aggregated(to: target, by: resampling.aggregate.rule, minimumShare: resampling.incomplete == .keep ? 0 : 1)
        } catch {
            throw config.error(at: sectionPath(section, "frequency"), "\(section) frequency = \"\(name)\": the table's periods are "
                             + "\(source.rawValue) (\(panel.periods[0])); they can be aggregated only to a coarser frequency")
        }
    }

    /// A small table read whole, its detected dialect overridden as its section says.
    func readTable(_ url: URL, dialect: RunConfig.DialectOverride, requiringRows rows: String) throws -> CSVTable {
        if dialect.isEmpty { return try CSVTable(contentsOf: url, requiringRows: rows) }
        let detected = try CSVReader(contentsOf: url).dialect
        return try CSVTable(contentsOf: url, dialect: dialect.applied(to: detected), requiringRows: rows)
    }

    /// The reader of a table with its section's dialect overrides, and what to read of it (the `[input]` columns).
    func panelReader(_ tableURL: URL, dialect override: RunConfig.DialectOverride, repairingIDs: Bool = true) throws
        -> (CSVReader, PanelSpec) {
        let input = config.input
        let detected = try CSVReader(contentsOf: tableURL)
        let dialect = override.applied(to: detected.dialect)
        let reader = dialect == detected.dialect ? detected : try CSVReader(contentsOf: tableURL, dialect: dialect)
        // Only the columns the config names are read (in the table's order); the others may hold anything.
        let named = config.namedColumns.subtracting([input.areaID, input.areaName, input.population, input.period].compactMap { $0 })
        return (reader, PanelSpec(
            layout: input.layout, areaIDColumn: input.areaID,
            areaNameColumn: input.areaName, populationColumn: input.population, periodColumn: input.period,
            singlePeriod: input.referencePeriod ?? .unknown,
            indicatorColumns: reader.header.filter(named.contains), hierarchy: repairingIDs ? hierarchy : nil,
            totals: tableURL.standardizedFileURL == config.url(input.table).standardizedFileURL ? input.totalRows : []))
    }
}
