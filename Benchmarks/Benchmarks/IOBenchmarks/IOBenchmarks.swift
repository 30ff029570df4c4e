import AreaData
import Benchmark
import Foundation
import SozmonIO
import Synthetic

/// Reading: a wide indicator table (areas × 10 years × 8 indicators) from CSV bytes into the panel.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(3),
                                           maxIterations: 20)
    for areas in [542, 10_000, 100_000] {
        let bytes = syntheticCSV(areas: areas)
        Benchmark("CSV → panel \(areas) areas × 10 years (\(bytes.count / 1_000_000) MB)") { benchmark in
            for _ in benchmark.scaledIterations {
                let reader = try CSVReader(bytes: bytes, file: "bench.csv")
                blackHole(try reader.panel(PanelSpec(areaIDColumn: "PLR_ID", areaNameColumn: "PLR_NAME",
                                                     populationColumn: "EW", periodColumn: "ZEIT")))
            }
        }
    }
}

/// The annual table of `sozmon generate` for 2015–2024, made in memory.
func syntheticCSV(areas: Int) -> [UInt8] {
    let city = try! SyntheticCity(areaCount: areas, seed: 1)
    var text = "PLR_ID,PLR_NAME,ZEIT,EW,S1,S2,S3,S4,K1,K2,K3,K4\n"
    for year in 2015...2024 {
        let values = city.values(in: .year(year)), people = city.population(in: .year(year))
        for i in 0..<areas {
            text += "\(city.areaIDs[i]),\(city.areaNames[i]),\(year),\(Int(people[i]))"
            for j in 0..<8 { text += ",\(values[i, j])" }
            text += "\n"
        }
    }
    return Array(text.utf8)
}
