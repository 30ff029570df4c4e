import AreaData
import Foundation
import Indicators
import LinearAlgebra
import Reporting
import Spatial
import SozmonIO
import Statistics

/// The `[spatial]` and `[clusters]` of the config.
struct SpatialStep: RunStep {
    let context: RunContext

    /// The `[spatial]` and `[clusters]` of the config on the edition's areas, or `nil` when it has neither.
    /// Areas without a value of a variable (e.g. ineligible areas for an index value) are left out of that
    /// variable's statistics, with the links to them.
    /// - Parameter timings: each statistic and clustering method is timed on its own (`run.json`).
    func run(_ inputs: InputSet, edition: Edition, timings: Timings = Timings()) throws -> SpatialReport? {
        guard config.spatial != nil || config.clusters != nil else { return nil }
        let weights = try timings.measure("spatial: weights") {
            try self.weights(config.neighbourWeights.weights, inputs: inputs, ids: edition.areaIDs)
        }
        var warnings = fallbackWarning(hasGeometry: inputs.geometry != nil)
        let variables = try config.spatial.map { try autocorrelation($0, edition: edition, weights: weights, warnings: &warnings, timings: timings) }
        let clusterings = try config.clusters.map { try clusters($0, edition: edition, weights: weights, warnings: &warnings, timings: timings) }
        return SpatialReport(weightsLabel: weightsLabel(hasGeometry: inputs.geometry != nil),
                             alpha: config.spatial?.alpha ?? RunConfig.defaultAlpha, fdr: config.spatial?.fdr ?? true,
                             variables: variables ?? [], clusterings: clusterings ?? [], warnings: warnings, weights: weights)
    }

    /// Global and local Moran's I and local Getis–Ord of each `[spatial]` variable, among the areas with a value.
    func autocorrelation(_ settings: RunConfig.Spatial, edition: Edition, weights: SpatialWeights, warnings: inout [String],
                         timings: Timings) throws -> [SpatialReport.Variable] {
        try settings.variables.map { name in
            let values = try values(of: name, in: edition, section: "[spatial]")
            let present = values.indices.filter { !values[$0].isNaN }
            // The weights of the areas with a value, transformed among them (libpysal: w_subset, then "R"):
            // row-standardising the whole map first would leave rows that no longer sum to 1.
            let among = weights.subset(present)
            if !among.islands.isEmpty {
                warnings.append(Self.islandsWarning(name, count: among.islands.count, examples: among.islands.prefix(5).map { among.ids[$0] }))
            }
            let y = present.map { values[$0] }
            let rows = WeightRows(transformed(among))  // once for the three statistics (as a part run has them: PartSpatial)
            do {
                let global = try timings.measure("spatial: moran \(name)") {
                    try GlobalMoran(MoranSums(y, rows: rows, permutations: settings.permutations, seed: settings.seed))
                }
                let local = try timings.measure("spatial: local moran \(name)") {
                    try LocalMoran(y, rows: rows, permutations: settings.permutations, seed: settings.seed)
                }
                let getisOrd = timings.measure("spatial: getis-ord \(name)") {
                    try? GetisOrd(y, rows: rows.binary(), star: true, rowStandardized: false)  // binary, among the areas with a value
                }
                return SpatialReport.Variable(name: name, areaIDs: present.map { edition.areaIDs[$0] }, global: global,
                                              local: local, getisOrd: getisOrd)
            } catch {
                throw config.error(at: "spatial.variables", "[spatial] \(name): \(error)")
            }
        }
    }

