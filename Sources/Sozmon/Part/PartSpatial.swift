import AreaData
import Foundation
import Reporting
import Spatial
import SozmonIO

/// `[spatial]` in a part run: global and local Moran and G* equal to the single run's.
///
/// 1. `split` records in `order.csv` how the parts' areas interleave in the table (runs of `part,areas`), so that
///    the areas can be put in the single run's order; `apply` writes each part's values of the `[spatial]` variables
///    (`values.csv` beside its tables);
/// 2. `gather` (on one machine, like `split`): the values of all areas in the single run's order (`values.csv`, the
///    broadcast every part reads), and the weights of the whole map, built as `sozmon run` builds them, cut into
///    each part's rows with its halo (`part-0001.weights.csv`: the rows of the part's areas and of every area that
///    links to one of them);
/// 3. `spatial` on each part: with every value known and its rows of the weights, the part's local Moran (the
///    permutation table's rows do not depend on its width, so each area draws what it draws in the single run) and
///    G* rows, and its Moran sums (`MoranSums`: s0, s1, s2, Σz·Wz, Σz², Σz⁴, and its share of Σz'·Wz' for each of
///    global Moran's permutations: a permutation of the whole map is keyed (`KeyedPermutation`), so the part evaluates
///    it at the areas its rows touch and no task shuffles all values);
/// 4. `finish`: the sums merged in part order give global Moran with its permutation test; the local rows are put in
///    the single run's order, and the Benjamini–Hochberg q-values are taken over all of them.
extension PartJob {
    static let orderFile = "order.csv"
    static let valuesFile = "values.csv"
    static let spatialFile = "spatial.json"
    static let localFile = "local.csv"
    static let localHeader = ["variable", "area_id", "local_i", "quadrant", "p_sim", "gi_star", "gi_star_z"]

    static func weightsFile(part: Int) -> String { String(format: "part-%04d.weights.csv", part) }

    /// The `[spatial]` variables' values of the edition's areas, in its order (`apply`).
    func writeSpatialValues(_ edition: Edition, to folder: AtomicFolder) throws {
        guard let spatial = config.spatial else { return }
        let columns = try spatial.variables.map { try values(of: $0, in: edition, section: "[spatial]") }
        try folder.writeExchange(Self.valuesFile) { writer in
            try writer.row((["area_id"] + spatial.variables).map { .text($0) })
            for (a, id) in edition.areaIDs.enumerated() {
                try writer.row([.text(id)] + columns.map { .number($0[a]) })
            }
        }
    }

    // MARK: Gather

