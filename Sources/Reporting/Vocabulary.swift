import AreaData
import SozmonIO

/// The words a reader sees for the codes machines read (docs/report.md, "Codes and words"): each table's title, each
/// column's label and the words for coded cell values, in German. CSV and GeoPackage keep the codes; the HTML
/// report, the profiles and the workbook's labels show these words.
public struct Vocabulary: Sendable {
    /// Labels, units and decimals of the indicator columns (the config's `[indicators]`, and the derived changes).
    public let catalogue: IndicatorCatalogue
    /// The hierarchy's level names, top down (`Bezirk`, `Prognoseraum`, `Bezirksregion`).
    public let levelNames: [String]
    /// The indices by name, each with its class labels (for the summaries' columns `<index>_<class>_areas`).
    public let indices: [(name: String, classes: [String])]

    public init(catalogue: IndicatorCatalogue = IndicatorCatalogue(), levelNames: [String] = [],
                indices: [(name: String, classes: [String])] = []) {
        self.catalogue = catalogue
        self.levelNames = levelNames
        self.indices = indices
    }

    /// `table` with its title and column labels set.
    public func labelled(_ table: Table) -> Table {
        var table = table
        table.title = title(of: table.name)
        table.labels = table.columns.map(label)
        table.sheetName = sheetName(of: table.name)
        return table
    }

    /// A workbook sheet's name: the title where it fits Excel's 31 characters without `[]:*?/\`, else a short form
    /// ("Aufmerksamkeitsbedarf", "Angebot nach Prognoseraum", "Diagnose Status-Index").
    public func sheetName(of name: String) -> String {
        let title = title(of: name)
        if title.count <= 31, !(name.hasPrefix("supply_") && name != "supply_areas"), !title.contains(where: { "[]:*?/\\".contains($0) }) { return title }
        if let short = Self.sheetNames[name] { return tr(short) }
        for (prefix, words) in [("supply_", "Angebot nach {0}"), ("diagnostics_", "Diagnose {0}"), ("treatment_", "Ausreißer {0}"),
                                ("uncertainty_", "Stabilität {0}")] where name.hasPrefix(prefix) {
            let rest = String(name.dropFirst(prefix.count))
            let short = tr(words, prefix == "supply_" ? level(slug: rest) ?? rest : indexTitle(rest))
            if short.count <= 31 { return short }
        }
        return String(title.map { "[]:*?/\\".contains($0) ? " " : $0 }.prefix(31))
    }

    static let sheetNames: [String: String] = [
        "attention_areas": "Aufmerksamkeitsbedarf", "spatial_global": "Autokorrelation (global)",
        "spatial_local": "Räumliche Cluster (lokal)", "crosswalk": "Umschlüsselung",
        "location_sites": "Standortwahl Standorte", "location_areas": "Standortwahl Gebiete", "location_summary": "Standortwahl Ergebnis",
    ]

    /// "Gebiete", "Übersicht nach Bezirksregion", "Trends je Gebiet" for `areas`, `summary_bezirksregion`, `trends`.
    public func title(of name: String) -> String {
        if let title = Self.tableTitles[name] { return tr(title) }
        for (prefix, words) in Self.levelTableTitles where name.hasPrefix(prefix) {
            return tr(words, level(slug: String(name.dropFirst(prefix.count))) ?? String(name.dropFirst(prefix.count)))
        }
        for (prefix, words) in [("diagnostics_", "Diagnose: {0}"), ("treatment_", "Ausreißer und Ergänzungen: {0}"),
                                ("uncertainty_", "Stabilität der Klassen: {0}")] where name.hasPrefix(prefix) {
            return tr(words, indexTitle(String(name.dropFirst(prefix.count))))
        }
        return name
    }

