import AreaData
import Foundation
import Indicators
import LocationAllocation
import Reporting
import SozmonIO

extension PlanningStep {
    /// Problems up to this size (demand areas × candidates) are solved exactly under `method = "auto"`; the p-median
    /// has that many assignment variables (GLPK needs 15 s for 400 × 100 generated points, spopt's CBC 23 s), the
    /// covering problems far fewer non-zero terms.
    static let exactSize = (pMedian: 50_000, covering: 4_000_000)

    /// `[locate]`: the demand (areas of high need, or all, with their target population as weight, times an
    /// indicator where asked), the candidates, the existing facilities of the type as fixed sites; the solution.
    func location() throws -> LocationReport? {
        guard let l = config.locate else { return nil }
        guard let layer = inputs.geometry?.projectedToMetres(), case .epsg = layer.coordinateSystem else {
            throw config.error(at: "locate", "[locate] needs input.geometry in a system with metres (the areas' centroids)")
        }
        let centroids = supply.centroids(layer, edition: edition)
        let member = try unitMembers(l.within)
        let (demand, weights) = try demandAreas(l, centroids: centroids, member: member)
        let existing = statusQuo.facilities.indices.compactMap { k -> LocationReport.Site? in
            let f = statusQuo.facilities[k]
            guard f.type == l.type, let point = statusQuo.points[k] ?? f.area.map({ centroids[$0] }), point.x.isFinite else { return nil }
            return LocationReport.Site(id: f.id, areaID: f.area.map { edition.areaIDs[$0] }, point: point, isNew: false)
        }
        let candidates = try candidateSites(l, centroids: centroids, member: member)
        guard !candidates.isEmpty else {
            throw config.error(at: "locate.candidates", "[locate] has no candidate site\(l.within.map { " in \($0)" } ?? "")")
        }
        let all = existing + candidates
        let objective: LocationProblem.Objective
        switch l.kind {
        case .maximalCovering: objective = .maximalCovering(radius: l.radius!, sites: l.sites!)
        case .pMedian: objective = .pMedian(sites: l.sites!)
        case .setCovering: objective = .setCovering(radius: l.radius!)
        }
        let problem: LocationProblem
        do {
            problem = try LocationProblem(objective, demand: demand.map { centroids[$0] }, weights: weights,
                                          candidates: all.map(\.point), fixed: Array(existing.indices))
        } catch .uncoverable(let points) {
            throw config.error(at: "locate.radius", "no candidate lies within \(l.radius!.plainText) m of "
                             + points.prefix(10).map { edition.areaIDs[demand[$0]] }.joined(separator: ", ")
                             + (points.count > 10 ? " and \(points.count - 10) more areas" : "")
                             + ": set covering cannot cover them; raise the radius or add candidates")
        } catch .tooFewCandidates(let asked, let available) {
            throw config.error(at: "locate.sites", "locate.sites is \(asked), but there are \(available) candidate sites")
        } catch .tooLarge(let pairs) {
            throw config.error(at: "locate", "[locate] has \(demand.count) demand areas × \(all.count) sites (\(pairs) pairs); at "
                             + "most \(LocationProblem.maximumPairs): restrict it with locate.within or fewer candidates")
        } catch { throw config.error(at: "locate", "[locate]: \(error)") }
        let size = demand.count * all.count
        let exact = l.method == .exact
            || (l.method == .auto && size <= (l.kind == .pMedian ? Self.exactSize.pMedian : Self.exactSize.covering))
        let solution = exact ? try problem.solveExactly(timeLimit: l.timeLimit) : problem.solveHeuristically()
        let open = solution.open
        let site = Dictionary(uniqueKeysWithValues: open.enumerated().map { ($1, $0) })
        func served(_ assignment: [Int?]) -> [(site: Int, distance: Double)?] {
            assignment.enumerated().map { i, j in j.map { (site[$0]!, problem.distance(demand: i, candidate: $0)) } }
        }
        let before = problem.fixed.isEmpty ? demand.map { _ in nil } : served(problem.assignment(open: problem.fixed))
        // The existing sites listed are those that serve some demand area (the others stay open, far away).
        let after = served(problem.assignment(open: open))
        let serving = Set((before + after).compactMap { $0?.site })
        let listed = open.indices.filter { !problem.fixed.contains(open[$0]) || serving.contains($0) }
        let position = Dictionary(uniqueKeysWithValues: listed.enumerated().map { ($1, $0) })
        func relisted(_ assignment: [(site: Int, distance: Double)?]) -> [(site: Int, distance: Double)?] {
            assignment.map { $0.map { (position[$0.site]!, $0.distance) } }
        }
        return LocationReport(problem: l.kind.rawValue, method: solution.method.rawValue, proven: solution.proven,
                              objective: solution.objective, bound: solution.bound, gap: solution.gap, radius: l.radius,
                              sites: listed.map { all[open[$0]] }, demandIDs: demand.map { edition.areaIDs[$0] },
                              weights: weights, before: relisted(before), after: relisted(after))
    }

