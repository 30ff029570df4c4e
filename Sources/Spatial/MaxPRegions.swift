import Foundation
import LinearAlgebra
import Statistics

/// max-p regions (Duque, Anselin & Rey 2012): the largest number of contiguous regions whose sum of a floor variable
/// (e.g. population) reaches `floor`, and among partitions with that many regions one of low heterogeneity
///
///     H = Σ_regions Σ_{i<j in the region} Σ_k |x_ik − x_jk|     (city-block distances, as spopt's MaxPHeuristic)
///
/// The heuristic of Wei, Rey & Knaap (2020), as spopt's `MaxPHeuristic`:
/// 1. **Growth**, `iterations` times from a shuffled order of the areas (iteration r from stream r of the seed): each
///    area not yet taken seeds a region, which takes its untaken neighbours breadth-first until its floor sum is
///    reached; a region that cannot reach the floor leaves its areas as enclaves. The orders giving the most regions
///    are kept. Each enclave then joins the neighbouring region to whose areas it is closest (sum of distances).
/// 2. **Local search** from the best of them (lowest H, at most `candidates`): simulated annealing over moves of one
///    border area to the neighbouring region it is closest to (spopt's: temperature 1 cooled by 0.998 per step, a
///    tabu list of 10 reversed moves, stopping after n steps without improvement), keeping the best partition seen,
///    then passes of descent until no single move lowers H. A move keeps the donor contiguous and above the floor.
///
/// Differences from spopt: the best partition of the annealing is kept (spopt keeps the last), the search ends in a
/// local minimum, enclaves join their closest region (spopt draws among the two closest), and candidates are
/// searched in parallel with their own random streams, so results do not depend on the number of threads.
/// Components of the weights whose floor sum is below the floor cannot form a region: their areas are labelled −1.
public struct MaxPRegions: Sendable {
    /// Region of each area, numbered 0… by the first area in input order; −1 for areas of a component below the floor.
    public let labels: [Int]
    public let regionCount: Int
    /// H of the labels.
    public let heterogeneity: Double

