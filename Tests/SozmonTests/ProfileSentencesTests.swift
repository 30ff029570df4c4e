import AreaData
@testable import Reporting
import SozmonIO
import Testing

/// The sentences of profiles and of the overview, by their stated rules (docs/report.md), on hand cases.
@Suite struct ProfileSentencesTests {
    let catalogue = IndicatorCatalogue(["S1": .init(label: "Arbeitslosigkeit (SGB II)", unit: "%", decimals: 1),
                                        "S2": .init(label: "Kinderarmut", unit: "%", decimals: 1)])
    let years = (2019...2024).map { Period.year($0) }

    /// |d| < 0,25 about; 0,25 ≤ |d| < 1 over/under; |d| ≥ 1 clearly — d in units of the units' σ.
    @Test(arguments: [(0.2, "etwa beim Wert der Stadt"), (-0.24, "etwa beim Wert der Stadt"), (0.25, "über dem Wert der Stadt"),
                      (-0.99, "unter dem Wert der Stadt"), (1.0, "deutlich über dem Wert der Stadt"),
                      (-3, "deutlich unter dem Wert der Stadt")])
    func positionAgainstTheCity(d: Double, words: String) {
        #expect(ProfileSentences.position(d) == words)
    }

    /// A steady rise over six years is significant (Mann–Kendall S = 15, Var S = 28,33, z = 2,63, p = 0,0085); a
    /// zigzag is not; three years give no clause.
    @Test func trendClauses() throws {
        let sentences = ProfileSentences(catalogue: catalogue, alpha: 0.05)
        let rise = try #require(sentences.trend([1, 2, 3, 4, 5, 6], periods: years))
        #expect(rise.words == "ist seit 2019 signifikant gestiegen" && rise.significant)
        #expect(sentences.trend([6, 5, 4, 3, 2, 1], periods: years)?.words == "ist seit 2019 signifikant gesunken")
        #expect(sentences.trend([1, 3, 2, 3, 1, 2], periods: years)?.words == "hat sich seit 2019 nicht signifikant verändert")
        // The first period with a value starts the span (n = 5: S = 10, z = 2,20, p = 0,028); at α = 0.001 the
        // rise of six is not significant.
        #expect(sentences.trend([.nan, 2, 3, 4, 5, 6], periods: years)?.words == "ist seit 2020 signifikant gestiegen")
        #expect(ProfileSentences(catalogue: catalogue, alpha: 0.001).trend([1, 2, 3, 4, 5, 6], periods: years)?.significant == false)
        #expect(sentences.trend([1, 2, 3], periods: Array(years.prefix(3))) == nil)
    }

    /// The paragraph: a sentence for what stands out (with its trend where significant), one for the rest near the
    /// city, one for the trends that are not significant.
    @Test func paragraph() {
        let sentences = ProfileSentences(catalogue: catalogue, alpha: 0.05)
        let text = sentences.paragraph([
            (indicator: "S1", value: 11.2, city: 6.1, spread: 2, series: [8, 9, 9.5, 10, 10.8, 11.2], periods: years),
            (indicator: "S2", value: 28.3, city: 28.1, spread: 10, series: [28, 29, 28, 29, 28, 28.3], periods: years),
        ])
        #expect(text == "„Arbeitslosigkeit (SGB II)“ liegt mit 11,2 % deutlich über dem Wert der Stadt (6,1 %) und ist seit "
                + "2019 signifikant gestiegen. „Kinderarmut“ liegt etwa beim Wert der Stadt. Die übrigen Indikatoren haben "
                + "sich seit 2019 nicht signifikant verändert.")
        #expect(sentences.paragraph([(indicator: "S1", value: .nan, city: 6.1, spread: 2, series: [], periods: [])]).isEmpty)
    }

    /// The overview: per index its most frequent and its last class, with counts and share; the top-level unit with
    /// most areas of attention when it holds at least a quarter of them.
    @Test func overview() {
        let index = HTMLReport.ClassedIndex(name: "status", labels: ["hoch", "mittel", "niedrig", "sehr niedrig"],
                                            classes: [1, 1, 1, 3, -1, 0])
        let areas = HTMLReport.Areas(ids: ["a", "b", "c", "d", "e", "f"], attention: [true, true, false, true, nil, false],
                                     indices: [index], regions: ["Bezirk Mitte", "Bezirk Mitte", "Bezirk Nord", "Bezirk Nord",
                                                                 "Bezirk Nord", "Bezirk Nord"])
        #expect(HTMLReport.overviewSentences(areas, vocabulary: Vocabulary())
                == "Nach dem Status-Index liegen die meisten Gebiete in der Klasse „mittel“ (3 von 5), 1 (20,0 %) in der "
                + "Klasse „sehr niedrig“. Die meisten Gebiete mit besonderem Aufmerksamkeitsbedarf liegen in Bezirk Mitte (2 von 3).")
    }

    /// Markdown escaping by hand: CommonMark's punctuation that opens markup gets a backslash (also before a
    /// combining mark), every line break — CR, LF, CRLF — becomes one space, other text (umlauts, emoji, `#`, `-`)
    /// stays as it is.
    @Test(arguments: [("Wedding", "Wedding"), ("Köln-Süd #2 😀", "Köln-Süd #2 😀"),
                      ("<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)\\>"),
                      ("[klick](javascript:x)", "\\[klick\\](javascript:x)"),
                      ("a*b_c`d\\e!f&g~h|i", "a\\*b\\_c\\`d\\\\e\\!f\\&g\\~h\\|i"),
                      ("eins\r\nzwei\ndrei\rvier\n\nfünf", "eins zwei drei vier  fünf"),
                      ("*\u{301}x", "\\*\u{301}x"), ("\r\n", " ")])
    func markdownEscaping(text: String, escaped: String) {
        #expect(RegionProfiles.markdownEscaped(text) == escaped)
    }
}
