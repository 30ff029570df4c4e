import AreaData
import SozmonIO
import Trends

/// The sentences of a profile page (docs/report.md, "Sentences in profiles"), made by fixed rules from the numbers
/// the page shows, so that a reader gets the gist without reading the table:
///
/// - **Against the city**: `d = (x − x_Stadt) / σ`, σ the standard deviation of the indicator over the units of the
///   level (the one the page's z-values use). |d| < 0.25: "etwa beim Wert der Stadt"; 0.25 ≤ |d| < 1: "über" or
///   "unter dem Wert der Stadt"; |d| ≥ 1: "deutlich über" or "deutlich unter".
/// - **Over time**: the Mann–Kendall test (two-sided, tie-corrected, as `trends.csv`) of the unit's values over the
///   profile's periods at the run's α: "ist seit 2019 signifikant gestiegen" / "gesunken", else "hat sich seit
///   2019 nicht signifikant verändert"; no clause with fewer than four periods.
///
/// Indicators that stand out (|d| ≥ 0.25 or a significant trend) get a sentence each, those near the city's value one
/// together, and the trends that are not significant one. A withheld unit (disclosure control) gets none.
struct ProfileSentences {
    static let about = 0.25, clearly = 1.0
    /// Fewer periods give no trend clause (Mann–Kendall cannot reach α = 0.05 below four values).
    static let minimumPeriods = 4

    let catalogue: IndicatorCatalogue
    let alpha: Double

    /// `„Arbeitslosigkeit (SGB II)“ liegt mit 11,2 % deutlich über dem Wert der Stadt (6,1 %) und ist seit 2019
    /// signifikant gestiegen.` for each indicator that stands out, one sentence for those near the city's value, and
    /// one for the trends that are not significant.
    func paragraph(_ items: [(indicator: String, value: Double, city: Double, spread: Double, series: [Double], periods: [Period])])
        -> String {
        var sentences: [String] = [], quiet: [String] = [], tested = 0, since: String?
        for item in items where !item.value.isNaN && !item.city.isNaN {
            let d = item.spread > 0 ? (item.value - item.city) / item.spread : 0
            let trend = self.trend(item.series, periods: item.periods)
            if let trend { tested += 1; since = since ?? trend.since }
            let significant = trend?.significant == true
            guard abs(d) >= Self.about || significant else { quiet.append("„\(label(item.indicator))“"); continue }
            sentences.append("„\(label(item.indicator))“ liegt mit \(amount(item.value, item.indicator)) \(Self.position(d)) "
                             + "(\(amount(item.city, item.indicator)))" + (significant ? " und " + trend!.words : "") + ".")
        }
        if !quiet.isEmpty {
            sentences.append((quiet.count == 1 ? "\(quiet[0]) liegt" : "\(Self.list(quiet)) liegen") + " etwa beim Wert der Stadt.")
        }
        let significant = sentences.filter { $0.contains(" signifikant ") }.count
        if let since, tested > significant {
            sentences.append(significant == 0 ? "Keiner der Indikatoren hat sich \(since) signifikant verändert."
                             : "Die übrigen Indikatoren haben sich \(since) nicht signifikant verändert.")
        }
        return sentences.joined(separator: " ")
    }

    /// "„A“, „B“ und „C“".
    static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " und " + items.last!
    }

    /// "deutlich über dem Wert der Stadt", "unter dem Wert der Stadt", "etwa beim Wert der Stadt".
    static func position(_ d: Double) -> String {
        if abs(d) < about { return "etwa beim Wert der Stadt" }
        return (abs(d) >= clearly ? "deutlich " : "") + (d > 0 ? "über" : "unter") + " dem Wert der Stadt"
    }

    /// The trend clause of a series over `periods` ("ist seit 2019 signifikant gestiegen"), whether it is
    /// significant, and its "seit 2019"; nil where there are too few values.
    func trend(_ series: [Double], periods: [Period]) -> (words: String, significant: Bool, since: String)? {
        let present = series.indices.filter { !series[$0].isNaN }
        guard present.count >= Self.minimumPeriods, let first = present.first,
              let test = try? MannKendall(series, alpha: alpha) else { return nil }
        let since = "seit \(periods[first].shown)"
        switch test.direction {
        case .increasing: return ("ist \(since) signifikant gestiegen", true, since)
        case .decreasing: return ("ist \(since) signifikant gesunken", true, since)
        case .noTrend: return ("hat sich \(since) nicht signifikant verändert", false, since)
        }
    }

    private func label(_ code: String) -> String { catalogue.entries[code]?.label ?? code }

    /// "11,2 %" with the catalogue's decimals and unit.
    private func amount(_ x: Double, _ code: String) -> String {
        let number = HTMLReport.germanNumber(x, decimals: catalogue.decimals(code) ?? 1)
        return catalogue.entries[code]?.unit.map { "\(number) \($0)" } ?? number
    }
}