    /// The values of all areas in the single run's order and each part's rows of the weights with its halo, from the
    /// parts' outputs (`apply`, in part order) and `order.csv` of `split`, into `output` (atomically).
    package func gather(parts: [URL], order: URL, output: URL) throws {
        guard let spatial = config.spatial else {
            throw config.error(at: nil, "gather is for [spatial], which the config does not have")
        }
        // Each part's areas and values, in its order.
        var partIDs: [[String]] = [], partValues: [[[Double]]] = []
        // Every part once, in split's order (order.csv numbers them so); of their files gather reads the values.
        _ = try checkedOutputs(parts) { $0 == Self.valuesFile }
        var sources = ["order": try PartRecords.sha256(order)]
        for (k, part) in parts.enumerated() { sources["part \(k + 1)"] = try PartRecords.sha256(part.appendingPathComponent(PartOutput.file)) }
        let seal = TaskSeal(config: configSHA256, task: "gather", inputs: sources)
        if seal.isDone(in: output) { return }
        for part in parts {
            let url = part.appendingPathComponent(Self.valuesFile)
            let table = try ExchangeTable(url, header: ["area_id"] + spatial.variables, textColumns: [0])
            partIDs.append(table.texts(0))
            partValues.append((1...spatial.variables.count).map { table.numbers($0) })
        }
        // Interleaved as the areas first appear in the table.
        let places = try Interleaving(order, counts: partIDs.map(\.count), parts: parts).places
        let ids = places.map { partIDs[$0.part][$0.index] }, owner = places.map { $0.part + 1 }
        let values = spatial.variables.indices.map { v in places.map { partValues[$0.part][v][$0.index] } }
        partIDs = []; partValues = []
        // The whole map's weights, as sozmon run builds them.
        let step = SpatialStep(context: context)
        let geometry = try config.input.geometry.map { try InputStep(context: context).readGeometry(config.url($0)).layer }
        let inputs = InputSet(panel: .empty, geometry: geometry, warnings: [], previousClasses: nil, crosswalk: nil)
        let w = try step.weights(spatial.weights, inputs: inputs, ids: ids)
        var incoming = [[Int]](repeating: [], count: ids.count)
        for i in 0..<w.count { for j in w.neighbours[i] { incoming[j].append(i) } }
        let folder = try AtomicFolder(output)
        do {
            try folder.writeExchange(Self.valuesFile) { writer in
                try writer.row((["area_id", "part"] + spatial.variables).map { .text($0) })
                for g in ids.indices { try writer.row([.text(ids[g]), .number(Double(owner[g]))] + values.map { .number($0[g]) }) }
            }
            // Each part: its areas' rows and those of the areas linking to them (the halo), in the map's order.
            var members = [[Int]](repeating: [], count: parts.count)
            for g in ids.indices { members[owner[g] - 1].append(g) }
            for (p, own) in members.enumerated() {
                var rows = Set(own)
                for i in own { rows.formUnion(incoming[i]) }
                try folder.writeExchange(Self.weightsFile(part: p + 1)) { writer in
                    try writer.row([.text("area_id"), .text("neighbour_id"), .text("weight")])
                    for i in rows.sorted() {
                        for (j, weight) in zip(w.neighbours[i], w.weights[i]) { try writer.row([.text(ids[i]), .text(ids[j]), .number(weight)]) }
                    }
                }
            }
            try seal.seal(folder)
            try folder.commit()
        } catch {
            folder.discard()
            throw error
        }
    }

    // MARK: Spatial pass

    /// One part's spatial statistics from the gathered folder (`values.csv`, its `part-000K.weights.csv`), into
    /// `output` (atomically): `spatial.json` (each variable's Moran sums and islands) and `local.csv` (its areas' local
    /// Moran and G* rows, in the map's order).
    package func spatial(gathered: URL, part: Int, output: URL) throws {
        guard let spatial = config.spatial else {
            throw config.error(at: nil, "the config has no [spatial]")
        }
        guard part >= 1 else { throw InputError(file: gathered.path, message: "--part \(part): parts are numbered from 1 (part-0001)") }
        let gather = try TaskSeal.read(gathered)
        guard gather.task == "gather", gather.config == configSHA256 else {
            throw InputError(file: gathered.path, message: "was gathered for another config (or the config changed since)")
        }
        let seal = TaskSeal(config: configSHA256, task: "spatial", inputs: ["gathered": try PartRecords.sha256(gathered.appendingPathComponent(TaskSeal.file)),
                                                                             "part": String(part)])
        if seal.isDone(in: output) { return }
        let links = try ExchangeTable(gathered.appendingPathComponent(Self.weightsFile(part: part)),
                                      header: ["area_id", "neighbour_id", "weight"], textColumns: [0, 1])
        let table = try ExchangeTable(gathered.appendingPathComponent(Self.valuesFile), header: ["area_id", "part"] + spatial.variables,
                                      textColumns: [0])
        let ids = table.texts(0), owner = table.numbers(1)
        // Numbers only for the areas of the part's rows (not a dictionary of the whole map in every part).
        let linked = Set(links.texts(0)).union(links.texts(1))
        var index: [String: Int] = [:]
        for (g, id) in ids.enumerated() where linked.contains(id) { index[id] = g }
        let (from, to) = try (numbered(0), numbered(1))
        func numbered(_ column: Int) throws -> [Int] {
            try links.texts(column).enumerated().map { r, id in
                guard let g = index[id] else { throw InputError(file: links.file, line: r + 2, message: "area \(id) is not in values.csv") }
                return g
            }
        }
        let base = links.numbers(2)
        let own = ids.indices.filter { owner[$0] == Double(part) }
        var results: [PartSpatialResult.Variable] = []
        let folder = try AtomicFolder(output)
        do {
            try folder.writeExchange(Self.localFile) { writer in
                try writer.row(Self.localHeader.map { .text($0) })
                for (v, name) in spatial.variables.enumerated() {
                    results.append(try partStatistics(name, values: table.numbers(v + 2), ids: ids, own: own,
                                                      links: (from, to, base), settings: spatial, writer: &writer))
                }
            }
            try folder.write(try PartSpatialResult(part: part, variables: results).json(), to: Self.spatialFile)
            try seal.seal(folder)
            try folder.commit()
        } catch {
            folder.discard()
            throw error
        }
    }

