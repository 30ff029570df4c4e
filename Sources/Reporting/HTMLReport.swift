import AreaData
import Foundation
import SozmonIO
import Statistics

/// `report.html`: one self-contained page (no external resources) with a summary, choropleth maps of the classes as
/// inline SVG with legends, a chart of deteriorating trends per district, and the tables (long ones shortened, with
/// the full ones in the CSV files and the workbook).
public enum HTMLReport {
    /// Colours of the MSS classes, from least to most need (status), and for dynamics.
    static let statusColours: KeyValuePairs = ["hoch": "#1a9641", "mittel": "#a6d96a", "niedrig": "#fdae61",
                                                "sehr niedrig": "#d7191c"]
    static let dynamicsColours: KeyValuePairs = ["positiv": "#2b83ba", "stabil": "#e0e0e0", "negativ": "#d7191c"]
    /// The rows of a table the page holds (paged on screen; the CSV and the workbook have every row).
    static let maximumRows = 5_000

    /// The areas as the report shows them, from the edition: who takes part, who needs particular attention, and
    /// the classes of every classified index.
    public struct Areas: Sendable {
        public var ids: [String]
        /// The areas' names, for the maps' tooltips (empty: the ids alone).
        public var names: [String]
        public var eligible: [Bool]?
        /// Per area: whether it needs particular attention; `nil` for an area without a combined class.
        public var attention: [Bool?]?
        public var indices: [ClassedIndex]
        /// Each area's unit of the top level as a reader names it ("Bezirk Mitte (01)"), for the overview's sentences
        /// (empty: none).
        public var regions: [String]

        public init(ids: [String], names: [String] = [], eligible: [Bool]? = nil, attention: [Bool?]? = nil,
                    indices: [ClassedIndex], regions: [String] = []) {
            self.ids = ids; self.names = names; self.eligible = eligible; self.attention = attention; self.indices = indices
            self.regions = regions
        }

        /// "Lindenhof 1.1.1.1 (01010101)": an area as a tooltip names it.
        func place(_ i: Int) -> String { i < names.count && !names[i].isEmpty ? "\(names[i]) (\(ids[i]))" : ids[i] }

        public init(_ edition: Edition) {
            self.init(ids: edition.areaIDs, names: edition.areaNames, eligible: edition.eligible,
                      attention: edition.combined.map { $0.map { $0?.attention } },
                      indices: edition.indices.compactMap { index in
                          index.definition.classes.map {
                              ClassedIndex(name: index.definition.name, labels: $0.classes.map(\.label),
                                           classes: index.classes.positions)
                          }
                      },
                      regions: edition.levelNames.isEmpty ? [] : edition.parents.map {
                          "\(edition.levelNames[0]) \(edition.unitTitle(level: 0, id: $0[0]))"
                      })
        }
    }

    /// A choropleth of one variable (`[maps]`): its title, each area's value (in the order of `Areas.ids`), the
    /// classes' upper bounds (mapclassify's) and the decimals its legend and tooltips print.
    public struct Choropleth: Sendable {
        public var title: String
        public var values: [Double]
        public var bounds: [Double]
        public var decimals: Int
        public init(title: String, values: [Double], bounds: [Double], decimals: Int) {
            self.title = title; self.values = values; self.bounds = bounds; self.decimals = decimals
        }

        /// Light yellow to dark red (ColorBrewer's YlOrRd), one colour per class.
        var colours: [String] {
            HTMLReport.ramp([(0xff, 0xff, 0xb2), (0xfe, 0xcc, 0x5c), (0xfd, 0x8d, 0x3c), (0xf0, 0x3b, 0x20), (0xbd, 0x00, 0x26)],
                            count: bounds.count)
        }

        /// "≤ 4,50", "4,50 – 6,20", …: each class as its legend names it.
        var labels: [String] {
            let text = { (x: Double) in HTMLReport.shownNumber(x, decimals: decimals) }
            return bounds.indices.map { k in k == 0 ? "≤ \(text(bounds[0]))" : "\(text(bounds[k - 1])) – \(text(bounds[k]))" }
        }
    }

    /// `count` colours evenly along the piecewise-linear ramp through `stops` (RGB, 0…255), as `#rrggbb`.
    static func ramp(_ stops: [(Double, Double, Double)], count: Int) -> [String] {
        (0..<count).map { k in
            let t = count > 1 ? Double(k) / Double(count - 1) * Double(stops.count - 1) : 0
            let i = min(Int(t), stops.count - 2), f = t - Double(i)
            func channel(_ a: Double, _ b: Double) -> String {
                let v = Int((a + (b - a) * f).rounded())
                return (v < 16 ? "0" : "") + String(v, radix: 16)
            }
            return "#" + channel(stops[i].0, stops[i + 1].0) + channel(stops[i].1, stops[i + 1].1) + channel(stops[i].2, stops[i + 1].2)
        }
    }