    /// - Parameters:
    ///   - data: one row per area (the attributes compared; standardise them first where their units differ).
    ///   - floorValues: the floor variable, ≥ 0 per area.
    /// - Throws: `SpatialError` for missing values, negative floor values, a floor ≤ 0, or no region at all.
    public init(_ data: Matrix, weights: SpatialWeights, floorValues: [Double], floor: Double, iterations: Int = 1000,
                candidates: Int = 8, annealings: Int = 10, seed: UInt64 = 1) throws(SpatialError) {
        let n = data.rows, p = data.columns
        guard weights.count == n, floorValues.count == n else {
            throw .invalidParameter(name: "weights", value: "\(weights.count) areas, \(floorValues.count) floor values",
                                    expected: "one per row (\(n))")
        }
        guard data.isFinite else { throw .degenerate("max-p needs complete data (no missing values)") }
        guard floorValues.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw .degenerate("max-p needs a floor variable with a value ≥ 0 in every area")
        }
        guard floor > 0 && floor.isFinite else { throw .invalidParameter(name: "floor", value: "\(floor)", expected: "a number > 0") }
        guard iterations >= 1 && candidates >= 1 && annealings >= 1 else {
            throw .invalidParameter(name: "iterations", value: "\(iterations)", expected: "at least 1")
        }
        let problem = Problem(x: (0..<n).flatMap { data.row($0) }, p: p, neighbours: weights.neighbours, floorValues: floorValues,
                              floor: floor)
        let grown = parallelMap(iterations) { r in
            var generator = RandomStream(seed: seed, stream: UInt64(r))
            return problem.grow(&generator)
        }
        let most = grown.map(\.regions).max() ?? 0
        guard most > 0 else {
            throw .degenerate("max-p: no region reaches the floor \(floor) (the floor variable sums to "
                              + "\(floorValues.reduce(0, +)) over all areas)")
        }
        // The partitions with the most regions, enclaves assigned, the lowest H first (iteration order breaks ties).
        var best: [(labels: [Int], h: Double, r: Int)] = []
        for (r, g) in grown.enumerated() where g.regions == most {
            let labels = problem.assignEnclaves(g.labels)
            best.append((labels, problem.heterogeneity(labels), r))
        }
        best.sort { ($0.h, $0.r) < ($1.h, $1.r) }
        let starts = Array(best.prefix(candidates))
        let searched = parallelMap(starts.count * annealings) { k in
            let start = starts[k / annealings]
            var generator = RandomStream(seed: seed, stream: UInt64(iterations + start.r * annealings + k % annealings))
            let labels = problem.descend(problem.anneal(start.labels, &generator))
            return (labels: labels, h: problem.heterogeneity(labels))
        }
        let chosen = searched.indices.min { (searched[$0].h, $0) < (searched[$1].h, $1) }!
        // Regions renumbered by their first area.
        var number: [Int: Int] = [:]
        labels = searched[chosen].labels.map { label in
            guard label >= 0 else { return -1 }
            if let known = number[label] { return known }
            number[label] = number.count
            return number.count - 1
        }
        regionCount = number.count
        heterogeneity = searched[chosen].h
    }

    /// The data of one problem and the steps of the heuristic on it.
    struct Problem: Sendable {
        let x: [Double]  // row-major n × p
        let p: Int
        let neighbours: [[Int]]
        let floorValues: [Double]
        let floor: Double
        var n: Int { neighbours.count }

        /// Σ_k |x_ik − x_jk|.
        func distance(_ i: Int, _ j: Int) -> Double {
            var d = 0.0
            for k in 0..<p { d += abs(x[i * p + k] - x[j * p + k]) }
            return d
        }

        func distance(_ i: Int, to members: [Int]) -> Double { members.reduce(0) { $0 + distance(i, $1) } }

        func heterogeneity(_ labels: [Int]) -> Double {
            var groups: [Int: [Int]] = [:]
            for (i, label) in labels.enumerated() where label >= 0 { groups[label, default: []].append(i) }
            var h = 0.0
            for label in groups.keys.sorted() {
                let members = groups[label]!
                for a in members.indices { for b in (a + 1)..<members.count { h += distance(members[a], members[b]) } }
            }
            return h
        }

        /// One growth phase: labels (−1 unassigned or enclave) and the number of regions.
        func grow(_ generator: inout RandomStream) -> (labels: [Int], regions: Int) {
            var order = Array(0..<n)
            generator.shuffle(&order)
            let untaken = -1, enclave = -2
            var labels = [Int](repeating: untaken, count: n), regions = 0
            var queue: [Int] = [], queued = [Bool](repeating: false, count: n)
            for seed in order where labels[seed] == untaken {
                var members = [seed], total = floorValues[seed]
                labels[seed] = regions
                queue.removeAll(keepingCapacity: true)
                for j in neighbours[seed] where !queued[j] { queued[j] = true; queue.append(j) }
                var head = 0
                while total < floor && head < queue.count {
                    let j = queue[head]
                    head += 1
                    guard labels[j] == untaken else { continue }
                    labels[j] = regions
                    members.append(j)
                    total += floorValues[j]
                    if total < floor {
                        for k in neighbours[j] where !queued[k] { queued[k] = true; queue.append(k) }
                    }
                }
                for j in queue { queued[j] = false }
                if total >= floor { regions += 1 } else { for j in members { labels[j] = enclave } }
            }
            return (labels.map { $0 < 0 ? -1 : $0 }, regions)
        }

        /// Each enclave joins the neighbouring region closest to it (sum of distances to its areas), enclaves next to
        /// a region first, until none is left that touches one (those of components below the floor stay −1).
        func assignEnclaves(_ start: [Int]) -> [Int] {
            var labels = start
            var members: [Int: [Int]] = [:]
            for (i, label) in labels.enumerated() where label >= 0 { members[label, default: []].append(i) }
            var waiting = labels.indices.filter { labels[$0] < 0 }
            while !waiting.isEmpty {
                var still: [Int] = []
                var changed = false
                for e in waiting {
                    let around = Set(neighbours[e].map { labels[$0] }.filter { $0 >= 0 }).sorted()
                    guard let target = around.min(by: { (distance(e, to: members[$0]!), $0) < (distance(e, to: members[$1]!), $1) })
                    else { still.append(e); continue }
                    labels[e] = target
                    members[target]!.append(e)
                    changed = true
                }
                if !changed { break }
                waiting = still
            }
            return labels
        }

        /// The partition as the local search keeps it.
        struct State {
            var labels: [Int]
            var members: [[Int]]
            var totals: [Double]

            init(_ labels: [Int], floorValues: [Double]) {
                self.labels = labels
                let count = (labels.max() ?? -1) + 1
                members = Array(repeating: [], count: count)
                totals = Array(repeating: 0, count: count)
                for (i, label) in labels.enumerated() where label >= 0 {
                    members[label].append(i)
                    totals[label] += floorValues[i]
                }
            }

            mutating func move(_ a: Int, to recipient: Int, floorValue: Double) {
                let donor = labels[a]
                members[donor].remove(at: members[donor].firstIndex(of: a)!)
                members[recipient].append(a)
                totals[donor] -= floorValue
                totals[recipient] += floorValue
                labels[a] = recipient
            }
        }

        /// The best move of area a (to the neighbouring region it is closest to) with its change of H, if a may
        /// leave its region (floor kept, region still contiguous).
        func bestMove(_ a: Int, in state: State) -> (recipient: Int, change: Double)? {
            let donor = state.labels[a]
            guard donor >= 0, state.members[donor].count > 1, state.totals[donor] - floorValues[a] >= floor else { return nil }
            let around = Set(neighbours[a].map { state.labels[$0] }.filter { $0 >= 0 && $0 != donor }).sorted()
            guard !around.isEmpty, staysContiguous(without: a, region: state.members[donor], labels: state.labels) else { return nil }
            let lost = distance(a, to: state.members[donor])
            var best: (recipient: Int, change: Double)?
            for r in around {
                let change = distance(a, to: state.members[r]) - lost
                if best == nil || change < best!.change { best = (r, change) }
            }
            return best
        }

        /// Whether `region` without area a is still connected through the neighbours.
        func staysContiguous(without a: Int, region: [Int], labels: [Int]) -> Bool {
            let label = labels[a]
            guard let start = region.first(where: { $0 != a }) else { return false }
            var seen: Set<Int> = [a, start], stack = [start]
            while let i = stack.popLast() {
                for j in neighbours[i] where labels[j] == label && seen.insert(j).inserted { stack.append(j) }
            }
            return seen.count == region.count
        }

        /// Simulated annealing as spopt's `_perform_sa`, returning the best partition it saw.
        func anneal(_ start: [Int], _ generator: inout RandomStream) -> [Int] {
            var state = State(start, floorValues: floorValues)
            var h = heterogeneity(start), bestH = h, best = start
            var temperature = 1.0, idle = 0
            var tabu: [(area: Int, from: Int, to: Int)] = []
            var pool: [Int] = []
            while idle <= n {
                if pool.isEmpty {
                    pool = (0..<n).filter { bestMove($0, in: state) != nil }
                    if pool.isEmpty { break }
                }
                let a = pool.remove(at: generator.integer(below: pool.count))
                guard let (recipient, change) = bestMove(a, in: state) else { continue }
                let donor = state.labels[a]
                var moving = false
                if change < -1e-9 {  // an improvement beyond rounding (moves to and fro by ±ε would never end)
                    moving = true
                    if !tabu.contains(where: { $0 == (a, recipient, donor) }) {
                        if tabu.count == 10 { tabu.removeFirst() }
                        tabu.append((a, recipient, donor))
                    }
                    idle = 0
                } else {
                    idle += 1
                    moving = exp(-change / temperature) > generator.uniform() && !tabu.contains(where: { $0 == (a, donor, recipient) })
                }
                if moving {
                    state.move(a, to: recipient, floorValue: floorValues[a])
                    h += change
                    pool.removeAll { state.labels[$0] == recipient || state.labels[$0] == donor }
                    if h < bestH - 1e-12 * abs(bestH) {
                        bestH = h
                        best = state.labels
                    }
                }
                temperature *= 0.998
            }
            return best
        }

        /// Descent: passes over the areas in order, each making every move that lowers H, until a pass makes none.
        func descend(_ start: [Int]) -> [Int] {
            var state = State(start, floorValues: floorValues)
            var moved = true
            while moved {
                moved = false
                for a in 0..<n {
                    guard let (recipient, change) = bestMove(a, in: state), change < -1e-9 else { continue }
                    state.move(a, to: recipient, floorValue: floorValues[a])
                    moved = true
                }
            }
            return state.labels
        }
    }
}