    /// One variable's Moran sums over the part's areas (the whole map's come from adding every part's) and its local
    /// rows, written to `writer`; its islands.
    /// - Parameter links: the part's weight links by area number of `values.csv` (from, to, base weight).
    func partStatistics(_ name: String, values all: [Double], ids: [String], own: [Int],
                        links: (from: [Int], to: [Int], base: [Double]), settings spatial: RunConfig.Spatial,
                        writer: inout ExchangeWriter) throws -> PartSpatialResult.Variable {
        let (from, to, base) = links
        // The areas with a value, numbered among themselves (as the single run's subset of the weights).
        var rank = [Int](repeating: -1, count: all.count), y: [Double] = []
        for g in all.indices where !all[g].isNaN { rank[g] = y.count; y.append(all[g]) }
        guard y.count >= 4 else {
            throw config.error(at: "spatial.variables", "[spatial] \(name): Moran's I needs values in at least 4 areas, got \(y.count)")
        }
        guard y.contains(where: { $0 != y[0] }) else {
            throw config.error(at: "spatial.variables", "[spatial] \(name): Moran's I is undefined for a constant variable")
        }
        // Rows among the areas with a value, transformed among them (libpysal: w_subset, then "R").
        var rowSum: [Int: Double] = [:]
        for k in from.indices where rank[from[k]] >= 0 && rank[to[k]] >= 0 { rowSum[from[k], default: 0] += base[k] }
        func weight(_ k: Int) -> Double { spatial.transform == .binary ? base[k] : base[k] / rowSum[from[k], default: 1] }
        var outgoing: [Int: [WeightRows.Link]] = [:], incoming: [Int: [WeightRows.Link]] = [:]
        for k in from.indices where rank[from[k]] >= 0 && rank[to[k]] >= 0 {
            outgoing[from[k], default: []].append(WeightRows.Link(area: rank[to[k]], weight: weight(k)))
            incoming[to[k], default: []].append(WeightRows.Link(area: rank[from[k]], weight: weight(k)))
        }
        let members = own.filter { rank[$0] >= 0 }
        let rows = WeightRows(areas: members.map { rank[$0] },
                              outgoing: members.map { (outgoing[$0] ?? []).sorted { $0.area < $1.area } },
                              incoming: members.map { (incoming[$0] ?? []).sorted { $0.area < $1.area } })
        do {
            // The part's share of every permutation's cross sum: each permutation is keyed, evaluated at its areas alone.
            let sums = MoranSums(y, rows: rows, permutations: spatial.permutations, seed: spatial.seed)
            let local = try LocalMoran(y, rows: rows, permutations: spatial.permutations, seed: spatial.seed)
            let getisOrd = try? GetisOrd(y, rows: rows.binary(), star: true, rowStandardized: false)
            let islands = members.indices.filter { rows.outgoing[$0].isEmpty }
            for k in members.indices {
                try writer.row([.text(name), .text(ids[members[k]]), .number(local.values[k]), .text(local.quadrants[k].rawValue),
                                .number(local.pValues?[k] ?? .nan), .number(getisOrd?.values[k] ?? .nan),
                                .number(getisOrd?.z[k] ?? .nan)])
            }
            return PartSpatialResult.Variable(name: name, sums: sums, getisOrd: getisOrd != nil,
                                              islands: islands.map { rows.areas[$0] }, islandIDs: islands.map { ids[members[$0]] })
        } catch let error as SpatialError {
            throw config.error(at: "spatial.variables", "[spatial] \(name): \(error)")
        }
    }

