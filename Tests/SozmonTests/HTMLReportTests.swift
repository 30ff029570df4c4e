import Foundation
import AreaData
@testable import Reporting
import SozmonIO
import Testing

/// report.html reads in German: numbers with decimal comma and thin spaces between thousands, classes in class order.
@Suite struct HTMLReportTests {
    @Test(arguments: [(11.18, "11,18"), (10679, "10\u{202F}679"), (-0.5, "-0,5"), (1_234_567.891, "1\u{202F}234\u{202F}567,891"),
                      (0, "0"), (0.0000123, "1,2e-5"), (-0.0001, "-1e-4"), (2.0004, "2"), (-0.0004, "-4e-4"), (999.9996, "1\u{202F}000")])
    func shownNumbers(_ value: Double, _ text: String) {
        #expect(HTMLReport.shownNumber(value) == text)
    }

    @Test func classCountsInClassOrder() {
        // Areas 1…6 in classes niedrig, hoch, none, sehr niedrig, mittel, hoch.
        let status = HTMLReport.ClassedIndex(name: "status", labels: ["hoch", "mittel", "niedrig", "sehr niedrig"],
                                             classes: [2, 0, -1, 3, 1, 0])
        let areas = HTMLReport.Areas(ids: ["1", "2", "3", "4", "5", "6"], eligible: [true, true, false, true, true, true],
                                     attention: [false, true, false, false, false, false], indices: [status])
        let summary = HTMLReport.summary(areas)
        #expect(summary.contains("<b>Status-Index</b>: hoch 2, mittel 1, niedrig 1, sehr niedrig 1, ohne Zuordnung 1"))
        #expect(summary.contains("6 Gebiete, davon 5 berücksichtigt; 1 Gebiete mit besonderem Aufmerksamkeitsbedarf"))
    }

    /// Any classified index gets its summary line and its map, whatever its name: MSS labels keep MSS's colours,
    /// other schemes a green–yellow–red scale in class order.
    @Test func everyClassifiedIndexGetsItsMap() {
        let square = { (x: Double) in
            Polygon(exterior: Ring(points: [Point(x: x, y: 0), Point(x: x + 1, y: 0), Point(x: x + 1, y: 1), Point(x: x, y: 1), Point(x: x, y: 0)]))
        }
        let geometry = GeometryLayer(coordinateSystem: .epsg(25833), areas: [
            AreaGeometry(id: "A", polygons: [square(0)]), AreaGeometry(id: "B", polygons: [square(1)])])
        // Area A in class I and hoch, B in class V and in no status class.
        let own = HTMLReport.ClassedIndex(name: "sozialindex", labels: ["I", "II", "III", "IV", "V"], classes: [0, 4])
        #expect(own.palette.map(\.colour) == ["#1a9641", "#8dcb80", "#ffffbf", "#eb8c6e", "#d7191c"])
        let mss = HTMLReport.ClassedIndex(name: "status", labels: ["hoch", "mittel", "niedrig", "sehr niedrig"], classes: [0, -1])
        #expect(mss.palette.map(\.colour) == ["#1a9641", "#a6d96a", "#fdae61", "#d7191c"])
        let maps = HTMLReport.maps(HTMLReport.Areas(ids: ["A", "B"], indices: [own, mss]), geometry: geometry)
        #expect(maps.contains("<b>Sozialindex: Klassen</b>") && maps.contains("<b>Status-Index: Klassen</b>"))
        #expect(maps.contains("fill=\"#1a9641\"") && maps.contains("fill=\"#d7191c\""), "area A in class I, B in class V")
        #expect(HTMLReport.summary(HTMLReport.Areas(ids: ["A", "B"], indices: [own])).contains("<b>Sozialindex</b>: I 1, V 1"))
        #expect(maps.contains("stroke=\"#666\""), "few areas: outlined")
        // Beyond 2 000 areas the maps draw no outlines (at 400 pixels they would hide the colours).
        let many = (0..<2_001).map { AreaGeometry(id: "a\($0)", polygons: [square(Double($0))]) }
        let crowded = HTMLReport.svg(shapes: Dictionary(uniqueKeysWithValues: many.map { ($0.id, $0) }),
                                     ids: many.map(\.id), fill: [:])
        #expect(crowded.contains("<path") && !crowded.contains("stroke"))
    }

