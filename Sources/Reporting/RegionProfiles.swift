import AreaData
import Foundation
import Indicators
import SozmonIO
import Statistics
import Synchronization

/// Bezirksregionenprofile: one page per unit of a level (default Bezirksregion) with its key indicators against its
/// parent unit and the city (value, z among the units of the level, rank), their course over the periods as a small
/// chart, the classes of its areas (counts and population), its areas of special attention and a map of its parent
/// unit with the region highlighted.
///
/// Everything comes from the edition (the summaries of `tables/summary_<level>.csv`, the classes of
/// `tables/areas.csv`) and from `LevelSummary` per period for the charts: the profile shows the tables' numbers.
public struct RegionProfiles: Sendable {
    /// Population-weighted (or count-based) values per unit and period, for the charts.
    public struct Series: Sendable {
        public let periods: [Period]
        /// Per period, the summaries of the profile level and of the city (one unit).
        public let level: [LevelSummary]
        public let city: [LevelSummary]
        /// The first period of the current area system where earlier ones came through a crosswalk (marked in the
        /// charts), or nil.
        public let recut: Period?
        public init(periods: [Period], level: [LevelSummary], city: [LevelSummary], recut: Period? = nil) {
            self.periods = periods; self.level = level; self.city = city; self.recut = recut
        }
    }

    public let edition: Edition
    /// Index of the level in `edition.levelNames`.
    public let level: Int
    /// The city as one unit, for the reference period.
    public let city: LevelSummary
    public let series: Series?
    /// Small populations on the pages (a unit's total, the class populations of its areas) are suppressed by it.
    public let disclosure: DisclosureControl
    /// Labels and decimals of the indicators on the pages.
    public let catalogue: IndicatorCatalogue
    /// Comparable areas (`[similar]`): each page lists its areas' most similar.
    public let similar: SimilarReport?
    /// The significance level of the trend clauses of the sentences (`ProfileSentences`).
    public let alpha: Double

    public init(edition: Edition, level: Int, city: LevelSummary, series: Series?, disclosure: DisclosureControl,
                catalogue: IndicatorCatalogue = IndicatorCatalogue(), similar: SimilarReport? = nil, alpha: Double = 0.05) {
        self.edition = edition; self.level = level; self.city = city; self.series = series; self.disclosure = disclosure
        self.catalogue = catalogue; self.similar = similar; self.alpha = alpha
        let units = edition.summaries.first { $0.levelName == edition.levelNames[level] }?.units ?? []
        rankedUnitCount = units.filter { !disclosure.isWithheldUnit(level: level, id: $0.id) }.count
    }

    /// How many units of the level are ranked: those whose values are published.
    let rankedUnitCount: Int

    /// "Vergleichbare Planungsräume": for each area of the unit, its most similar areas (as many as `[similar] k`).
    private func similarSection(_ members: [Int]) -> String {
        guard let similar, !members.isEmpty else { return "" }
        let e = HTMLReport.escape
        var out = "<h2>\(tr("Vergleichbare Planungsräume"))</h2><p><small>\(e(tr("Nach {0}; die ähnlichsten zuerst.", similar.basis)))</small></p>"
            + "<table><thead><tr><th style=\"text-align:left\">\(tr("Planungsraum"))</th><th style=\"text-align:left\">\(tr("ähnlich"))</th></tr></thead><tbody>"
        for i in members {
            let names = similar.neighbours[i].map { j in
                edition.areaNames[j].isEmpty ? edition.areaIDs[j] : "\(edition.areaNames[j]) (\(edition.areaIDs[j]))"
            }
            let area = edition.areaNames[i].isEmpty ? edition.areaIDs[i] : "\(edition.areaNames[i]) (\(edition.areaIDs[i]))"
            out += "<tr><td class=\"t\">\(e(area))</td><td class=\"t\">\(e(names.isEmpty ? "–" : names.joined(separator: "; ")))</td></tr>"
        }
        return out + "</tbody></table>"
    }

    /// An indicator as a page names it: its catalogue heading, or its code.
    private func name(_ indicator: String) -> String { catalogue.heading(indicator) ?? indicator }