    // MARK: Finish

    /// `spatial_global.csv` and `spatial_local.csv` from the parts' spatial outputs (in part order) and the gathered
    /// values, as `sozmon run` writes them; and the run's spatial warnings.
    func spatialTables(parts: [URL], gathered: URL) throws -> (tables: [Table], warnings: [String]) {
        guard let spatial = config.spatial else { return ([], []) }
        let results = try parts.map { try PartSpatialResult.read($0.appendingPathComponent(Self.spatialFile)) }
        let locals = try parts.map { try ExchangeTable($0.appendingPathComponent(Self.localFile), header: Self.localHeader,
                                                       textColumns: [0, 1, 3]) }
        let table = try ExchangeTable(gathered.appendingPathComponent(Self.valuesFile), header: ["area_id", "part"] + spatial.variables,
                                      textColumns: [0])
        let owner = table.numbers(1).map { Int($0) }, ids = table.texts(0)
        let step = SpatialStep(context: context)
        var warnings = step.fallbackWarning(hasGeometry: config.input.geometry != nil)
        var variables: [SpatialReport.Variable] = []
        for (v, name) in spatial.variables.enumerated() {
            let found = try results.map { result in
                guard let found = result.variables.first(where: { $0.name == name }) else {
                    throw config.error(at: nil, "part \(result.part) has no spatial results for \(name)")
                }
                return found
            }
            if let k = found.indices.first(where: { found[$0].sums.seed != found[0].sums.seed || found[$0].sums.permuted.count != found[0].sums.permuted.count }) {
                throw InputError(file: parts[k].appendingPathComponent(Self.spatialFile).path, message: "\(name): made with another seed or "
                                 + "number of permutations than \(parts[0].path) (outputs of part spatial on other configs?)")
            }
            let sums = found.dropFirst().reduce(found[0].sums) { $0.merged(with: $1.sums) }
            // Every area with a value in exactly one part (the seals below check that each part is its own gather's).
            let column = table.numbers(v + 2), present = column.filter { !$0.isNaN }.count
            guard sums.n == present else {
                throw config.error(at: "spatial.variables", "[spatial] \(name): the parts' sums cover \(sums.n) areas, the map "
                                 + "gather saw has \(present) with a value: give finish the outputs of part spatial on the parts gather cut")
            }
            let global: GlobalMoran
            do { global = try GlobalMoran(sums) } catch {
                throw config.error(at: "spatial.variables", "[spatial] \(name): \(error)")
            }
            let (areaIDs, local, getisOrd) = try localRows(name, values: column, ids: ids, owner: owner,
                                                           parts: parts, locals: locals, withGetisOrd: found.allSatisfy(\.getisOrd),
                                                           settings: spatial)
            variables.append(SpatialReport.Variable(name: name, areaIDs: areaIDs, global: global, local: local, getisOrd: getisOrd))
            let islands = zip(found.flatMap(\.islands), found.flatMap(\.islandIDs)).sorted { $0.0 < $1.0 }
            if !islands.isEmpty {
                warnings.append(SpatialStep.islandsWarning(name, count: islands.count, examples: islands.prefix(5).map(\.1)))
            }
        }
        let report = SpatialReport(weightsLabel: step.weightsLabel(hasGeometry: config.input.geometry != nil),
                                   alpha: spatial.alpha, fdr: spatial.fdr, variables: variables, clusterings: [])
        // Every part's output made from this gather for its own number, and unchanged since.
        let gatheredSeal = try PartRecords.sha256(gathered.appendingPathComponent(TaskSeal.file))
        for (k, part) in parts.enumerated() {
            let seal = TaskSeal(config: configSHA256, task: "spatial", inputs: ["gathered": gatheredSeal, "part": String(k + 1)])
            guard seal.isDone(in: part) else {
                throw InputError(file: part.path, message: "is not the output of sozmon part spatial --part \(k + 1) on "
                                 + "\(gathered.path) as it wrote it (another gather, another part, or a file changed since)")
            }
        }
        return (try report.tables(), warnings)
    }