    /// A choropleth of `[maps]`: areas coloured by their class under the given bounds (light to dark), the legend
    /// as ranges in German numbers with the variable's decimals, tooltips with name, id and value.
    @Test func choroplethClassesLegendAndTooltips() {
        let square = { (x: Double) in
            Polygon(exterior: Ring(points: [Point(x: x, y: 0), Point(x: x + 1, y: 0), Point(x: x + 1, y: 1), Point(x: x, y: 1)]))
        }
        let geometry = GeometryLayer(coordinateSystem: .epsg(25833), areas: (0..<3).map {
            AreaGeometry(id: "a\($0)", polygons: [square(Double($0))]) })
        let map = HTMLReport.Choropleth(title: "Arbeitslosigkeit in %", values: [1.5, 4.25, .nan], bounds: [2, 4.5],
                                        decimals: 2)
        let html = HTMLReport.maps(HTMLReport.Areas(ids: ["a0", "a1", "a2"], names: ["Nord", "Süd", ""], indices: []),
                                   choropleths: [map], geometry: geometry)
        #expect(html.contains("<b>Arbeitslosigkeit in %</b>"))
        #expect(html.contains("</i>≤ 2,00<") && html.contains("</i>2,00 – 4,50<") && html.contains("</i>kein Wert<"))
        #expect(html.contains("fill=\"#ffffb2\"") && html.contains("fill=\"#bd0026\""), "lightest and darkest class")
        #expect(html.contains("<title>Nord (a0): 1,50</title>") && html.contains("<title>Süd (a1): 4,25</title>")
                && html.contains("<title>a2: kein Wert</title>"))
    }

    /// The emerging-hot-spot legend: every two categories (and the white of "ohne Zuordnung") at least 12 apart in
    /// CIELAB (ΔE*76, sRGB under D65), so that no two look alike; the former reds were 5.9 apart.
    @Test func hotSpotColoursAreDistinguishable() {
        func lab(_ hex: String) -> [Double] {
            let channels = [1, 3, 5].map { offset -> Double in
                let start = hex.index(hex.startIndex, offsetBy: offset)
                let c = Double(Int(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!) / 255
                return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
            }
            let (r, g, b) = (channels[0], channels[1], channels[2])
            let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, y = 0.2126 * r + 0.7152 * g + 0.0722 * b
            let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
            let f = { (t: Double) in t > 0.008856 ? cbrt(t) : 7.787 * t + 16 / 116 }
            return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))]
        }
        let colours = HotSpotReport.legend.map(\.colour) + ["#ffffff"]
        #expect(colours.count == 18 && Set(colours).count == 18)
        var closest = (distance: Double.infinity, pair: ("", ""))
        for i in colours.indices {
            for j in colours.indices where j > i {
                let a = lab(colours[i]), b = lab(colours[j])
                let d = ((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2])).squareRoot()
                if d < closest.distance { closest = (d, (colours[i], colours[j])) }
            }
        }
        #expect(closest.distance >= 12, "closest pair \(closest.pair): ΔE \(closest.distance)")
        #expect(lab("#ffffff")[0] > 99.9 && abs(lab("#808080")[0] - 53.59) < 0.05, "the conversion's reference points")
    }

    /// Contents: an anchor before each `<h2>` section (one starting the body too), the headings linked in order;
    /// other headings (`<h2 class=…>`) are no section.
    @Test func sectionsAreNumberedAndListed() {
        let (body, contents) = HTMLReport.numberedSections("<h2>Eins</h2><p>a</p><h2 class=\"plain\">x</h2><h2>Zwei</h2>b")
        #expect(body == "<a id=\"abschnitt-1\"></a><h2>Eins</h2><p>a</p><h2 class=\"plain\">x</h2><a id=\"abschnitt-2\"></a><h2>Zwei</h2>b")
        #expect(contents.hasSuffix("<ol><li><a href=\"#abschnitt-1\">Eins</a></li><li><a href=\"#abschnitt-2\">Zwei</a></li></ol></nav>"))
        #expect(HTMLReport.numberedSections("kein Abschnitt").body == "kein Abschnitt")
    }
}
