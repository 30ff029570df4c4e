import AreaData
import Foundation
import Indicators
import LinearAlgebra
import LocationAllocation
import SozmonIO
import Statistics
import Spatial
import Trends

/// Usage: SozmonTimings <operation> <argument> <repetitions>
/// Prints one JSON object: {"operation", "seconds" (median), "times", "check"} where `check` is a number the peer
/// computes too (a sum over the result), to show that both sides computed the same thing.
let arguments = CommandLine.arguments
guard arguments.count == 4, let repetitions = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: SozmonTimings OPERATION ARGUMENT REPETITIONS\n".utf8))
    exit(64)
}
let operation = arguments[1], argument = arguments[2]

/// Times `body` (only the operation), then computes the check sum of its last result outside the timing.
func time<T>(_ body: () throws -> T, check: (T) -> Double) rethrows -> (Double, [Double], Double) {
    var times: [Double] = [], last: T? = nil
    for _ in 0..<repetitions {
        let start = DispatchTime.now().uptimeNanoseconds
        last = try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return (times.sorted()[times.count / 2], times, check(last!))
}

func sumOfFinite(_ values: [Double], absolute: Bool = false) -> Double {
    var total = 0.0
    for v in values where !v.isNaN { total += absolute ? Swift.abs(v) : v }
    return total
}

/// A smooth, deterministic value per area from its centroid (metres), as peers.py computes it.
func spatialValue(_ i: Int, _ c: Point) -> Double { sin(c.x / 5000) + cos(c.y / 7000) + Double((i * 7919) % 1000) / 2000 }

/// A second smooth value per area (the other clustering feature of peers.py).
func secondValue(_ i: Int, _ c: Point) -> Double { cos(c.x / 3000) * sin(c.y / 4000) + Double((i * 104_729) % 1000) / 3000 }

/// The two standardised clustering features of an area layer, as peers.py makes them.
func clusteringFeatures(_ layer: GeometryLayer) throws -> Matrix {
    let centroids = layer.areas.map(\.centroid)
    var x = Matrix(columns: [centroids.enumerated().map { spatialValue($0.offset, $0.element) },
                             centroids.enumerated().map { secondValue($0.offset, $0.element) }])
    try x.standardizeColumns()
    return x
}

/// Σ over clusters of the squared distances to the cluster mean.
func withinSumOfSquares(_ x: Matrix, _ labels: [Int]) -> Double {
    var total = 0.0
    for j in 0..<x.columns {
        var sums: [Int: (Double, Double, Int)] = [:]
        for i in 0..<x.rows {
            let (s, q, n) = sums[labels[i]] ?? (0, 0, 0)
            sums[labels[i]] = (s + x[i, j], q + x[i, j] * x[i, j], n + 1)
        }
        for (s, q, n) in sums.values { total += q - s * s / Double(n) }
    }
    return total
}

/// The deterministic trend series of peers.py: value of series s at period t.
func trendValue(_ s: Int, _ t: Int) -> Double { Double((s * 7919 + t * 104_729) % 1_000_003) / 1_000_003 + 0.01 * Double(t) }

/// The same deterministic test matrix the peer builds: x[i, j] = ((i·7919 + j·104729) mod 1000003) / 1000003.
func testMatrix(rows: Int, columns: Int) -> Matrix {
    var m = Matrix(rows: rows, columns: columns)
    for j in 0..<columns { for i in 0..<rows { m[i, j] = Double((i * 7919 + j * 104_729) % 1_000_003) / 1_000_003 } }
    return m
}

func panelMatrix(_ file: String) throws -> (Panel, Matrix) {
    let panel = try CSVReader(contentsOf: URL(fileURLWithPath: file)).panel(
        PanelSpec(areaIDColumn: "PLR_ID", areaNameColumn: "PLR_NAME", populationColumn: "EW", periodColumn: "ZEIT")).panel
    return (panel, panel.values.last!)
}

/// The floor value of area i for the max-p benchmark (1…5 inhabitants' units), as peers.py computes it.
func floorValue(_ i: Int) -> Double { Double(1 + (i * 7919) % 5) }

/// Area i's value in period t for the hot spot benchmark: a smooth surface, a drift in part of the map, noise.
func spaceTimeValue(_ i: Int, _ t: Int, _ c: Point) -> Double {
    spatialValue(i, c) + 0.05 * Double(t) * sin(c.x / 9000) + Double((i * 7919 + t * 104_729) % 1000) / 2000
}

/// A second number of a result where the check sum alone cannot judge it (max-p: the heterogeneity).
nonisolated(unsafe) var quality: Double?

let result: (Double, [Double], Double)
switch operation {
case "gemm":
    let n = Int(argument)!
    let a = testMatrix(rows: n, columns: n), b = testMatrix(rows: n, columns: n).transposed
    result = time({ a * b }, check: { sumOfFinite($0.elements) })
case "zscores":
    let x = testMatrix(rows: Int(argument)!, columns: 10)
    result = try time({ try x.zScores(ddof: 0) }, check: { sumOfFinite($0.elements, absolute: true) })
case "axpy":
    // y ← 3x + y in place: two reads and one write of n doubles per call (the STREAM-style bandwidth probe).
    let n = Int(argument)!
    let x = [Double](repeating: 2, count: n)
    var y = [Double](repeating: 1, count: n)
    axpy(3, x, &y)  // touch the pages once before timing
    result = time({ axpy(3, x, &y); return 0.0 }, check: { _ in 1 + Double(repetitions + 1) * 6 })
case "dot":
    // x · y over two vectors of n doubles: one read of 16·n bytes, nothing written (the read-bandwidth probe).
    let n = Int(argument)!
    let x = (0..<n).map { Double($0 % 7) }, y = (0..<n).map { Double($0 % 5) }
    result = time({ dot(x, y) }, check: { $0 })
case "read_csv":
    result = try time({ try panelMatrix(argument).1 }, check: { sumOfFinite($0.elements) })
case "standardise_index":
    // The yearly job at research scale: n areas × 10 periods × 8 indicators; per period z-scores of the 8 over the
    // eligible areas, their sum, the sum re-standardised, and the 4 MSS status classes (as peers.py computes them).
    let n = Int(argument)!
    let periods = (0..<10).map { p in
        Matrix(rows: n, columns: 8, columnMajor: (0..<(n * 8)).map { e in
            let (j, i) = e.quotientAndRemainder(dividingBy: n)
            return Double((i * 7919 + (p * 8 + j) * 104_729) % 1_000_003) / 1_000_003
        })
    }
    let eligible = (0..<n).map { $0 % 50 != 0 }
    let definition = IndexDefinition.mssStatus(indicators: (1...8).map { "I\($0)" })
    result = try time({ try periods.map { try definition.compute(values: $0, eligible: eligible) } },
                      check: { $0.reduce(0) { $0 + sumOfFinite($1.value, absolute: true) } })
case "mss_index":
    let (panel, _) = try panelMatrix(argument)
    let t = panel.periods.count - 1
    let columns = ["S1", "S3", "S4"].map { panel.indicators.firstIndex(of: $0)! }
    let values = Matrix(columns: columns.map { j in (0..<panel.areaCount).map { panel.value(area: $0, indicator: j, period: t) } })
    let population = panel.population![t]
    let eligible = population.map { $0 >= 300 }
    let definition = IndexDefinition.mssStatus(indicators: ["S1", "S3", "S4"])
    result = try time({ try definition.compute(values: values, eligible: eligible) },
                      check: { sumOfFinite($0.value, absolute: true) })
case "pca":
    let (panel, last) = try panelMatrix(argument)
    let rows = (0..<panel.areaCount).filter { i in (0..<last.columns).allSatisfy { !last[i, $0].isNaN } }
    let complete = last.selectingRows(rows)
    result = try time({ try IndicatorDiagnostics(values: complete) }, check: { $0.eigenvalues.reduce(0, +) })
case "ols_trends", "ols_statsmodels":
    // N series × 40 quarters, all complete: one dgels for all of them.
    let series = Int(argument)!, periods = 40
    var y = Matrix(rows: periods, columns: series)
    for s in 0..<series { for t in 0..<periods { y[t, s] = trendValue(s, t) } }
    let times = (0..<periods).map { 2015 + Double($0) / 4 }
    result = try time({ try OLSTrend.fitColumns(times: times, values: y) }, check: { fits in fits.reduce(0) { $0 + ($1?.slope ?? 0) } })
case "mk_sen", "mk_sen_numpy":
    let series = Int(argument)!, periods = 40
    let columns: [[Double]] = (0..<series).map { s in (0..<periods).map { t in trendValue(s, t) } }
    let times = (0..<periods).map(Double.init)
    // In parallel across series, as the runner does.
    result = time({ () -> [Double] in
        parallelMap(series) { s in
            let test = try? MannKendall(columns[s]), sen = try? TheilSen(times: times, values: columns[s])
            return (test?.s ?? .nan) + (sen?.slope ?? .nan)
        }
    }, check: { (values: [Double]) in values.reduce(0, +) })
case "queen":
    let layer = try GeoJSON.read(URL(fileURLWithPath: argument), idProperty: "PLR_ID").layer
    result = time({ SpatialWeights.contiguity(layer) }, check: { $0.s0 })
case "local_moran":
    let layer = try GeoJSON.read(URL(fileURLWithPath: argument), idProperty: "PLR_ID").layer
    let w = SpatialWeights.contiguity(layer).rowStandardized()
    let y = layer.areas.enumerated().map { spatialValue($0.offset, $0.element.centroid) }
    result = try time({ try LocalMoran(y, weights: w, permutations: 999, seed: 1) }, check: { $0.values.reduce(0, +) })
case "read_geojson":
    result = try time({ try GeoJSON.read(URL(fileURLWithPath: argument), idProperty: "PLR_ID").layer },
                      check: { Double($0.areas.count) })
case "ward":
    let x = try clusteringFeatures(try GeoJSON.read(URL(fileURLWithPath: argument), idProperty: "PLR_ID").layer)
    result = try time({ try WardClustering(x).labels(clusterCount: 6) }, check: { withinSumOfSquares(x, $0) })
case "skater", "ward_regions":
    let layer = try GeoJSON.read(URL(fileURLWithPath: argument), idProperty: "PLR_ID").layer
    let queen = SpatialWeights.contiguity(layer)
    let x = try clusteringFeatures(layer)
    if operation == "skater" {
        result = try time({ try Skater(x, weights: queen, regions: 6).labels }, check: { withinSumOfSquares(x, $0) })
    } else {
        result = try time({ try WardClustering(x, connectivity: queen).labels(clusterCount: 6) },
                          check: { withinSumOfSquares(x, $0) })
    }
case "max_p":
    let layer = try GeoJSON.read(URL(fileURLWithPath: argument), idProperty: "PLR_ID").layer
    let queen = SpatialWeights.contiguity(layer)
    let x = try clusteringFeatures(layer)
    let floors = layer.areas.indices.map(floorValue)
    result = try time({ try MaxPRegions(x, weights: queen, floorValues: floors, floor: 20) },
                      check: { regions in quality = regions.heterogeneity; return Double(regions.regionCount) })
case "hotspots", "hotspots_permutations":
    // 24 quarters of a smooth surface with a drift over the generated city's polygons, queen weights, a window
    // of 1 quarter; analytic p-values, or 199 conditional permutations.
    let layer = try GeoJSON.read(URL(fileURLWithPath: argument), idProperty: "PLR_ID").layer
    let queen = SpatialWeights.contiguity(layer)
    let centroids = layer.areas.map(\.centroid)
    let values = (0..<24).map { t in centroids.indices.map { spaceTimeValue($0, t, centroids[$0]) } }
    let permutations = operation == "hotspots" ? 0 : 199
    result = try time({
        try EmergingHotSpots(SpaceTimeGetisOrd(values, weights: queen, timeWindow: 1, permutations: permutations, seed: 1), alpha: 0.05)
    }, check: { hotspots in
        quality = Double(hotspots.areas.filter { $0.category != .noPattern }.count)
        return hotspots.areas.reduce(0) { $0 + $1.tau }
    })
case "local_moran_edges":
    // The neighbour list of `sozmon generate` (both directions), areas in sorted id order as peers.py numbers them.
    let table = try CSVTable(contentsOf: URL(fileURLWithPath: argument))
    let ids = Array(Set(table.rows.flatMap { $0 })).sorted()
    let w = try SpatialWeights.edges(ids: ids, table.rows.map { ($0[0], $0[1], 1.0) }, symmetric: false).rowStandardized()
    let y = ids.indices.map { i in sin(Double(i) / 5000) + cos(Double(i) / 7000) + Double((i * 7919) % 1000) / 2000 }
    result = try time({ try LocalMoran(y, weights: w, permutations: 999, seed: 1) }, check: { $0.values.reduce(0, +) })
case "global_moran_edges":
    // Global Moran's I with 999 permutations on the neighbour list of `sozmon generate`, numbered as above.
    let table = try CSVTable(contentsOf: URL(fileURLWithPath: argument))
    let ids = Array(Set(table.rows.flatMap { $0 })).sorted()
    let w = try SpatialWeights.edges(ids: ids, table.rows.map { ($0[0], $0[1], 1.0) }, symmetric: false).rowStandardized()
    let y = ids.indices.map { i in sin(Double(i) / 5000) + cos(Double(i) / 7000) + Double((i * 7919) % 1000) / 2000 }
    let rows = WeightRows(w)
    result = try time({ try GlobalMoran(MoranSums(y, rows: rows, permutations: 999, seed: 1)) }, check: { $0.i })
case "knn":
    let layer = try GeoJSON.read(URL(fileURLWithPath: argument), idProperty: "PLR_ID").layer
    let ids = layer.areas.map(\.id), centroids = layer.areas.map(\.centroid)
    result = try time({ try SpatialWeights.nearestNeighbours(ids: ids, points: centroids, k: 6) }, check: { $0.s0 })
case "kmeans":
    let x = testMatrix(rows: Int(argument)!, columns: 10)
    // SOZMON_KMEANS_SEED: the seed (both sides take the same number; the draws differ), to compare local optima.
    let seed = UInt64(ProcessInfo.processInfo.environment["SOZMON_KMEANS_SEED"] ?? "1") ?? 1
    result = try time({ try KMeans(x, clusterCount: 8, restarts: 10, seed: seed) }, check: { $0.inertia })
case "locate_pmedian_heuristic", "locate_pmedian_exact", "locate_mclp_heuristic", "locate_mclp_exact":
    // ARGUMENT = "<demand>x<candidates>": the points of Benchmarks/peers/locate.py (R2 sequences in a 30 km square),
    // 10 sites; distances computed inside the timing, as the peer builds its cost matrix inside its own.
    let size = argument.split(separator: "x").compactMap { Int($0) }
    let (demand, candidates, weights) = LocationBenchmark.points(demand: size[0], candidates: size[1])
    let objective: LocationProblem.Objective = operation.contains("mclp") ? .maximalCovering(radius: 1500, sites: 10) : .pMedian(sites: 10)
    result = try time({
        let problem = try LocationProblem(objective, demand: demand, weights: weights, candidates: candidates)
        let solution = operation.hasSuffix("exact") ? try problem.solveExactly() : problem.solveHeuristically()
        quality = solution.gap  // relative distance to the bound (0: proven optimal)
        return solution
    }, check: { $0.objective })
default:
    FileHandle.standardError.write(Data("unknown operation \(operation)\n".utf8))
    exit(64)
}
var json: [String: Any] = ["operation": operation, "argument": argument, "seconds": result.0, "times": result.1,
                           "check": result.2, "blas": BLASThreads.configuration, "threads": BLASThreads.count]
if let quality { json["quality"] = quality }
print(String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self))

/// The generated location problem both sides solve.
enum LocationBenchmark {
    /// R2 low-discrepancy points (Roberts 2018) in a 30 km square; weights 1…1000.
    static func points(demand n: Int, candidates m: Int) -> ([Point], [Point], [Double]) {
        let a = 0.6180339887498949, b = 0.7548776662466927
        func frac(_ v: Double) -> Double { v - v.rounded(.down) }
        let demand = (0..<n).map { i in Point(x: 30000 * frac(Double(i) * a), y: 30000 * frac(Double(i) * b)) }
        let candidates = (0..<m).map { j in Point(x: 30000 * frac(0.5 + Double(j) * a), y: 30000 * frac(0.25 + Double(j) * b)) }
        return (demand, candidates, (0..<n).map { Double(1 + ($0 * 7919) % 1000) })
    }
}
