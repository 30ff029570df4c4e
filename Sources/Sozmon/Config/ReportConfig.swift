import SozmonIO

extension RunConfig {
    /// `[report]`: what is written besides the CSV tables, and how.
    public struct Report: Sendable, Encodable {
        public var formats: [ReportFormat] = [.csv]
        public var csvDialect: CSVWriter.Style = .plain
        public var geojsonCRS: GeoJSONCoordinates = .wgs84
        public var diagnostics: Bool = true
        /// Population counts below this are suppressed in the published tables (0: off).
        public var disclosureThreshold: Double = 3

        init() {}

        init(reading t: ConfigReader.Table) {
            formats = t.choices("formats", default: formats)
            csvDialect = t.choice("csv_dialect", default: csvDialect)
            geojsonCRS = t.choice("geojson_crs", default: geojsonCRS)
            diagnostics = t.bool("diagnostics", default: diagnostics)
            // 0: off; a count of people, so an integer with a bound that no footnote or comparison can overflow.
            disclosureThreshold = Double(t.int("disclosure_threshold", default: Int(disclosureThreshold), range: 0...1_000_000))
            t.finish()
        }
    }
}
