import SozmonIO

extension RunConfig {
    /// `[report]`: what is written besides the CSV tables, and how.
    package struct Report: Sendable, Encodable {
        package var formats: [ReportFormat] = [.csv]
        package var csvDialect: CSVWriter.Style = .plain
        package var geojsonCRS: GeoJSONCoordinates = .wgs84
        package var diagnostics: Bool = true
        /// The language of what a person reads (report.html, profiles, the workbook's labels and sheet names, the
        /// GeoPackage's styles): German or English; the codes of CSV and GeoPackage columns are the same in both.
        package var language: ReportLanguage = .de
        /// Population counts below this are suppressed in the published tables (0: off).
        package var disclosureThreshold: Double = 3
        /// How far above a small count an attacker's interval must reach (nil: the threshold, so that a small count
        /// cannot be told from a publishable one).
        package var disclosureProtection: Double?

        init() {}

        init(reading t: ConfigReader.Table) {
            formats = t.choices("formats", default: formats)
            csvDialect = t.choice("csv_dialect", default: csvDialect)
            geojsonCRS = t.choice("geojson_crs", default: geojsonCRS)
            diagnostics = t.bool("diagnostics", default: diagnostics)
            language = t.choice("language", default: language)
            // 0: off; a count of people, so an integer with a bound that no footnote or comparison can overflow.
            disclosureThreshold = Double(t.int("disclosure_threshold", default: Int(disclosureThreshold), range: 0...1_000_000))
            disclosureProtection = t.has("disclosure_protection")
                ? Double(t.int("disclosure_protection", default: 0, range: 1...1_000_000)) : nil
            t.finish()
        }
    }
}