    /// An index with classes, for its summary line and its map: its name, the class labels from least to most
    /// need (in the order of the class scheme), and each area's class as a position in them (negative: none).
    public struct ClassedIndex: Sendable {
        public var name: String
        public var labels: [String]
        public var classes: [Int8]
        public init(name: String, labels: [String], classes: [Int8]) {
            self.name = name; self.labels = labels; self.classes = classes
        }

        /// The class label of area `i`, or nil.
        func label(_ i: Int) -> String? { classes[i] < 0 ? nil : labels[Int(classes[i])] }

        /// The number of areas in each class (in the labels' order) and without one.
        var counts: (perClass: [Int], unclassified: Int) {
            var counts = [Int](repeating: 0, count: labels.count), unclassified = 0
            for c in classes { if c >= 0 && Int(c) < counts.count { counts[Int(c)] += 1 } else { unclassified += 1 } }
            return (counts, unclassified)
        }

        /// The MSS colours where the labels are MSS's, otherwise a diverging scale from green (least need) through
        /// light yellow to red (most need).
        public var palette: [(label: String, colour: String)] {
            for known in [statusColours, dynamicsColours] where known.map(\.key) == labels {
                return known.map { ($0.key, $0.value) }
            }
            let colours = HTMLReport.ramp([(0x1a, 0x96, 0x41), (0xff, 0xff, 0xbf), (0xd7, 0x19, 0x1c)], count: labels.count)
            return Array(zip(labels, colours))
        }

        /// "Status-Index: Klassen" for `status`, "Sozialindex: Klassen" for `sozialindex`.
        public var caption: String { tr("{0}: Klassen", Vocabulary().indexTitle(name)) }
    }

    /// The page from the typed results: a summary and maps of `areas` (every classified index, any name), the chart
    /// of `deteriorations`, the map of `supply`, the `categoryMaps` (emerging hot spots), the persistence map and the
    /// class transitions of `history`, links to the region profiles, then the published `tables`.
    /// - Parameter vocabulary: the words for the tables' codes (titles, column labels with the code as the tooltip, values)
    ///   and the indicators' decimals.
    public static func render(title: String, areas: Areas, choropleths: [Choropleth] = [],
                              deteriorations: [TrendReport.Deterioration] = [],
                              supply: SupplyReport? = nil, categoryMaps: [CategoryMap] = [], history: ClassHistory? = nil,
                              tables: [Table],
                              geometry: GeometryLayer?,
                              footnote: String? = nil, profiles: [(id: String, title: String)] = [],
                              vocabulary: Vocabulary = Vocabulary(), downloads: [String] = [],
                              edition: FrontMatter = FrontMatter()) -> String {
        var body = summary(areas, vocabulary: vocabulary)
        if let geometry { body += maps(areas, choropleths: choropleths, geometry: geometry) }
        body += trendChart(deteriorations, vocabulary: vocabulary)
        if let geometry {
            let historyMap = history.map { [$0.persistenceMap(areaIDs: areas.ids)] } ?? []
            let places = Dictionary(areas.ids.indices.map { (areas.ids[$0], areas.place($0)) }, uniquingKeysWith: { first, _ in first })
            let planning = supply.map { supply in supply.scenarios.map(scenarioMap) + (supply.location.map { [locationMap($0, areaIDs: areas.ids)] } ?? []) } ?? []
            for map in (supply.map { [supplyMap($0)] } ?? []) + planning + categoryMaps + historyMap {
                body += map.render(geometry: geometry, places: places)
            }
        }
        if let history { body += history.transitionSection(areaIDs: areas.ids) }
        if !profiles.isEmpty {
            body += "<h2>\(tr("Regionenprofile"))</h2><p>" + profiles.map {
                "<a href=\"profiles/\(escape($0.id)).html\">\(escape($0.title))</a>" }.joined(separator: " · ") + "</p>"
        }
        body += "<h2>\(tr("Tabellen"))</h2>"
        if let footnote { body += "<p><small>\(escape(footnote))</small></p>" }
        body += "<p class=\"screen\"><small>" + escape(tr("Spaltenköpfe sortieren die Tabelle (noch einmal: absteigend); das Feld darüber "
            + "filtert alle ihre Zeilen. Vollständig:")) + " <a href=\"tables/\">tables/*.csv</a>"
            + downloads.map { ", <a href=\"\(escape($0))\">\(escape($0))</a>" }.joined() + ".</small></p>"
        let unprinted = tables.filter { PrintPlan($0) == .none }.map(\.title)
        if !unprinted.isEmpty {
            body += "<p class=\"print\"><small>" + escape(tr("Im Druck: die Übersichten und die Gebiete mit ihren Kernspalten. Nur am Bildschirm, "
                + "in report.xlsx und in tables/*.csv: {0}.", unprinted.joined(separator: ", "))) + "</small></p>"
        }
        for table in tables { body += render(table, vocabulary: vocabulary) }
        let (numbered, contents) = numberedSections(body)
        return document(title: title, maxWidth: 1200, style: """
            .maps{display:flex;flex-wrap:wrap;gap:1.5em}
            figure{margin:0}
            body{counter-reset:abschnitt} h2:not(.plain){counter-increment:abschnitt}
            h2:not(.plain)::before{content:counter(abschnitt) " "}
            """) + edition.titleBlock(title: title) + contents + numbered
            + "<p><small>\(tr("Erstellt mit sozmon. Vollständige Tabellen:")) <code>tables/*.csv</code>.</small></p>"
            + "<script>\(tableScript)</script></body></html>\n"
    }