    /// The demand areas (in the unit, of high need or all, with a target population and weight) and their weights:
    /// the target population, times the weight indicator where given.
    func demandAreas(_ l: RunConfig.Locate, centroids: [Point], member: (Int) -> Bool) throws -> (areas: [Int], weights: [Double]) {
        let factor = try l.weightIndicator.map { name -> [Double] in
            guard let j = edition.indicatorNames.firstIndex(of: name) else {
                throw config.error(at: "locate.weight_indicator", "locate.weight_indicator names \(name); the table has "
                                 + edition.indicatorNames.joined(separator: ", "))
            }
            // A share in per cent (its unit in [indicators]) counts people: target × share / 100.
            let scale = config.indicators[name]?.entry.unit == "%" ? 0.01 : 1
            return edition.areaIDs.indices.map { scale * edition.indicatorValues[$0, j] }
        }
        let threshold = config.report.disclosureThreshold
        // Areas of small population are left out (their count would follow from the demand published), as are areas
        // without a target population, weight or centroid.
        let demand = edition.areaIDs.indices.filter { i in
            member(i) && (l.demand == .all || highNeed[i]) && target[i] > 0 && target[i].isFinite
                && !SuppressionPattern.isSmall(edition.population[i], threshold: threshold)
                && !SuppressionPattern.isSmall(target[i], threshold: threshold)
                && (factor.map { $0[i].isFinite && $0[i] >= 0 } ?? true) && centroids[i].x.isFinite
        }
        guard !demand.isEmpty else {
            throw config.error(at: "locate", "[locate] finds no demand: no area\(l.within.map { " in \($0)" } ?? "") has "
                             + (l.demand == .highNeed ? "high need and " : "") + "a target population"
                             + (l.weightIndicator.map { " and a value of \($0)" } ?? ""))
        }
        return (demand, demand.map { i in target[i] * (factor?[i] ?? 1) })
    }

    /// Per area, whether it lies in unit `within` (of any level, or is that area); every area without it.
    func unitMembers(_ within: String?) throws -> (Int) -> Bool {
        guard let within else { return { _ in true } }
        let member = edition.areaIDs.indices.map { edition.parents[$0].contains(within) || edition.areaIDs[$0] == within }
        guard member.contains(true) else {
            throw config.error(at: "locate.within", "locate.within is \(within), which is no unit of "
                             + (edition.levelNames.isEmpty ? "the areas" : edition.levelNames.joined(separator: ", ")))
        }
        return { member[$0] }
    }

    /// The candidate sites: the points of `locate.candidates` (columns `id`, `x`, `y` in `supply.crs`) or every
    /// area's centroid, in the unit `within`.
    func candidateSites(_ l: RunConfig.Locate, centroids: [Point], member: (Int) -> Bool) throws -> [LocationReport.Site] {
        guard let file = l.candidates else {
            return edition.areaIDs.indices.filter { member($0) && centroids[$0].x.isFinite }.map {
                LocationReport.Site(id: edition.areaIDs[$0], areaID: edition.areaIDs[$0], point: centroids[$0], isNew: true)
            }
        }
        let url = config.url(file)
        let table = try readTable(url, dialect: RunConfig.DialectOverride(), requiringRows: "candidate sites")
        let idColumn = try table.columnIndex("id")
        let xs = try table.numericColumn("x"), ys = try table.numericColumn("y")
        guard let placer = try supply.placer(config.supply!, inputs: inputs, edition: edition, key: "locate.candidates") else {
            throw config.error(at: "locate.candidates", "the geometry has no EPSG system to place the candidates in")
        }
        var seen: [String: Int] = [:], sites: [LocationReport.Site] = []
        for (k, row) in table.rows.enumerated() {
            if let earlier = seen.updateValue(table.lines[k], forKey: row[idColumn]) {
                throw InputError(file: url.path, line: table.lines[k], column: idColumn + 1,
                                 message: "candidate id '\(row[idColumn])' is used again (first on line \(earlier))")
            }
            guard case .value(let x) = xs[k], case .value(let y) = ys[k], x.isFinite, y.isFinite else {
                throw InputError(file: url.path, line: table.lines[k], message: "candidate \(row[idColumn]) has no coordinates (x, y)")
            }
            let (point, area) = placer.place(Point(x: x, y: y))
            guard l.within == nil || area.map(member) == true else { continue }
            sites.append(.init(id: row[idColumn], areaID: area.map { edition.areaIDs[$0] }, point: point, isNew: true))
        }
        return sites
    }
}
