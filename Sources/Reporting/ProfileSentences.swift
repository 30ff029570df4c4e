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
    /// one for the trends that are not significant (in the report's language).
    func paragraph(_ items: [(indicator: String, value: Double, city: Double, spread: Double, series: [Double], periods: [Period])])
        -> String {
        var sentences: [String] = [], quiet: [String] = [], tested = 0, significant = 0, since: String?
        for item in items where !item.value.isNaN && !item.city.isNaN {
            let d = item.spread > 0 ? (item.value - item.city) / item.spread : 0
            let trend = self.trend(item.series, periods: item.periods)
            if let trend { tested += 1; since = since ?? trend.since }
            let moved = trend?.significant == true
            guard abs(d) >= Self.about || moved else { quiet.append(tr("„{0}“", label(item.indicator))); continue }
            if moved { significant += 1 }
            sentences.append(tr("„{0}“ liegt mit {1} {2} ({3})", label(item.indicator), amount(item.value, item.indicator),
                                Self.position(d), amount(item.city, item.indicator))
                             + (moved ? tr(" und {0}", trend!.words) : "") + ".")
        }
        if !quiet.isEmpty {
            sentences.append(quiet.count == 1 ? tr("{0} liegt etwa beim Wert der Stadt.", quiet[0])
                             : tr("{0} liegen etwa beim Wert der Stadt.", Self.list(quiet)))
        }
        if let since, tested > significant {
            sentences.append(significant == 0 ? tr("Keiner der Indikatoren hat sich {0} signifikant verändert.", since)
                             : tr("Die übrigen Indikatoren haben sich {0} nicht signifikant verändert.", since))
        }
        return sentences.joined(separator: " ")
    }

    /// "„A“, „B“ und „C“".
    static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : tr("{0} und {1}", items.dropLast().joined(separator: ", "), items.last!)
    }

    /// "deutlich über dem Wert der Stadt", "unter dem Wert der Stadt", "etwa beim Wert der Stadt".
    static func position(_ d: Double) -> String {
        if abs(d) < about { return tr("etwa beim Wert der Stadt") }
        if abs(d) >= clearly { return tr(d > 0 ? "deutlich über dem Wert der Stadt" : "deutlich unter dem Wert der Stadt") }
        return tr(d > 0 ? "über dem Wert der Stadt" : "unter dem Wert der Stadt")
    }

    /// The trend clause of a series over `periods` ("ist seit 2019 signifikant gestiegen"), whether it is
    /// significant, and its "seit 2019"; nil where there are too few values.
    func trend(_ series: [Double], periods: [Period]) -> (words: String, significant: Bool, since: String)? {
        let present = series.indices.filter { !series[$0].isNaN }
        guard present.count >= Self.minimumPeriods, let first = present.first,
              let test = try? MannKendall(series, alpha: alpha) else { return nil }
        let since = tr("seit {0}", periods[first].shown)
        switch test.direction {
        case .increasing: return (tr("ist {0} signifikant gestiegen", since), true, since)
        case .decreasing: return (tr("ist {0} signifikant gesunken", since), true, since)
        case .noTrend: return (tr("hat sich {0} nicht signifikant verändert", since), false, since)
        }
    }

    private func label(_ code: String) -> String { catalogue.entries[code]?.shownLabel ?? code }

    /// "11,2 %" with the catalogue's decimals and unit.
    private func amount(_ x: Double, _ code: String) -> String {
        let number = HTMLReport.shownNumber(x, decimals: catalogue.decimals(code) ?? 1)
        return catalogue.entries[code]?.unit.map { "\(number) \(tr($0))" } ?? number
    }
}