    /// Each `[clusters]` method on the standardised variables of the areas that have them all, then the k-means
    /// quality rows of `compare_k` (without labels).
    func clusters(_ c: RunConfig.Clusters, edition: Edition, weights: SpatialWeights, warnings: inout [String],
                  timings: Timings) throws -> [SpatialReport.Clustering] {
        let ids = edition.areaIDs
        let columns = try c.variables.map { try values(of: $0, in: edition, section: "[clusters]") }
        let floorColumn = try c.maxPFloor.map { floor in
            floor.variable == config.input.population ? edition.population
                : try values(of: floor.variable, in: edition, section: "[clusters] floor_variable")
        }
        let complete = ids.indices.filter { i in columns.allSatisfy { !$0[i].isNaN } && floorColumn.map { !$0[i].isNaN } ?? true }
        var data = Matrix(columns: columns.map { col in complete.map { col[$0] } })
        var clusterings: [SpatialReport.Clustering] = []
        do {
            try data.standardizeColumns()
            let subsetIDs = complete.map { ids[$0] }
            for method in c.methods {
                var labels: [Int] = try timings.measure("clusters: \(method.rawValue)") {
                    switch method {
                    case .kmeans: try KMeans(data, clusterCount: c.k, restarts: c.restarts, seed: c.seed).labels
                    case .ward: try WardClustering(data).labels(clusterCount: c.k)
                    case .skater:
                        try Skater(data, weights: weights.subset(complete), regions: c.k, minimumSize: c.minimumRegionSize).labels
                    case .regions: try WardClustering(data, connectivity: weights.subset(complete)).labels(clusterCount: c.k)
                    case .maxP:
                        // The config reader gives max-p its floor (and the floor column is read above).
                        try MaxPRegions(data, weights: weights.subset(complete), floorValues: complete.map { floorColumn?[$0] ?? .nan },
                                        floor: c.maxPFloor?.minimum ?? .infinity, seed: c.seed).labels
                    }
                }
                // max-p leaves out the areas of parts of the map whose sum stays below the floor (label −1).
                var rows = Array(labels.indices), areaIDs = subsetIDs, subset = data
                if labels.contains(-1), let floor = c.maxPFloor {
                    rows = rows.filter { labels[$0] >= 0 }
                    warnings.append("[clusters] max-p: \(labels.count - rows.count) areas lie in parts of the map whose "
                                    + "\(floor.variable) stays below the floor \(floor.minimum.plainText) and belong to no region "
                                    + "(e.g. \(labels.indices.filter { labels[$0] < 0 }.prefix(3).map { subsetIDs[$0] }.joined(separator: ", ")))")
                    areaIDs = rows.map { subsetIDs[$0] }
                    subset = data.selectingRows(rows)
                    labels = rows.map { labels[$0] }
                }
                let k = method == .maxP ? Set(labels).count : c.k
                clusterings.append(SpatialReport.Clustering(method: method, k: k, areaIDs: areaIDs, labels: labels,
                                                            quality: try? ClusterQuality(subset, labels: labels)))
            }
            if let range = c.compareK {
                for (k, quality) in try KMeans.compare(data, clusterCounts: range, restarts: c.restarts, seed: c.seed) where k != c.k {
                    clusterings.append(SpatialReport.Clustering(method: .kmeans, k: k, areaIDs: [], labels: [], quality: quality))
                }
            }
        } catch {
            throw config.error(at: "clusters", "[clusters]: \(error)")
        }
        return clusterings
    }

    /// The weights among the areas with a value, transformed as `[spatial] transform` asks.
    func transformed(_ among: SpatialWeights) -> SpatialWeights {
        config.neighbourWeights.transform == .binary ? among : among.rowStandardized()
    }

    /// Where the weights asked for need a geometry the run does not have and the neighbour list is used instead.
    func fallbackWarning(hasGeometry: Bool) -> [String] {
        let kind = config.neighbourWeights.weights.kind
        guard kind != .neighbours && !hasGeometry && config.input.neighbours != nil else { return [] }
        return ["[spatial] weights = \"\(kind.rawValue)\" needs input.geometry; the neighbour list input.neighbours was used"]
    }

    static func islandsWarning(_ variable: String, count: Int, examples: [String]) -> String {
        "[spatial] \(variable): \(count) areas have no neighbour among the areas with a value (islands: no spatial lag, "
            + "local statistics 0), e.g. \(examples.joined(separator: ", "))"
    }

    /// The weights of `[spatial]` as `spatial_global.csv` names them, e.g. "queen (row-standardized)", "knn6".
    func weightsLabel(hasGeometry: Bool) -> String {
        let (weights, transform) = config.neighbourWeights
        let used = !hasGeometry && weights.kind != .file ? .neighbourList : weights
        let label = switch used {
        case .nearest(let k): "knn\(k)"
        case .distanceBand(let metres): "distance\(metres)"
        default: used.kind.rawValue
        }
        return label + (transform == .binary ? "" : " (row-standardized)")
    }