    /// The label of column `code`: a fixed code's words, a level's id (`bezirk_id` → "Bezirk (Nr.)"), an indicator's
    /// catalogue label with its unit, `z_<indicator>`, `<index>_value`, a summary's `<index>_<class>_areas`; else the
    /// code itself.
    public func label(_ code: String) -> String {
        if let heading = catalogue.heading(code) { return heading }
        if let words = Self.columnLabels[code] { return tr(words) }
        if code.hasSuffix("_id"), let level = level(slug: String(code.dropLast(3))) { return tr("{0} (Nr.)", level) }
        if code.hasSuffix("_name"), let level = level(slug: String(code.dropLast(5))) { return level }
        if code.hasPrefix("z_") { return tr("z-Wert {0}", catalogue.entries[String(code.dropFirst(2))]?.shownLabel ?? String(code.dropFirst(2))) }
        for index in indices {
            guard code.hasPrefix(index.name + "_") else { continue }
            let rest = String(code.dropFirst(index.name.count + 1))
            if let part = Self.indexColumns[rest] { return "\(indexTitle(index.name)): \(tr(part))" }
            for label in index.classes + ["unclassified"] {
                let slug = Edition.classSlug(label)
                for (suffix, words) in [("_areas", "Gebiete"), ("_population", "Einwohner")] where rest == slug + suffix {
                    let shown = label == "unclassified" ? tr("ohne Zuordnung") : tr(label)
                    return "\(indexTitle(index.name)) \(shown): \(tr(words))"
                }
            }
        }
        return code
    }

    /// The words for a coded value of column `code` (`indicator_missing` → "Indikator fehlt", `no trend` → "kein
    /// Trend", `S1=secret` → "Arbeitslosigkeit (SGB II): geheim"); other text as it is.
    public func text(_ value: String, column code: String) -> String {
        if code == "missing" {
            return value.split(separator: ";").map { item in
                let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { return String(item) }
                return (catalogue.entries[parts[0]]?.shownLabel ?? parts[0]) + ": " + (Self.values[parts[1]].map { tr($0) } ?? parts[1])
            }.joined(separator: "; ")
        }
        if ["indicator", "variable"].contains(code), let entry = catalogue.entries[value] { return entry.shownLabel }
        if let words = Self.values[value] { return tr(words) }
        if value == DisclosureControl.city { return tr(value) }
        return indices.contains { $0.classes.contains(value) } ? tr(value) : value
    }

    /// "Status-Index" for `status`; "Sozialindex" for `sozialindex` (a name that says it is an index).
    public func indexTitle(_ name: String) -> String {
        let capitalised = name.prefix(1).uppercased() + name.dropFirst()
        return name.lowercased().hasSuffix("index") ? capitalised : tr("{0}-Index", capitalised)
    }

    /// The level whose slug (as in `summary_<slug>`, `<slug>_id`) is `slug`.
    func level(slug: String) -> String? { levelNames.first { Edition.idColumn(of: $0) == slug + "_id" } }