    /// A variable's local rows in the map's order from the parts' `local.csv`: each area with a value takes the next
    /// row of its part (checked by id).
    func localRows(_ name: String, values column: [Double], ids: [String], owner: [Int], parts: [URL], locals: [ExchangeTable],
                   withGetisOrd: Bool, settings spatial: RunConfig.Spatial) throws -> (areaIDs: [String], local: LocalMoran, getisOrd: GetisOrd?) {
        let rowsOf = locals.map { local in let names = local.texts(0); return names.indices.filter { names[$0] == name } }
        let areaOf = locals.map { $0.texts(1) }, quadrantOf = locals.map { $0.texts(3) }
        let numbersOf = locals.map { local in [2, 4, 5, 6].map { local.numbers($0) } }  // local_i, p_sim, gi_star, gi_star_z
        var next = [Int](repeating: 0, count: parts.count)
        var areaIDs: [String] = [], values: [Double] = [], quadrants: [LocalMoran.Quadrant] = []
        var p: [Double] = [], g: [Double] = [], gz: [Double] = []
        for a in column.indices where !column[a].isNaN {
            let part = owner[a] - 1
            guard next[part] < rowsOf[part].count else {
                throw InputError(file: parts[part].path, message: "\(Self.localFile) lacks the row of area \(ids[a]) for \(name)")
            }
            let r = rowsOf[part][next[part]], numbers = numbersOf[part]
            next[part] += 1
            guard areaOf[part][r] == ids[a], let quadrant = LocalMoran.Quadrant(rawValue: quadrantOf[part][r]) else {
                throw InputError(file: locals[part].file, line: r + 2, message: "expected the row of area \(ids[a]) for \(name)")
            }
            areaIDs.append(ids[a]); values.append(numbers[0][r]); quadrants.append(quadrant)
            p.append(numbers[1][r]); g.append(numbers[2][r]); gz.append(numbers[3][r])
        }
        let local = LocalMoran(values: values, quadrants: quadrants, pValues: spatial.permutations > 0 ? p : nil,
                               permutations: spatial.permutations, seed: spatial.seed)
        return (areaIDs, local, withGetisOrd ? GetisOrd(values: g, z: gz, star: true) : nil)
    }
}

/// One part's spatial results (`spatial.json`): per variable its Moran sums, whether G* was defined, and its islands
/// (numbered among the areas with a value, and by id).
struct PartSpatialResult: Codable {
    struct Variable: Codable {
        var name: String
        var sums: MoranSums
        var getisOrd: Bool
        var islands: [Int]
        var islandIDs: [String]
    }

    var part: Int
    var variables: [Variable]

    static func read(_ url: URL) throws -> PartSpatialResult {
        guard let data = try? Data(contentsOf: url) else { throw InputError(file: url.path, message: "is missing (the output of sozmon part spatial)") }
        do { return try JSONDecoder().decode(PartSpatialResult.self, from: data) } catch {
            throw InputError(file: url.path, message: "is not the output of sozmon part spatial: \(error)")
        }
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