    /// Binary weights of `choice` over `ids`, from the geometry (projected to metres) or the neighbour list.
    func weights(_ choice: RunConfig.Weights, inputs: InputSet, ids: [String]) throws -> SpatialWeights {
        if case .file(let path) = choice {
            return try fileWeights(config.url(path), ids: ids)
        }
        if choice == .neighbourList || inputs.geometry == nil {
            guard let path = config.input.neighbours else {
                throw config.error(at: "input", "spatial analyses need input.geometry or input.neighbours")
            }
            // Streamed record by record: the list of a city of 10⁶ areas is ~4·10⁶ pairs (as text rows, 0.4 GB).
            let url = config.url(path)
            let reader = try CSVReader(contentsOf: url)
            guard reader.header.count >= 2 else {
                throw InputError(file: url.path, line: 1, message: "a neighbour list needs the columns area_id, neighbour_id[, weight]")
            }
            let weighted = reader.header.count > 2, parser = NumberParser(dialect: reader.dialect)
            // Each pair once, never an area with itself, weights positive: else it would be counted twice, or a
            // row sum of 0 would make areas with neighbours look like islands.
            // Pairs are checked by area number (hashing two ids per row once, not a joined text of them).
            let number = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            var seen: [Int: Int] = [:], pairs: [(Int, Int, Double)] = []
            try reader.forEachRecord { (record: CSVRecord) throws(InputError) in
                func fail(_ column: Int, _ message: String) -> InputError {
                    InputError(file: url.path, line: record.line, column: column + 1, message: message)
                }
                let (a, b) = (try reader.text(record, 0), try reader.text(record, 1))
                if a == b { throw fail(1, "area \(a) is given as its own neighbour") }
                var w = 1.0
                if weighted {
                    let text = try reader.text(record, 2)
                    guard let cell = parser.parse(text) else {
                        throw parser.error(file: url.path, line: record.line, column: 3, text: text, columnName: reader.header[2])
                    }
                    w = cell.number
                    if !(w > 0 && w.isFinite) { throw fail(2, "weight \(w.plainText) of \(a)–\(b); expected a positive number") }
                }
                guard let i = number[a] else { throw fail(0, "area \(a) is not among the areas of the table") }
                guard let j = number[b] else { throw fail(1, "area \(b) is not among the areas of the table") }
                if let earlier = seen.updateValue(record.line, forKey: i * ids.count + j) {
                    throw fail(1, "the pair \(a)–\(b) is listed again (first on line \(earlier))")
                }
                pairs.append((i, j, w))
            }
            guard !pairs.isEmpty else { throw InputError(file: url.path, line: 1, message: "the table has a header but no neighbour pairs") }
            return SpatialWeights.edges(ids: ids, numbered: pairs)
        }
        let layer = inputs.geometry!.projectedToMetres()
        let byID = Dictionary(layer.areas.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let missing = ids.filter { byID[$0] == nil }
        guard missing.isEmpty else {
            throw InputError(file: config.url(config.input.geometry!).path,
                             message: "\(missing.count) areas of the table have no geometry (e.g. \(missing.prefix(3).joined(separator: ", ")))")
        }
        let ordered = GeometryLayer(coordinateSystem: layer.coordinateSystem, areas: ids.map { byID[$0]! })
        do {
            switch choice {
            case .rook: return SpatialWeights.contiguity(ordered, rook: true)
            case .nearest(let k): return try SpatialWeights.nearestNeighbours(ids: ids, points: ordered.areas.map(\.centroid), k: k)
            case .distanceBand(let metres):
                return try SpatialWeights.distanceBand(ids: ids, points: ordered.areas.map(\.centroid), threshold: metres)
            case .queen, .neighbourList, .file: return SpatialWeights.contiguity(ordered)
            }
        } catch {
            throw config.error(at: "spatial.weights", "[spatial] weights: \(error)")
        }
    }

    /// The weights of a GeoDa `.gal` or `.gwt` file (made in GeoDa or PySAL), over `ids`: every area of the file
    /// must be one of the table's, no area its own neighbour, no link twice; the links are taken as they are
    /// (a k-nearest-neighbour file is not symmetric).
    func fileWeights(_ url: URL, ids: [String]) throws -> SpatialWeights {
        let number = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var pairs: [(Int, Int, Double)] = [], seen: [Int: Int] = [:]
        for link in try GeoDaWeights.read(url) {
            func fail(_ message: String) -> InputError { InputError(file: url.path, line: link.line, message: message) }
            guard let i = number[link.from] else { throw fail("area \(link.from) is not among the areas of the table") }
            guard let j = number[link.to] else { throw fail("area \(link.to) is not among the areas of the table") }
            if i == j { throw fail("area \(link.from) is given as its own neighbour") }
            if let earlier = seen.updateValue(link.line, forKey: i * ids.count + j) {
                throw fail("the link \(link.from)–\(link.to) is listed again (first on line \(earlier))")
            }
            pairs.append((i, j, link.weight))
        }
        return SpatialWeights.edges(ids: ids, numbered: pairs, symmetric: false)
    }
}