    /// An indicator's value with its catalogue's decimals (one without a catalogue entry).
    private func value(_ x: Double, of indicator: String) -> String {
        x.isNaN ? "–" : HTMLReport.shownNumber(x, decimals: catalogue.decimals(indicator) ?? 1)
    }

    var levelName: String { edition.levelNames[level] }

    /// "Stand 2024", or that the config gives none (a table without a period column, no `input.reference_period`).
    var stand: String { edition.period == .unknown ? tr("Stichtag nicht angegeben") : tr("Stand {0}", edition.period) }
    var summary: LevelSummary { edition.summaries.first { $0.levelName == levelName }! }
    var parentSummary: LevelSummary? { level > 0 ? edition.summaries.first { $0.levelName == edition.levelNames[level - 1] } : nil }

    /// The indicators shown: those of the indices, then the rest of the table's.
    var indicators: [Int] {
        var order: [String] = []
        for index in edition.indices { for name in index.definition.indicators where !order.contains(name) { order.append(name) } }
        for name in edition.indicatorNames where !order.contains(name) { order.append(name) }
        return order.compactMap { edition.indicatorNames.firstIndex(of: $0) }
    }

    /// The ids of the units, one page each.
    public var summaryUnitIDs: [String] { summary.units.map(\.id) }

    /// Each profile page's unit id with its title for a link (`Tiergarten Süd (011001)`).
    public var pageLinks: [(id: String, title: String)] { summary.units.map { ($0.id, edition.unitTitle(level: level, id: $0.id)) } }

    /// One row per unit and indicator: the `profiles_<level>` sheet of the workbook.
    public func table() -> Table {
        let slug = Edition.idColumn(of: levelName).dropLast(3)
        var table = Table(name: "profiles_\(slug)", columns: [
            "region_id", "parent_id", "areas", "population", "indicator", "value", "parent_value", "city_value",
            "z", "rank", "units",
        ], roles: ["region_id": .unit(level: level), "parent_id": .unit(level: max(level - 1, 0)),
                    "population": .count(of: "population"), "indicator": .key])
        for row in rows() {
            table.append([.text(row.unit.id), .optional(row.parent?.id), .integer(row.unit.areaCount),
                          .value(row.unit.population), .text(row.indicator), .value(row.value), .value(row.parentValue),
                          .value(row.cityValue), .value(row.z), row.rank.map { .integer($0) } ?? .empty,
                          .integer(summary.units.count)])
        }
        return table
    }

    struct Row {
        let unit: LevelSummary.Unit
        let parent: LevelSummary.Unit?
        let indicator: String
        let value, parentValue, cityValue, z: Double
        /// The standard deviation of the indicator over the level's units (the z-values' σ).
        let spread: Double
        let rank: Int?
        /// Disclosure control withholds the unit's (or its parent's) population total, and with it its values.
        let withheld: Bool, parentWithheld: Bool
    }

    /// Per indicator: the z-value `(x − x̄)/σ` (population SD over the units with a value) and the rank
    /// (1 = highest value; ties share the smaller rank) of each unit among the units of the level whose values are
    /// published (a withheld unit's value would follow from the others' z-values, which sum to 0).
    func rows() -> [Row] {
        let units = summary.units
        let parents = parentSummary.map { Dictionary(uniqueKeysWithValues: $0.units.map { ($0.id, $0) }) } ?? [:]
        let parentOf = parentIDs()
        let withheld = units.map { disclosure.isWithheldUnit(level: level, id: $0.id) }
        var rows: [Row] = []
        let standardized = indicators.map { j -> (z: [Double], rank: [Int?], sd: Double) in
            let values = units.indices.map { withheld[$0] ? .nan : units[$0].indicatorMeans[j] }
            let present = values.filter { !$0.isNaN }
            let moments = try? Moments(present)
            let sd = (try? moments?.standardDeviation(ddof: 0)) ?? nil
            let z = values.map { x in
                guard let m = moments, let sd, sd > 0, !x.isNaN else { return Double.nan }
                return (x - m.mean) / sd
            }
            let descending = present.sorted(by: >)
            let rank = values.map { x -> Int? in
                guard !x.isNaN else { return nil }
                var low = 0, high = descending.count  // how many values are greater than x
                while low < high { let mid = (low + high) / 2; if descending[mid] > x { low = mid + 1 } else { high = mid } }
                return 1 + low
            }
            return (z, rank, sd ?? .nan)
        }
        for (u, unit) in units.enumerated() {
            let parent = parentOf[unit.id].flatMap { parents[$0] }
            let parentWithheld = parent.map { disclosure.isWithheldUnit(level: level - 1, id: $0.id) } ?? false
            for (k, j) in indicators.enumerated() {
                rows.append(Row(unit: unit, parent: parent, indicator: edition.indicatorNames[j],
                                value: unit.indicatorMeans[j], parentValue: parent?.indicatorMeans[j] ?? .nan,
                                cityValue: city.units.first?.indicatorMeans[j] ?? .nan,
                                z: standardized[k].z[u], spread: standardized[k].sd, rank: standardized[k].rank[u],
                                withheld: withheld[u], parentWithheld: parentWithheld))
            }
        }
        return rows
    }