    /// The opening of a self-contained page up to `<body>`: the tables' and legends' shared style, then `style`.
    static func document(title: String, maxWidth: Int, style: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(ReportLanguage.current.rawValue)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:2em;max-width:\(maxWidth)px;color:#222}
        table{border-collapse:collapse;font-size:12px;margin:0.5em 0 1.5em}
        th,td{border:1px solid #ccc;padding:2px 6px;text-align:right}
        th{background:#f0f0f0;position:sticky;top:0}
        td.t{text-align:left} td:not(.t){white-space:nowrap}
        .legend .key{display:inline-block;white-space:nowrap;margin-right:10px}
        .legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle;border:1px solid #999}
        svg{max-width:100%;height:auto}
        .scroll{overflow-x:auto;max-width:100%}
        @media (max-width:600px){body{margin:0.6em} table{display:block;overflow-x:auto;max-width:100%}}
        .print{display:none}
        .pager{font-size:12px;margin:-1em 0 1.5em}
        .pager button{margin:0 4px}
        nav.contents ol{columns:2;font-size:13px}
        @media print{@page{size:A4;margin:14mm 12mm 16mm;
          @bottom-right{content:"\(tr("Seite")) " counter(page) " \(tr("von")) " counter(pages);font:8pt system-ui,sans-serif;color:#555}}
        body{margin:0;max-width:none;font-size:9pt}
        .screen,.filter,.pager{display:none!important} .print{display:block}
        .scroll{overflow:visible} table{font-size:6.5pt;margin:0.3em 0 1em} th,td{padding:1px 3px}
        td{white-space:nowrap} td.t{white-space:normal} td.id{white-space:nowrap}
        th{position:static;vertical-align:bottom} thead{display:table-header-group}
        table.sortable tbody tr{display:table-row!important}
        tr,figure,.legend{break-inside:avoid} h1,h2,h3,figcaption{break-after:avoid}
        .maps{display:grid;grid-template-columns:1fr 1fr;gap:4mm} svg{max-height:105mm;width:100%}
        nav.contents{break-after:page} a{color:inherit;text-decoration:none}}
        \(style)
        </style></head><body>
        """
    }

    /// One legend entry: the colour's box and its label, kept on one line.
    static func legendKey(_ label: String, _ colour: String) -> String {
        "<span class=\"key\"><i style=\"background:\(colour)\"></i>\(escape(label))</span>"
    }

    public static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
            || $0 == UInt8(ascii: "\"") }) else { return s }
        return s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// `x` with `digits` decimals and a decimal point (or `mark`), rounded half away from zero: what
    /// `String(format: "%.Nf")` gives for the magnitudes of reports, without its cost (maps have 10⁵ coordinates).
    static func fixed(_ x: Double, _ digits: Int, mark: String = ".") -> String {
        guard x.isFinite, abs(x) < 1e15 else { return x.isNaN ? "nan" : String(x) }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int64((abs(x) * scale).rounded())
        let whole = scaled / Int64(scale), fraction = scaled % Int64(scale)
        let sign = x < 0 && scaled != 0 ? "-" : ""
        guard digits > 0 else { return sign + String(whole) }
        let digitsText = String(fraction)
        return sign + String(whole) + mark + String(repeating: "0", count: digits - digitsText.count) + digitsText
    }

    static func text(_ cell: Table.Cell) -> String {
        switch cell {
        case .text(let s): s
        case .number(let d): shownNumber(d)
        case .integer(let i): shownNumber(Double(i))
        case .bool(let b): b ? tr("ja") : tr("nein")
        case .empty: ""
        }
    }

    /// A number as a reader of the report's language expects it: decimal comma in German, point in English, narrow
    /// spaces between thousands, at most three decimals without trailing zeros (`11,18`, `10 679`, `-0,5`); tiny
    /// values in scientific form (`1,2e-5`), so that a p-value never shows as 0.
    static func shownNumber(_ d: Double) -> String {
        guard d.isFinite else { return "" }
        if d != 0 && abs(d) < 0.001 {
            let exponent = Int(log10(abs(d)).rounded(.down))
            let mantissa = d / pow(10, Double(exponent))
            return shownNumber((mantissa * 10).rounded() / 10) + "e\(exponent)"
        }
        return grouped(fixed(d, 3), trimming: true)
    }

    /// `d` with exactly `decimals` decimals (`1 234,50`): an indicator as its catalogue shows it.
    public static func shownNumber(_ d: Double, decimals: Int) -> String {
        d.isFinite ? grouped(fixed(d, decimals), trimming: false) : ""
    }

    /// A `fixed` text with narrow spaces between thousands and the language's decimal mark; trailing zeros dropped
    /// if `trimming`.
    private static func grouped(_ text: String, trimming: Bool) -> String {
        let negative = text.hasPrefix("-")
        let parts = text.dropFirst(negative ? 1 : 0).split(separator: ".", omittingEmptySubsequences: false)
        var whole = String(parts[0])
        var grouped = ""
        while whole.count > 3 {
            grouped = "\u{202F}" + whole.suffix(3) + grouped
            whole.removeLast(3)
        }
        grouped = whole + grouped
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        while trimming && fraction.hasSuffix("0") { fraction.removeLast() }
        let sign = negative && (grouped != "0" || fraction.contains { $0 != "0" }) ? "-" : ""
        return sign + grouped + (fraction.isEmpty ? "" : ReportLanguage.current.decimalMark + fraction)
    }

    static func summary(_ areas: Areas, vocabulary: Vocabulary = Vocabulary()) -> String {
        var out = "<h2>\(tr("Überblick"))</h2><p>" + tr("{0} Gebiete", areas.ids.count)
        if let eligible = areas.eligible { out += tr(", davon {0} berücksichtigt", eligible.filter { $0 }.count) }
        if let attention = areas.attention {
            out += tr("; {0} Gebiete mit besonderem Aufmerksamkeitsbedarf", attention.filter { $0 == true }.count)
        }
        out += ".</p>"
        for index in areas.indices {
            // In class order (hoch … sehr niedrig), unclassified last; classes without areas left out.
            let (perClass, unclassified) = index.counts
            let entries = zip(index.labels + ["ohne Zuordnung"], perClass + [unclassified]).filter { $0.1 > 0 }
            out += "<p><b>\(escape(vocabulary.indexTitle(index.name)))</b>: "
                + entries.map { "\(escape(tr($0.0))) \($0.1)" }.joined(separator: ", ") + "</p>"
        }
        let sentences = overviewSentences(areas, vocabulary: vocabulary)
        return out + (sentences.isEmpty ? "" : "<p>\(escape(sentences))</p>")
    }

    static func maps(_ areas: Areas, choropleths: [Choropleth] = [], geometry: GeometryLayer) -> String {
        let ids = areas.ids
        var out = "<h2>\(tr("Karten"))</h2><div class=\"maps\">"
        let layer = geometry.projectedToMetresForMaps()
        let shapes = Dictionary(layer.areas.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let outline = outline(shapes: shapes, ids: ids)
        func map(_ caption: String, _ fill: [String: String], legend: [(label: String, colour: String)],
                 titles: [String: String]) -> String {
            "<figure><figcaption><b>\(escape(caption))</b></figcaption>" + (outline.map { svg($0, fill: fill, titles: titles) } ?? "")
                + "<div class=\"legend\">" + legend.map { legendKey($0.label, $0.colour) }.joined() + "</div></figure>"
        }
        for index in areas.indices {
            let palette = index.palette
            let colours = palette.map(\.colour)
            var fill: [String: String] = [:], titles: [String: String] = [:]
            for (i, id) in ids.enumerated() {
                fill[id] = index.classes[i] < 0 ? "#ffffff" : colours[Int(index.classes[i])]
                titles[id] = "\(areas.place(i)): \(tr(index.label(i) ?? "ohne Zuordnung"))"
            }
            out += map(index.caption, fill, legend: palette.map { (tr($0.label), $0.colour) } + [(tr("ohne Zuordnung"), "#ffffff")],
                       titles: titles)
        }
        if let attention = areas.attention {
            var fill: [String: String] = [:], titles: [String: String] = [:]
            for (i, id) in ids.enumerated() {
                fill[id] = attention[i].map { $0 ? "#d7191c" : "#eeeeee" } ?? "#ffffff"
                titles[id] = "\(areas.place(i)): " + tr(attention[i].map { $0 ? "besonderer Aufmerksamkeitsbedarf" : "kein besonderer Aufmerksamkeitsbedarf" }
                                                        ?? "ohne Zuordnung")
            }
            let legend = [(tr("ja"), "#d7191c"), (tr("nein"), "#eeeeee")] + (attention.contains { $0 == nil } ? [(tr("ohne Zuordnung"), "#ffffff")] : [])
            out += map(tr("Besonderer Aufmerksamkeitsbedarf"), fill, legend: legend, titles: titles)
        }
        for choropleth in choropleths {
            let colours = choropleth.colours, values = choropleth.values
            var fill: [String: String] = [:], titles: [String: String] = [:]
            let classes = MapClassification.classes(of: values, bounds: choropleth.bounds)
            for (i, id) in ids.enumerated() {
                fill[id] = classes[i].map { colours[$0] } ?? "#ffffff"
                titles[id] = "\(areas.place(i)): "
                    + (values[i].isNaN ? tr("kein Wert") : shownNumber(values[i], decimals: choropleth.decimals))
            }
            out += map(choropleth.title, fill, legend: Array(zip(choropleth.labels, colours)) + [(tr("kein Wert"), "#ffffff")],
                       titles: titles)
        }
        return out + "</div>"
    }

    /// Need against supply: areas with high need and low supply (gap), high need only, low supply only.
    static func supplyMap(_ supply: SupplyReport) -> CategoryMap {
        let categories = supply.areaIDs.indices.map { i -> String? in
            let n = supply.analysis.highNeed[i], l = supply.analysis.lowSupply(area: i)
            return tr(n && l ? "hoher Bedarf, geringes Angebot" : n ? "hoher Bedarf" : l ? "geringes Angebot" : "übrige")
        }
        let gaps = categories.filter { $0 == tr("hoher Bedarf, geringes Angebot") }.count
        return CategoryMap(heading: tr("Bedarf und Angebot"), intro: tr("{0} Gebiete mit hohem Bedarf und geringem Angebot.", gaps),
                           caption: tr("Bedarf und Angebot je Planungsraum"), ids: supply.areaIDs, categories: categories,
                           legend: [(tr("hoher Bedarf, geringes Angebot"), "#d7191c"), (tr("hoher Bedarf"), "#fdae61"),
                                    (tr("geringes Angebot"), "#ffffbf"), (tr("übrige"), "#eeeeee")])
    }

    /// A scenario against the status quo: where a gap closes or opens, where supply grows or shrinks.
    static func scenarioMap(_ s: ScenarioComparison) -> CategoryMap {
        let change = s.change
        let categories = change.indices.map { i -> String? in
            let gapBefore = s.before.gap(area: i), gapAfter = s.after.gap(area: i)
            if gapBefore && !gapAfter { return tr("Lücke geschlossen") }
            if !gapBefore && gapAfter { return tr("neue Lücke") }
            if change[i] > ScenarioComparison.tolerance { return tr("mehr Angebot") }
            if change[i] < -ScenarioComparison.tolerance { return tr("weniger Angebot") }
            return tr("unverändert")
        }
        let gapsBefore = s.before.areas.indices.count(where: s.before.gap(area:))
        let gapsAfter = s.after.areas.indices.count(where: s.after.gap(area:))
        return CategoryMap(heading: tr("Szenario: {0}", s.name),
                           intro: tr("{0} Gebiete gewinnen Angebot, {1} verlieren; Gebiete mit hohem Bedarf und geringem Angebot: {2} vorher, {3} nachher.",
                                     change.count { $0 > ScenarioComparison.tolerance }, change.count { $0 < -ScenarioComparison.tolerance },
                                     gapsBefore, gapsAfter),
                           caption: tr("Veränderung des Angebots je Planungsraum gegenüber dem Stand"), ids: s.before.areas.map(\.id),
                           categories: categories,
                           legend: [(tr("Lücke geschlossen"), "#1a9641"), (tr("mehr Angebot"), "#a6d96a"), (tr("unverändert"), "#eeeeee"),
                                    (tr("weniger Angebot"), "#fdae61"), (tr("neue Lücke"), "#d7191c")])
    }

    /// Where `[locate]` puts the new sites: the areas they lie in, the demand areas they newly serve, those served
    /// already and those still unserved.
    static func locationMap(_ location: LocationReport, areaIDs: [String]) -> CategoryMap {
        let newSites = Set(location.sites.filter(\.isNew).compactMap(\.areaID))
        var category: [String: String] = [:]
        for (i, id) in location.demandIDs.enumerated() {
            category[id] = location.before[i] != nil ? tr("schon erreicht") : location.after[i] != nil ? tr("neu erreicht") : tr("nicht erreicht")
        }
        for id in newSites { category[id] = tr("neuer Standort") }
        let newlyServed = location.demandIDs.indices.count { location.before[$0] == nil && location.after[$0] != nil }
        return CategoryMap(heading: tr("Standortwahl"),
                           intro: tr("{0} neue Standorte ({1}); {2} Gebiete mit Bedarf neu erreicht, {3} nicht erreicht.",
                                     location.sites.count(where: \.isNew), tr(Vocabulary.values[location.problem] ?? location.problem),
                                     newlyServed, location.after.count { $0 == nil }),
                           caption: tr("Neue Standorte und erreichte Gebiete"), ids: areaIDs, categories: areaIDs.map { category[$0] },
                           legend: [(tr("neuer Standort"), "#2b83ba"), (tr("neu erreicht"), "#abdda4"), (tr("schon erreicht"), "#eeeeee"),
                                    (tr("nicht erreicht"), "#d7191c")])
    }

    /// The areas as SVG paths in a 400 px wide box, north up.
    static func svg(shapes: [String: AreaGeometry], ids: [String], fill: [String: String]) -> String {
        outline(shapes: shapes, ids: ids).map { svg($0, fill: fill) } ?? ""
    }

    /// The outlines of some areas drawn 400 pixels wide (north up): the SVG path of each, made once and coloured
    /// as often as needed (the region profiles of one parent unit share its map).
    struct MapOutline: Sendable {
        let width: Int, height: Int
        let paths: [(id: String, d: String)]
    }

    static func outline(shapes: [String: AreaGeometry], ids: [String]) -> MapOutline? {
        let all = ids.compactMap { shapes[$0] }
        let xs = all.flatMap { $0.polygons.flatMap { $0.exterior.points.map(\.x) } }
        let ys = all.flatMap { $0.polygons.flatMap { $0.exterior.points.map(\.y) } }
        guard let minX = xs.min(), let maxX = xs.max(), let minY = ys.min(), let maxY = ys.max(), maxX > minX, maxY > minY
        else { return nil }
        let width = 400.0, scale = width / (maxX - minX), height = (maxY - minY) * scale
        let paths = ids.compactMap { id -> (id: String, d: String)? in
            guard let shape = shapes[id] else { return nil }
            var d = ""
            for polygon in shape.polygons {
                for ring in [polygon.exterior] + polygon.holes {
                    for (k, p) in ring.points.enumerated() {
                        d += (k == 0 ? "M" : "L") + fixed((p.x - minX) * scale, 1) + " " + fixed((maxY - p.y) * scale, 1)
                    }
                    d += "Z"
                }
            }
            return (id, d)
        }
        return MapOutline(width: Int(width), height: Int(height.rounded()), paths: paths)
    }

    /// Areas beyond which a map draws no outlines: at 400 pixels, thousands of strokes would hide the colours.
    static let outlinedAreasLimit = 2_000

    /// The outline coloured by `fill`, each area with its tooltip (`titles`, else its id).
    static func svg(_ outline: MapOutline, fill: [String: String], titles: [String: String] = [:]) -> String {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(outline.width)\" height=\"\(outline.height)\" "
            + "viewBox=\"0 0 \(outline.width) \(outline.height)\">"
        let stroke = outline.paths.count <= outlinedAreasLimit ? " stroke=\"#666\" stroke-width=\"0.3\"" : ""
        for (id, d) in outline.paths {
            out += "<path d=\"\(d)\" fill=\"\(fill[id] ?? "#ffffff")\"\(stroke) fill-rule=\"evenodd\"><title>"
                + escape(titles[id] ?? id) + "</title></path>"
        }
        return out + "</svg>"
    }

    /// Areas with a significant deterioration per indicator (Mann–Kendall, else OLS), as horizontal bars.
    /// The share of areas with a significantly rising need per indicator: each indicator named (its catalogue label)
    /// above its bar, the count beside it.
    static func trendChart(_ deteriorations: [TrendReport.Deterioration], vocabulary: Vocabulary = Vocabulary()) -> String {
        guard !deteriorations.isEmpty else { return "" }
        let methods = Set(deteriorations.map { vocabulary.text($0.method.rawValue, column: "method") }).sorted().joined(separator: ", ")
        var out = "<h2>\(tr("Trends"))</h2><p>" + escape(tr("Gebiete mit signifikant steigendem Bedarf ({0}, "
            + "Falscherkennungsrate kontrolliert nach Benjamini–Hochberg)", methods)) + "</p>"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"560\" height=\"\(deteriorations.count * 44 + 6)\" "
            + "font-family=\"system-ui,sans-serif\">"
        for (row, d) in deteriorations.sorted(by: { $0.indicator < $1.indicator }).enumerated() {
            let length = d.areas > 0 ? 400.0 * Double(d.deteriorating) / Double(d.areas) : 0, top = row * 44
            let name = vocabulary.catalogue.entries[d.indicator]?.shownLabel ?? d.indicator
            out += "<text x=\"0\" y=\"\(top + 14)\" font-size=\"12\">\(escape(name))</text>"
            out += "<rect x=\"0\" y=\"\(top + 20)\" width=\"\(fixed(length, 1))\" height=\"16\" fill=\"#d7191c\"/>"
            out += "<text x=\"\(fixed(6 + length, 1))\" y=\"\(top + 33)\" font-size=\"12\">\(tr("{0} von {1} Gebieten", d.deteriorating, d.areas))</text>"
        }
        return out + "</svg>"
    }

    /// Sorting by a click on a column head (numbers as numbers, either decimal mark: `1 234,5`, `1,2e-5`; again:
    /// descending) and filtering a table's rows by the text field above it, in the report's language. Inline, so the
    /// page stays one file.
    static var tableScript: String { """
        (function(){
        var PAGE=50;
        function num(t){var s=t.replace(/[\\s\\u202f]/g,'').replace(',','.');return s!==''&&!isNaN(s)?parseFloat(s):null;}
        function button(text,enabled,action){var b=document.createElement('button');b.textContent=text;b.disabled=!enabled;
          b.addEventListener('click',action);return b;}
        document.querySelectorAll('table.sortable').forEach(function(table){
          var body=table.tBodies[0],page=0,query='';
          var pager=document.createElement('div');pager.className='pager';
          table.parentNode.parentNode.insertBefore(pager,table.parentNode.nextSibling);
          function show(){
            var hits=[];
            Array.prototype.forEach.call(body.rows,function(r){
              if(!query||r.textContent.toLowerCase().indexOf(query)>=0){hits.push(r);}else{r.style.display='none';}});
            var pages=Math.max(1,Math.ceil(hits.length/PAGE));if(page>=pages){page=pages-1;}
            hits.forEach(function(r,i){r.style.display=(i>=page*PAGE&&i<(page+1)*PAGE)?'':'none';});
            pager.innerHTML='';
            if(body.rows.length<=PAGE){return;}
            var label=document.createElement('span');
            label.textContent=' \(tr("Zeilen")) '+(hits.length?page*PAGE+1:0)+'–'+Math.min((page+1)*PAGE,hits.length)+' \(tr("von")) '+hits.length+' ';
            pager.appendChild(button('‹',page>0,function(){page--;show();}));pager.appendChild(label);
            pager.appendChild(button('›',page<pages-1,function(){page++;show();}));
          }
          table.querySelectorAll('th').forEach(function(th,col){
            th.style.cursor='pointer';th.title=(th.title?th.title+' · ':'')+'\(tr("sortieren"))';
            th.addEventListener('click',function(){
              var up=th.getAttribute('aria-sort')!=='ascending';
              table.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});
              th.setAttribute('aria-sort',up?'ascending':'descending');
              var rows=Array.prototype.slice.call(body.rows);
              rows.sort(function(a,b){
                var x=a.cells[col].textContent,y=b.cells[col].textContent,p=num(x),q=num(y);
                var c=(p!==null&&q!==null)?p-q:(p!==null?-1:(q!==null?1:x.localeCompare(y,'de')));
                return up?c:-c;});
              rows.forEach(function(r){body.appendChild(r);});
              page=0;show();
            });
          });
          var input=table.parentNode.previousElementSibling;
          if(input&&input.classList.contains('filter')){
            input.addEventListener('input',function(){query=input.value.toLowerCase();page=0;show();});
          }
          show();
        });
        })();
        """ }

    static func render(_ table: Table, vocabulary: Vocabulary = Vocabulary()) -> String {
        let plan = PrintPlan(table)
        var out = "<section class=\"table\(plan == .none ? " screen" : "")\" id=\"tabelle-\(escape(table.name))\">"
        if case .keyColumns(let keys) = plan {
            // Printed: only the key columns (by their place, so that the cells carry no print markup).
            let hidden = table.columns.indices.filter { !keys.contains($0) }.map { "#tabelle-\(escape(table.name)) :is(th,td):nth-child(\($0 + 1))" }
            if !hidden.isEmpty { out += "<style>@media print{" + hidden.joined(separator: ",") + "{display:none}}</style>" }
        }
        out += "<h3>\(escape(table.title))</h3><input class=\"filter\" type=\"search\" placeholder=\"\(tr("Filtern …"))\" "
            + "aria-label=\"\(escape(tr("{0} filtern", table.title)))\"><div class=\"scroll\"><table class=\"sortable\"><thead><tr>"
        out += table.columns.indices.map { j in "<th title=\"\(escape(table.columns[j]))\">\(escape(table.labels[j]))</th>" }.joined()
            + "</tr></thead><tbody>"
        // Ids never break over lines; other text may, at its spaces.
        let textClass = table.columns.map { $0.hasSuffix("_id") ? "t id" : "t" }
        let kinds = table.columns.indices.map { NumberKind(table, column: $0, catalogueDecimals: vocabulary.catalogue.decimals(table.columns[$0])) }
        for r in 0..<min(maximumRows, table.rowCount) {
            out += "<tr>" + table.columns.indices.map { j in
                let cell = table[r, j]
                if case .text(let text) = cell {
                    return "<td class=\"\(textClass[j])\">\(escape(vocabulary.text(text, column: table.columns[j])))</td>"
                }
                let shown = if case .number(let d) = cell { number(d, kinds[j]) } else { text(cell) }
                return "<td>\(escape(shown))</td>"
            }.joined() + "</tr>"
        }
        out += "</tbody></table></div>"
        if table.rowCount > maximumRows {
            out += "<p><small>" + escape(tr("Die ersten {0} von {1} Zeilen; vollständig in tables/{2}.csv.",
                                            shownNumber(Double(maximumRows)), shownNumber(Double(table.rowCount)), table.name)) + "</small></p>"
        }
        if case .keyColumns = plan {
            out += "<p class=\"print\"><small>" + escape(tr("Gedruckt: die Kernspalten; alle {0} Spalten in report.xlsx und tables/{1}.csv.",
                                                        table.columns.count, table.name)) + "</small></p>"
        }
        return out + "</section>"
    }

    /// A number as its column's kind shows it: `1 234`, `0,047`, `< 0,001`, `-1,23`.
    static func number(_ d: Double, _ kind: NumberKind) -> String {
        if kind == .probability && d.isFinite && d < 0.0005 { return "< 0,001" }
        return shownNumber(d, decimals: kind.decimals)
    }

    /// The body with an anchor before each `<h2>` section (numbered by the page's style), and a table of contents
    /// linking them.
    /// One pass over the body's bytes (it holds every table: at 10⁵ areas over 100 MB).
    static func numberedSections(_ body: String) -> (body: String, contents: String) {
        let bytes = Array(body.utf8), open = Array("<h2>".utf8), close = Array("</h2>".utf8)
        func find(_ pattern: [UInt8], from start: Int) -> Int? {
            var i = start
            while i + pattern.count <= bytes.count {
                if bytes[i] == pattern[0] && bytes[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
                i += 1
            }
            return nil
        }
        var out: [UInt8] = [], entries: [String] = [], copied = 0, next = 0, k = 0
        out.reserveCapacity(bytes.count + 4096)
        while let at = find(open, from: next) {
            k += 1
            let start = at + open.count, end = find(close, from: start) ?? start
            entries.append("<li><a href=\"#abschnitt-\(k)\">\(String(decoding: bytes[start..<end], as: UTF8.self))</a></li>")
            out += bytes[copied..<at]
            out += "<a id=\"abschnitt-\(k)\"></a>".utf8
            copied = at
            next = start
        }
        out += bytes[copied...]
        return (String(decoding: out, as: UTF8.self),
                "<nav class=\"contents\"><h2 class=\"plain\">\(tr("Inhalt"))</h2><ol>" + entries.joined() + "</ol></nav>")
    }
}

extension GeometryLayer {
    /// Planar coordinates for drawing: WGS84 is projected (equal scale in x and y), projected layers stay.
    func projectedToMetresForMaps() -> GeometryLayer {
        guard coordinateSystem == .wgs84 else { return self }
        // An equirectangular projection around the mean latitude is enough for a picture.
        let latitudes = areas.flatMap { $0.polygons.flatMap { $0.exterior.points.map(\.y) } }
        let factor = cos((latitudes.reduce(0, +) / Double(max(latitudes.count, 1))) * .pi / 180)
        func ring(_ r: Ring) -> Ring { Ring(points: r.points.map { Point(x: $0.x * factor, y: $0.y) }) }
        return GeometryLayer(coordinateSystem: coordinateSystem, areas: areas.map { area in
            var copy = area
            copy.polygons = area.polygons.map { Polygon(exterior: ring($0.exterior), holes: $0.holes.map(ring)) }
            return copy
        })
    }
}
