import AreaData
import Foundation
import Sozmon
import SozmonIO

/// The three readers under test, each taking raw bytes. Errors are the expected outcome of most inputs; only a
/// trap (the process dies) or a hang (over a second) is a finding.
enum Reader: String, CaseIterable {
    case csv, geojson, config

    /// Reads `bytes` as this kind of input; returns whether they were accepted.
    func read(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .csv:
            // CSV → panel with the columns a config would name: id first, period and population when present.
            guard let reader = try? CSVReader(bytes: bytes, file: "fuzz.csv") else { return false }
            _ = try? CSVTable(bytes: bytes, file: "fuzz.csv")
            let header = reader.header
            let period = header.first { ["ZEIT", "period", "Jahr", "Stichtag"].contains($0) }
            let population = header.first { ["EW", "population", "E_E"].contains($0) }
            for layout in [PanelSpec.Layout.wide, .long] where layout == .wide || header.contains("indicator") {
                let spec = PanelSpec(layout: layout, areaIDColumn: header.first ?? "", populationColumn: population,
                                     periodColumn: period, hierarchy: .berlinLOR)
                if (try? reader.panel(spec, workers: bytes.count % 4 == 0 ? 2 : 1)) != nil { return true }
            }
            return false
        case .geojson:
            let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
            let id = ["PLR_ID", "BZR_ID", "PGR_ID", "spatial_name"].first { text.contains($0) } ?? "id"
            return (try? GeoJSON.read(Data(bytes), file: "fuzz.geojson", idProperty: id)) != nil
        case .config:
            return (try? RunConfig.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.toml", baseFolder: "/nonexistent")) != nil
        }
    }

    /// Seed inputs from the shipped data set, the test fixtures and (when present) `../shared/data`: small slices of
    /// real files, so that a mutation reaches deep into the reader quickly.
    func seeds(checkout: URL) -> [[UInt8]] {
        let fm = FileManager.default
        var files: [URL] = []
        for folder in ["datasets", "Tests/Fixtures/golden", "../shared/data"] {
            let root = checkout.appendingPathComponent(folder)
            guard let walk = fm.enumerator(at: root, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walk { files.append(url) }
        }
        let wanted: Set<String> = switch self {
        case .csv: ["csv"]
        case .geojson: ["geojson"]
        case .config: ["toml"]
        }
        var seeds: [[UInt8]] = []
        for url in files.sorted(by: { $0.path < $1.path }) where wanted.contains(url.pathExtension) {
            guard let data = fm.contents(atPath: url.path) else { continue }
            switch self {
            case .csv:  // the header and the first 40 records
                let lines = data.split(separator: 0x0A, maxSplits: 41, omittingEmptySubsequences: false).prefix(41)
                seeds.append(Array(lines.joined(separator: [0x0A])))
            case .geojson:  // two small features (a city's outline alone is megabytes: too slow to mutate)
                guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      let features = root["features"] as? [Any] else { continue }
                let small = features.filter { feature in
                    ((try? JSONSerialization.data(withJSONObject: feature))?.count ?? .max) < 8_000
                }
                guard !small.isEmpty else { continue }
                var collection = root
                collection["features"] = Array(small.prefix(2))
                if let json = try? JSONSerialization.data(withJSONObject: collection, options: [.sortedKeys]) { seeds.append(Array(json)) }
            case .config:
                seeds.append(Array(data))
            }
        }
        return seeds
    }
}