    /// The cells of a row on a page: value, parent's (the city's at the top level), city's, z and rank, with the
    /// suppression symbol where disclosure control withholds them.
    private func cells(_ row: Row) -> [String] {
        let hidden = DisclosureControl.symbol, ranked = rankedUnitCount
        return [row.withheld ? hidden : value(row.value, of: row.indicator),
                level > 0 && row.parentWithheld ? hidden : value(level > 0 ? row.parentValue : row.cityValue, of: row.indicator),
                value(row.cityValue, of: row.indicator),
                row.withheld ? hidden : number(row.z, 2),
                row.withheld ? hidden : row.rank.map { tr("{0} von {1}", $0, ranked) } ?? "–"]
    }

    /// The page's sentences (`ProfileSentences`): where each indicator stands against the city and how it moved;
    /// empty for a withheld unit.
    private func sentences(_ unit: LevelSummary.Unit, _ rows: [Row]) -> String {
        guard let first = rows.first, !first.withheld else { return "" }
        let periods = series?.periods ?? []
        let perPeriod = series?.level.map { $0.unit(unit.id) } ?? []  // the unit in each period, found once
        let items = zip(rows, indicators).map { row, j in
            (indicator: row.indicator, value: row.value, city: row.cityValue, spread: row.spread,
             series: perPeriod.map { u in u.flatMap { j < $0.indicatorMeans.count ? $0.indicatorMeans[j] : nil } ?? .nan },
             periods: periods)
        }
        return ProfileSentences(catalogue: catalogue, alpha: alpha).paragraph(items)
    }

    /// Unit id → the id of its parent unit (one level up), from the areas' parent columns.
    func parentIDs() -> [String: String] {
        guard level > 0 else { return [:] }
        var result: [String: String] = [:]
        for p in edition.parents { result[p[level]] = p[level - 1] }
        return result
    }