    static let tableTitles: [String: String] = [
        "areas": "Gebiete", "attention_areas": "Gebiete mit besonderem Aufmerksamkeitsbedarf", "trends": "Trends je Gebiet",
        "quarters": "Quartalsvergleich je Gebiet", "hotspots": "Aufkommende Hot Spots", "spatial_global": "Räumliche Autokorrelation (global)",
        "spatial_local": "Räumliche Cluster je Gebiet (lokal)", "clusters": "Gebietstypen", "clusters_quality": "Güte der Gebietstypen",
        "similar": "Vergleichbare Gebiete", "supply_areas": "Bedarf und Angebot je Gebiet", "facilities": "Einrichtungen",
        "crosswalk": "Umschlüsselung auf den Gebietsstand", "class_history": "Klassen früherer Ausgaben",
        "class_transitions": "Klassenwechsel", "scenario_areas": "Szenarien je Gebiet", "scenarios": "Szenarien im Vergleich",
        "location_sites": "Standortwahl: Standorte", "location_areas": "Standortwahl: Gebiete mit Bedarf",
        "location_summary": "Standortwahl: Ergebnis",
    ]
    static let levelTableTitles: [(String, String)] = [
        ("summary_", "Übersicht nach {0}"), ("supply_", "Bedarf und Angebot nach {0}"), ("profiles_", "Profile nach {0}"),
        ("scenario_", "Szenarien nach {0}"),
    ]
    static let indexColumns: [String: String] = [
        "sum": "Summe der z-Werte", "value": "Wert", "class": "Klasse", "class_previous": "Klasse der Vorausgabe",
        "class_change": "Klassenwechsel",
    ]
    static let columnLabels: [String: String] = [
        "area_id": "Gebiet (Nr.)", "area_name": "Gebiet", "period": "Stand", "population": "Einwohner",
        "eligible": "einbezogen", "exclusion_reason": "Grund des Ausschlusses", "scored": "bewertet",
        "unscored_reason": "Grund ohne Bewertung", "missing": "fehlende Werte", "combined_class": "Gesamtindex: Klasse",
        "combined_code": "Gesamtindex: Schlüssel", "attention": "besonderer Aufmerksamkeitsbedarf", "areas": "Gebiete",
        "district_id": "Bezirk (Nr.)", "indicator": "Indikator", "value": "Wert", "previous_period": "Vorquartal",
        "change_prev": "Veränderung zum Vorquartal", "change_prev_pct": "Veränderung zum Vorquartal in %",
        "year_earlier": "Vorjahresquartal", "change_year": "Veränderung zum Vorjahresquartal",
        "change_year_pct": "Veränderung zum Vorjahresquartal in %", "seasonally_adjusted": "saisonbereinigt",
        "rank_in_district": "Rang im Bezirk", "significant_deterioration": "signifikante Verschlechterung",
        "method": "Verfahren", "from": "von", "to": "bis", "n": "Anzahl", "slope": "Steigung je Jahr",
        "std_error": "Standardfehler", "t": "t-Wert", "p_value": "p-Wert", "q_value": "q-Wert (FDR)",
        "ci_low": "Konfidenzintervall, unten", "ci_high": "Konfidenzintervall, oben", "r_squared": "Bestimmtheitsmaß R²",
        "s": "S (Mann-Kendall)", "z": "z-Wert", "tau": "Kendalls τ", "sen_slope": "Sen-Steigung je Jahr", "direction": "Richtung",
        "deteriorating": "Verschlechterung", "statistic": "Kennzahl", "variable": "Merkmal", "weights": "Nachbarschaft",
        "expected": "Erwartungswert", "variance_norm": "Varianz (Normalverteilung)", "z_norm": "z (Normalverteilung)",
        "p_norm": "p (Normalverteilung)", "variance_rand": "Varianz (Randomisierung)", "z_rand": "z (Randomisierung)",
        "p_rand": "p (Randomisierung)", "p_sim": "p (Permutationen)", "permutations": "Permutationen", "seed": "Startwert",
        "local_i": "lokales Moran's I", "quadrant": "Quadrant", "significant": "signifikant", "cluster_type": "Clustertyp",
        "gi_star": "Getis-Ord Gi*", "gi_star_z": "Getis-Ord Gi*, z-Wert", "category": "Kategorie",
        "hot_share": "Anteil als Hot Spot", "cold_share": "Anteil als Cold Spot", "k": "Anzahl der Typen",
        "cluster": "Typ", "within_ss": "Streuung innerhalb der Typen", "calinski_harabasz": "Calinski-Harabasz-Index",
        "silhouette": "Silhouette", "rank": "Rang", "similar_id": "vergleichbares Gebiet (Nr.)", "distance": "Abstand",
        "facilities": "Einrichtungen", "capacity": "Kapazität", "target_population": "Zielgruppe",
        "capacity_per_1000": "Kapazität je 1 000", "facilities_per_1000": "Einrichtungen je 1 000", "high_need": "hoher Bedarf",
        "low_supply": "geringes Angebot", "gap": "hoher Bedarf, geringes Angebot",
        "low_supply_threshold": "Schwelle geringes Angebot je 1 000", "gap_areas": "Gebiete mit hohem Bedarf, geringem Angebot",
        "facility_id": "Einrichtung (Nr.)", "type": "Art", "share_through_split": "Anteil aus geteilten Gebieten",
        "region_id": "Einheit (Nr.)", "parent_id": "übergeordnete Einheit (Nr.)", "parent_value": "Wert der übergeordneten Einheit",
        "city_value": "Wert der Stadt", "units": "Einheiten", "row": "Zeile", "column": "Spalte",
        "scenario": "Szenario", "supply_before": "Angebot je 1 000 vorher", "supply_after": "Angebot je 1 000 nachher",
        "supply_change": "Veränderung des Angebots je 1 000", "low_supply_before": "geringes Angebot vorher",
        "low_supply_after": "geringes Angebot nachher", "gap_before": "Lücke vorher", "gap_after": "Lücke nachher",
        "capacity_before": "Kapazität vorher", "capacity_after": "Kapazität nachher",
        "gap_areas_before": "Gebiete mit Lücke vorher", "gap_areas_after": "Gebiete mit Lücke nachher",
        "facilities_added": "neue Einrichtungen", "facilities_closed": "geschlossene Einrichtungen",
        "capacities_changed": "geänderte Kapazitäten", "capacity_change": "Veränderung der Kapazität",
        "areas_gaining": "Gebiete mit mehr Angebot", "areas_losing": "Gebiete mit weniger Angebot",
        "gap_target_before": "Zielgruppe in Gebieten mit Lücke vorher", "gap_target_after": "Zielgruppe in Gebieten mit Lücke nachher",
        "site_id": "Standort", "new": "neu", "areas_served": "erreichte Gebiete", "demand_served": "erreichter Bedarf",
        "x": "Rechtswert", "y": "Hochwert", "demand": "Bedarf", "site_before": "Standort vorher",
        "distance_before": "Entfernung vorher (m)", "site_after": "Standort nachher", "distance_after": "Entfernung nachher (m)",
        "problem": "Aufgabe", "proven_optimal": "nachweislich optimal", "new_sites": "neue Standorte",
        "existing_sites": "bestehende Standorte", "radius": "Radius (m)", "objective": "Zielwert", "bound": "Schranke",
        "optimality_gap": "Abstand zur Schranke", "demand_areas": "Gebiete mit Bedarf", "served_before": "erreichter Bedarf vorher",
        "served_after": "erreichter Bedarf nachher", "mean_distance_before": "mittlere Entfernung vorher (m)",
        "mean_distance_after": "mittlere Entfernung nachher (m)",
    ]
    /// Coded values and their words: reasons, trend directions and methods, cluster quadrants, hot-spot categories
    /// (ESRI's German names), statistics.
    static let values: [String: String] = {
        var words: [String: String] = [
            "population_below_minimum": "zu wenige Einwohner", "population_missing": "Einwohnerzahl fehlt",
            "excluded": "ausgeschlossen", "not_eligible": "nicht einbezogen", "indicator_missing": "Indikator fehlt",
            "increasing": "steigend", "decreasing": "fallend", "no trend": "kein Trend", "ols": "lineare Regression",
            "mann-kendall": "Mann-Kendall", "theil-sen": "Theil-Sen", "seasonal-mann-kendall": "saisonaler Mann-Kendall",
            "HH": "hoch–hoch", "LL": "niedrig–niedrig", "HL": "hoch–niedrig", "LH": "niedrig–hoch", "ns": "nicht signifikant",
            "no pattern": "kein Muster erkannt", "moran_i": "Moran's I", "cronbach_alpha": "Cronbachs Alpha",
            "correlation": "Korrelation", "eigenvalue": "Eigenwert", "explained_variance_ratio": "Anteil erklärter Varianz",
            "loading": "Ladung", "pca_weight": "Gewicht (Hauptkomponente)", "kmeans": "k-Means", "ward": "Ward",
            "regions": "Ward mit Nachbarschaft", "skater": "SKATER", "max-p": "max-p",
            "mclp": "größte Abdeckung (MCLP)", "p-median": "kleinste Wege (p-Median)", "lscp": "wenigste Standorte (LSCP)",
            "exact": "exakt", "heuristic": "heuristisch",
        ]
        for reason in MissingReason.allCases { words[reason.rawValue] = reason.words }
        let patterns = ["new": "Neuer", "consecutive": "Fortlaufender", "intensifying": "Verstärkender", "persistent": "Beständiger",
                        "diminishing": "Abnehmender", "sporadic": "Sporadischer", "oscillating": "Oszillierender", "historical": "Historischer"]
        for (pattern, adjective) in patterns {
            words["\(pattern) hot spot"] = "\(adjective) Hot Spot"
            words["\(pattern) cold spot"] = "\(adjective) Cold Spot"
        }
        return words
    }()
}

extension MissingReason {
    /// The reason in the words of German official statistics.
    public var words: String {
        switch self {
        case .empty: "leer"
        case .nothing: "nichts vorhanden"
        case .secret: "geheim"
        case .notMeaningful: "nicht sinnvoll"
        case .later: "folgt später"
        case .unreliable: "nicht sicher genug"
        case .sentinel: "Platzhalterwert"
        case .absent: "keine Zeile"
        case .incomplete: "unvollständig"
        case .denominatorNotPositive: "Nenner null oder fehlend"
        case .changeUnavailable: "Veränderung nicht berechenbar"
        }
    }
}