    /// The page of every unit: `(id, html, markdown)`.
    /// Renders every unit's page and hands it to `write`, on all cores in chunks of units, one page at a time per
    /// thread (10⁵ areas make thousands of pages: they are never all held at once). Each page depends only on its
    /// unit, so the files are the same for any number of threads.
    /// - Throws: the first error of `write`; pages of other chunks may have been written by then.
    /// - Parameter linkingTo: the report page the profiles link back to (relative to the report folder), if any.
    public func writePages(geometry: GeometryLayer?, linkingTo report: String? = nil,
                           _ write: @Sendable (_ id: String, _ html: String, _ markdown: String) throws -> Void) throws {
        let render = pageRenderer(geometry: geometry, report: report)
        let units = summary.units, chunks = min(units.count, 64)
        let failure = Mutex<Error?>(nil), language = ReportLanguage.current
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            for k in (c * units.count / chunks)..<((c + 1) * units.count / chunks) {
                guard failure.withLock({ $0 == nil }) else { return }
                let page = ReportLanguage.$current.withValue(language) { render(units[k]) }
                do { try write(page.id, page.html, page.markdown) } catch { failure.withLock { $0 = $0 ?? error } }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// What the pages share, computed once (rows, map shapes, members of units and parent units), and the
    /// function that renders one unit's page from it.
    private func pageRenderer(geometry: GeometryLayer?, report: String?) -> @Sendable (LevelSummary.Unit) -> (id: String, html: String, markdown: String) {
        let rowsByUnit = Dictionary(grouping: rows(), by: { $0.unit.id })
        let shapes = geometry.map { layer in
            Dictionary(layer.projectedToMetresForMaps().areas.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        }
        // Members of every unit and of every parent unit, grouped once (not one scan of all areas per unit).
        var membersOf: [String: [Int]] = [:], parentMembers: [String: [Int]] = [:]
        for (i, p) in edition.parents.enumerated() {
            membersOf[p[level], default: []].append(i)
            if level > 0 { parentMembers[p[level - 1], default: []].append(i) }
        }
        let everyArea = Array(edition.areaIDs.indices)
        // The map of each parent unit (the city's at the top level), drawn once for all its units' pages.
        let maps: [String: (shown: [Int], outline: HTMLReport.MapOutline)] = shapes.map { shapes in
            let groups = level == 0 ? ["": everyArea] : parentMembers
            var maps: [String: (shown: [Int], outline: HTMLReport.MapOutline)] = [:]
            for (parent, shown) in groups {
                if let outline = HTMLReport.outline(shapes: shapes, ids: shown.map { edition.areaIDs[$0] }) {
                    maps[parent] = (shown, outline)
                }
            }
            return maps
        } ?? [:]
        return { [self, membersOf] unit in
            let rows = rowsByUnit[unit.id] ?? []
            let members = membersOf[unit.id] ?? []
            let parent = level == 0 ? "" : members.first.map { edition.parents[$0][level - 1] } ?? ""
            return (unit.id, html(unit, rows, members, maps[parent], report: report), markdown(unit, rows, members))
        }
    }

    // MARK: - Page parts

    private func heading(_ unit: LevelSummary.Unit, _ members: [Int]) -> (title: String, path: String) {
        let title = "\(levelName) \(edition.unitTitle(level: level, id: unit.id))"
        let path = members.first.map { i in
            (0..<level).map { "\(edition.levelNames[$0]) \(edition.unitTitle(level: $0, id: edition.parents[i][$0]))" }
        } ?? []
        return (title, ([tr("Stadt")] + path).joined(separator: " › "))
    }

    private func number(_ x: Double, _ digits: Int = 1) -> String {
        x.isNaN ? "–" : HTMLReport.fixed(x, digits, mark: ReportLanguage.current.decimalMark)
    }

    /// Counts and population per class of every classified index, over `members`; the populations as printed,
    /// with disclosure control over the classes of one index (they add up to the unit's population).
    private func classCounts(_ unit: LevelSummary.Unit, _ members: [Int]) -> [(index: String, rows: [(label: String, areas: Int, population: String)])] {
        edition.indices.compactMap { index in
            guard let scheme = index.definition.classes else { return nil }
            let labels = scheme.classes.map(\.label) + [""]
            return (index.definition.name, labels.map { label in
                let inClass = members.filter { (index.classes[$0]?.label ?? "") == label }
                let people = inClass.reduce(0.0) { $0 + (edition.population[$1].isNaN ? 0 : edition.population[$1]) }
                let hidden = disclosure.isWithheld(index: index.definition.name, label: label, level: level, unit: unit.id)
                return (tr(label.isEmpty ? "ohne Zuordnung" : label), inClass.count,
                        hidden ? DisclosureControl.symbol : HTMLReport.shownNumber(people, decimals: 0))
            })
        }
    }

    /// A unit's population as printed: the symbol where disclosure control withholds it.
    private func population(_ unit: LevelSummary.Unit) -> String {
        disclosure.isWithheldUnit(level: level, id: unit.id) ? DisclosureControl.symbol
            : unit.population.isNaN ? "–" : HTMLReport.shownNumber(unit.population, decimals: 0)
    }

    private func attention(_ members: [Int]) -> [Int] { members.filter { edition.combined?[$0]?.attention == true } }

    /// - Parameter parentMap: the parent unit's areas and their outlines, when the run has geometry.
    private func html(_ unit: LevelSummary.Unit, _ rows: [Row], _ members: [Int],
                      _ parentMap: (shown: [Int], outline: HTMLReport.MapOutline)?, report: String?) -> String {
        let e = HTMLReport.escape
        let (title, path) = heading(unit, members)
        let parentName = level > 0 ? edition.levelNames[level - 1] : tr("Stadt")
        let summary = sentences(unit, rows)
        var out = HTMLReport.document(title: title, maxWidth: 1000, style: """
            .charts{display:flex;flex-wrap:wrap;gap:1em} .charts figure{margin:0}
            """) + """
            <p><small>\(report.map { "<a href=\"../\(e($0))\">\(tr("Bericht"))</a> · " } ?? "")\(e(path))</small></p>
            <h1>\(e(title))</h1>
            <p>\(e(tr("{0} Planungsräume, {1} Einwohner; {2}.", unit.areaCount, population(unit), stand)))</p>
            \(summary.isEmpty ? "" : "<h2>\(tr("Auf einen Blick"))</h2><p>\(e(summary))</p>")
            <h2>\(tr("Kennzahlen"))</h2>
            <table><thead><tr><th style="text-align:left">\(tr("Indikator"))</th><th>\(tr("Wert"))</th><th>\(e(parentName))</th><th>\(tr("Stadt"))</th><th>z</th><th>\(tr("Rang"))</th></tr></thead><tbody>
            """
        for row in rows {
            out += "<tr><td class=\"t\" title=\"\(e(row.indicator))\">\(e(name(row.indicator)))</td>"
                + cells(row).map { "<td>\(e($0))</td>" }.joined() + "</tr>"
        }
        out += "</tbody></table><p><small>" + e(tr("z unter den {0} Einheiten der Ebene {1}; Rang 1 = höchster Wert.",
                                                   rankedUnitCount, levelName)) + "</small></p>"
        if let chart = charts(unit) { out += "<h2>\(tr("Verlauf"))</h2>" + chart }
        out += similarSection(members)
        out += "<h2>\(tr("Klassen der Planungsräume"))</h2>"
        for (index, classRows) in classCounts(unit, members) {
            out += "<table><thead><tr><th>\(e(index))</th><th>\(tr("Gebiete"))</th><th>\(tr("Einwohner"))</th></tr></thead><tbody>"
            for c in classRows where c.areas > 0 {
                out += "<tr><td class=\"t\">\(e(c.label))</td><td>\(c.areas)</td><td>\(c.population)</td></tr>"
            }
            out += "</tbody></table>"
        }
        let focus = attention(members)
        out += "<h2>\(tr("Gebiete mit besonderem Aufmerksamkeitsbedarf"))</h2>"
        if focus.isEmpty { out += "<p>\(tr("Keine."))</p>" } else {
            out += "<ul>" + focus.map { "<li>\(e(edition.areaIDs[$0])) \(e(edition.areaNames[$0])) (\(e(edition.combined?[$0]?.label ?? "")))</li>" }.joined() + "</ul>"
        }
        if let map = parentMap { out += self.map(members, map.shown, map.outline) }
        return out + "<p><small>\(tr("Erstellt mit sozmon; Zahlen wie in")) <code>tables/summary_*.csv</code>.</small></p></body></html>\n"
    }

    /// The parent unit's areas (`shown`; the city's at the top level), the region's coloured by status class.
    private func map(_ members: [Int], _ shown: [Int], _ outline: HTMLReport.MapOutline) -> String {
        let status = edition.indices.first { $0.definition.classes?.classes.count == 4 }
        let colours = Dictionary(uniqueKeysWithValues: HTMLReport.statusColours.map { ($0.key, $0.value) })
        let inRegion = Set(members)
        var fill: [String: String] = [:]
        for i in shown {
            fill[edition.areaIDs[i]] = inRegion.contains(i)
                ? (status?.classes[i].flatMap { colours[$0.label] } ?? "#ffffff") : "#e8e8e8"
        }
        let svg = HTMLReport.svg(outline, fill: fill)
        guard !svg.isEmpty else { return "" }
        let legend = HTMLReport.statusColours.map { HTMLReport.legendKey(tr($0.key), $0.value) }.joined()
        return "<h2>\(tr("Karte"))</h2><figure>\(svg)<figcaption class=\"legend\">\(legend)"
            + HTMLReport.legendKey(tr("übrige Gebiete"), "#e8e8e8") + "</figcaption></figure>"
    }

    /// A small line chart per indicator: the unit (red) and the city (grey) over the periods.
    private func charts(_ unit: LevelSummary.Unit) -> String? {
        guard let series, series.periods.count >= 2, !disclosure.isWithheldUnit(level: level, id: unit.id) else { return nil }
        var out = "<div class=\"charts\">"
        let recutIndex = series.recut.flatMap { series.periods.firstIndex(of: $0) }.flatMap { $0 > 0 ? $0 : nil }
        let perPeriod = series.level.map { $0.unit(unit.id) }  // the unit in each period, found once
        for j in indicators where j < (series.level.first?.units.first?.indicatorMeans.count ?? 0) {
            let region = perPeriod.map { $0?.indicatorMeans[j] ?? .nan }
            let city = series.city.map { $0.units.first?.indicatorMeans[j] ?? .nan }
            let all = (region + city).filter { !$0.isNaN }
            guard let low = all.min(), let high = all.max() else { continue }
            let span = high > low ? high - low : 1
            // The plot area right of the value axis and above the years; each line ends with its last value.
            let left = 52.0, top = 8.0, width = 200.0, height = 90.0, step = width / Double(series.periods.count - 1)
            func x(_ t: Int) -> String { HTMLReport.fixed(left + Double(t) * step, 1) }
            func y(_ v: Double) -> String { HTMLReport.fixed(top + (high - v) / span * height, 1) }
            func line(_ values: [Double], _ colour: String) -> String {
                var d = "", pen = "M"
                for (t, v) in values.enumerated() {
                    guard !v.isNaN else { pen = "M"; continue }
                    d += pen + x(t) + " " + y(v)
                    pen = "L"
                }
                let end = values.lastIndex { !$0.isNaN }.map { t in
                    "<text x=\"\(HTMLReport.fixed(left + Double(t) * step + 4, 1))\" y=\"\(y(values[t]))\" font-size=\"10\" "
                        + "fill=\"\(colour)\" dominant-baseline=\"middle\">\(HTMLReport.escape(value(values[t], of: edition.indicatorNames[j])))</text>"
                } ?? ""
                return "<path d=\"\(d)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>" + end
            }
            let code = edition.indicatorNames[j]
            let bottom = top + height
            // The change of area system: a dashed line before its first period.
            let recut = recutIndex.map { t in
                let at = HTMLReport.fixed(left + (Double(t) - 0.5) * step, 1)
                return "<path d=\"M\(at) \(HTMLReport.fixed(top, 1))V\(HTMLReport.fixed(bottom, 1))\" stroke=\"#666\" "
                    + "stroke-width=\"1\" stroke-dasharray=\"3 2\"><title>\(HTMLReport.escape(tr("Gebietsstand ab {0}", series.periods[t])))</title></path>"
            } ?? ""
            let axes = "<path d=\"M\(x(0)) \(HTMLReport.fixed(top, 1))V\(HTMLReport.fixed(bottom, 1))H\(x(series.periods.count - 1))\" "
                + "fill=\"none\" stroke=\"#666\" stroke-width=\"1\"/>"
                + "<text x=\"\(HTMLReport.fixed(left - 4, 1))\" y=\"\(y(high))\" font-size=\"10\" text-anchor=\"end\" dominant-baseline=\"middle\">"
                + "\(HTMLReport.escape(value(high, of: code)))</text>"
                + "<text x=\"\(HTMLReport.fixed(left - 4, 1))\" y=\"\(y(low))\" font-size=\"10\" text-anchor=\"end\" dominant-baseline=\"middle\">"
                + "\(HTMLReport.escape(value(low, of: code)))</text>"
                + series.periods.indices.filter { $0 == 0 || $0 == series.periods.count - 1 || series.periods.count <= 8 }.map { t in
                    "<text x=\"\(x(t))\" y=\"\(HTMLReport.fixed(bottom + 14, 1))\" font-size=\"10\" text-anchor=\"middle\">"
                        + "\(HTMLReport.escape(series.periods[t].description))</text>"
                }.joined()
            out += "<figure><figcaption><b title=\"\(HTMLReport.escape(code))\">\(HTMLReport.escape(name(code)))</b><br>"
                + "\(series.periods.first!)–\(series.periods.last!)</figcaption>"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"120\" viewBox=\"0 0 300 120\" font-family=\"system-ui,sans-serif\">"
                + axes + recut + line(city, "#999999") + line(region, "#d7191c") + "</svg></figure>"
        }
        let recutNote = recutIndex.map { t in
            " " + HTMLReport.escape(tr("Gestrichelt: Wechsel des Gebietsstands; die Jahre bis {0} sind umgeschlüsselt.",
                                       series.periods[t - 1]))
        } ?? ""
        return out + "</div><p class=\"legend\">" + HTMLReport.legendKey(levelName, "#d7191c")
            + HTMLReport.legendKey(tr("Stadt"), "#999999") + recutNote + "</p>"
    }

    private func markdown(_ unit: LevelSummary.Unit, _ rows: [Row], _ members: [Int]) -> String {
        let m = Self.markdownEscaped
        let (title, path) = heading(unit, members)
        let summary = sentences(unit, rows)
        let parentName = level > 0 ? edition.levelNames[level - 1] : tr("Stadt")
        var out = "# \(m(title))\n\n\(m(path))\n\n" + m(tr("{0} Planungsräume, {1} Einwohner; {2}.", unit.areaCount, population(unit), stand))
            + "\n\n" + (summary.isEmpty ? "" : "## \(tr("Auf einen Blick"))\n\n\(m(summary))\n\n")
            + "## \(tr("Kennzahlen"))\n\n| \(tr("Indikator")) | \(tr("Wert")) | \(m(parentName)) | \(tr("Stadt")) | z | \(tr("Rang")) |\n"
            + "|---|---:|---:|---:|---:|---:|\n"
        for row in rows {
            out += "| \(m(name(row.indicator))) | " + cells(row).joined(separator: " | ") + " |\n"
        }
        out += "\n## \(tr("Klassen der Planungsräume"))\n"
        for (index, classRows) in classCounts(unit, members) {
            out += "\n| \(m(index)) | \(tr("Gebiete")) | \(tr("Einwohner")) |\n|---|---:|---:|\n"
            for c in classRows where c.areas > 0 { out += "| \(m(c.label)) | \(c.areas) | \(c.population) |\n" }
        }
        let focus = attention(members)
        out += "\n## \(tr("Gebiete mit besonderem Aufmerksamkeitsbedarf"))\n\n"
        out += focus.isEmpty ? tr("Keine.") + "\n" : focus.map {
            "- \(m(edition.areaIDs[$0])) \(m(edition.areaNames[$0])) (\(m(edition.combined?[$0]?.label ?? "")))\n" }.joined()
        return out
    }

    /// `text` as literal Markdown text inside a line: the characters that open emphasis, code, links and images, raw
    /// HTML, entities, strikethrough and table cells (`\ ` * _ [ ] < > ! & ~ |`) are escaped with a backslash
    /// (CommonMark §2.4), and a line break becomes a space — a name like `<img src=x onerror=…>` or
    /// `[klick](javascript:…)` shows as written and does nothing. (Names never begin a line, so `#`, `-`, `+` stay.)
    /// Byte by byte: every character escaped is ASCII, and an ASCII byte is never part of another character in UTF-8.
    static func markdownEscaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || isMarkdownPunctuation($0) }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        var previous: UInt8 = 0
        for byte in text.utf8 {
            switch byte {
            case 0x0A where previous == 0x0D: break  // "\r\n" is one line break
            case 0x0A, 0x0D: out.append(UInt8(ascii: " "))
            default:
                if isMarkdownPunctuation(byte) { out.append(UInt8(ascii: "\\")) }
                out.append(byte)
            }
            previous = byte
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isMarkdownPunctuation(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "!"), UInt8(ascii: "&"), UInt8(ascii: "~"), UInt8(ascii: "|"): true
        default: false
        }
    }
}
