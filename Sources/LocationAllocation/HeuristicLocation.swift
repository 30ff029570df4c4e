import LinearAlgebra

extension LocationProblem {
    /// A fast solution for sizes beyond the exact solver, with a bound that says how far from optimal it can be.
    ///
    /// Sites: greedy (each step the site that improves the objective most; ties: the lower index), then vertex
    /// substitution (Teitz & Bart 1968): swap an open site for a closed one while that improves the objective, each
    /// candidate evaluated for all open sites at once by its gain and the per-site loss (Whitaker 1983's fast
    /// interchange); set covering: greedy (Chvátal 1979) with redundant sites dropped. Bound: Lagrangian relaxation
    /// (of the coverage rows, the assignment rows, the covering rows) by subgradient steps (Held, Wolfe & Crowder
    /// 1974; Beasley 1993); every iterate is a valid bound, and the best tends to the linear relaxation's optimum.
    public func solveHeuristically(iterations: Int = 300) -> LocationSolution {
        let open: [Int], bound: Double
        switch objective {
        case .maximalCovering(let radius, let sites):
            let cover = coverage(radius: radius)
            let greedy = maximalCoveringSites(cover, sites: sites)
            let relaxation: [Int]
            (bound, relaxation) = coveringBound(cover, sites: sites, best: value(open: greedy), iterations: iterations)
            open = better(greedy, maximalCoveringSites(cover, sites: sites, start: relaxation))
        case .pMedian(let sites):
            let greedy = medianSites(sites: sites)
            let relaxation: [Int]
            (bound, relaxation) = medianBound(sites: sites, open: greedy, iterations: iterations)
            open = better(greedy, medianSites(sites: sites, start: relaxation))
        case .setCovering(let radius):
            let cover = coverage(radius: radius)
            (open, bound) = setCovering(cover, iterations: iterations)
        }
        return solution(.heuristic, open: open, bound: bound)
    }

    /// The solution of the open sites with a bound: proven optimal where the bound meets the objective (to 1e-9).
    func solution(_ method: LocationSolution.Method, open: [Int], bound: Double) -> LocationSolution {
        let value = value(open: open)
        let proven = maximises ? bound <= value + 1e-9 * max(1, abs(value)) : bound >= value - 1e-9 * max(1, abs(value))
        return LocationSolution(method: method, open: open, chosen: open.filter { !fixed.contains($0) },
                                objective: value, bound: proven ? value : bound, proven: proven)
    }

    /// The better of two site sets (ties: the first).
    func better(_ a: [Int], _ b: [Int]) -> [Int] {
        let (x, y) = (value(open: a), value(open: b))
        return (maximises ? y > x : y < x) ? b : a
    }

    // MARK: maximal covering

    /// From `start` (the sites the Lagrangian relaxation opened, or none), greedy to `sites` sites, then vertex
    /// substitution, on the number of open sites covering each demand point.
    func maximalCoveringSites(_ cover: [[Int]], sites: Int, start: [Int] = []) -> [Int] {
        var isOpen = [Bool](repeating: false, count: candidateCount), count = [Int](repeating: 0, count: weights.count)
        func open(_ j: Int) { isOpen[j] = true; for i in cover[j] { count[i] += 1 } }
        func close(_ j: Int) { isOpen[j] = false; for i in cover[j] { count[i] -= 1 } }
        func gain(_ j: Int) -> Double { cover[j].reduce(0) { count[$1] == 0 ? $0 + weights[$1] : $0 } }
        for j in fixed { open(j) }
        var chosen = Array(start.prefix(sites))
        for j in chosen { open(j) }
        for _ in chosen.count..<sites {
            guard let best = bestCandidate(isOpen, score: gain) else { break }
            open(best); chosen.append(best)
        }
        let tolerance = 1e-12 * max(1, weights.reduce(0, +))
        var improved = true
        while improved {
            improved = false
            for (k, r) in chosen.enumerated() {
                close(r)
                let loss = gain(r)
                if let best = bestCandidate(isOpen, score: gain), best != r, gain(best) > loss + tolerance {
                    open(best); chosen[k] = best; improved = true
                } else { open(r) }
            }
        }
        return (0..<candidateCount).filter { isOpen[$0] }
    }

    /// The closed candidate with the highest score (ties: the lower index).
    func bestCandidate(_ isOpen: [Bool], score: (Int) -> Double) -> Int? {
        var best: (j: Int, score: Double)?
        for j in 0..<candidateCount where !isOpen[j] {
            let s = score(j)
            if best == nil || s > best!.score { best = (j, s) }
        }
        return best?.j
    }

    /// max Σ wᵢzᵢ relaxed by μᵢ ≥ 0 on zᵢ ≤ Σⱼ aᵢⱼyⱼ: L(μ) = Σᵢ max(0, wᵢ − μᵢ) + the P largest cⱼ = Σ_{i covered by j} μᵢ
    /// (fixed sites always among them), an upper bound for every μ.
    /// Also returns the non-fixed sites the relaxation opened at its best bound.
    func coveringBound(_ cover: [[Int]], sites: Int, best: Double, iterations: Int) -> (bound: Double, open: [Int]) {
        let n = weights.count
        var mu = weights.map { $0 / 2 }
        var schedule = SubgradientSchedule(upper: true), relaxation: [Int] = []
        for _ in 0..<iterations {
            let c = cover.map { $0.reduce(0) { $0 + mu[$1] } }
            let chosen = largest(c, count: sites), open = fixed + chosen
            var value = open.reduce(0) { $0 + c[$1] }
            var gradient = [Double](repeating: 0, count: n)
            for i in 0..<n where weights[i] > mu[i] { value += weights[i] - mu[i]; gradient[i] = -1 }
            for j in open { for i in cover[j] { gradient[i] += 1 } }
            if schedule.record(value) { relaxation = chosen }
            let norm = gradient.reduce(0) { $0 + $1 * $1 }
            guard schedule.best - best > 1e-9 * max(1, abs(best)), norm > 0,
                  let t = schedule.step(from: value, towards: best, norm: norm) else { break }
            for i in 0..<n { mu[i] = max(0, mu[i] - t * gradient[i]) }
        }
        return (schedule.best, relaxation)
    }

    /// The `count` non-fixed candidates with the largest values (ties: the lower index).
    func largest(_ values: [Double], count: Int) -> [Int] {
        let fixedSet = Set(fixed)
        let free = (0..<candidateCount).filter { !fixedSet.contains($0) }
        return Array(free.sorted { (values[$0], -$0) > (values[$1], -$1) }.prefix(count))
    }

    // MARK: p-median

    /// From `start` (the relaxation's sites, or none), greedy addition to `sites` sites, then the fast interchange.
    func medianSites(sites: Int, start: [Int] = []) -> [Int] {
        let n = weights.count
        var isOpen = [Bool](repeating: false, count: candidateCount)
        var nearest = [Double](repeating: .infinity, count: n)
        func open(_ j: Int) {
            isOpen[j] = true
            for i in 0..<n { nearest[i] = min(nearest[i], distances[j * n + i]) }
        }
        for j in fixed { open(j) }
        let begun = Array(start.prefix(sites))
        for j in begun { open(j) }
        for _ in begun.count..<sites {
            // The saving of opening j: Σ wᵢ max(0, nearestᵢ − dᵢⱼ) (with nothing open, −Σ wᵢdᵢⱼ orders the same).
            guard let best = bestCandidate(isOpen, score: { j in
                var saving = 0.0
                for i in 0..<n {
                    let d = self.distances[j * n + i]
                    saving += nearest[i].isInfinite ? -self.weights[i] * d : self.weights[i] * max(0, nearest[i] - d)
                }
                return saving
            }) else { break }
            open(best)
        }
        return interchange(isOpen)
    }

    /// Teitz–Bart vertex substitution with Whitaker's gain and loss: for a candidate k, the gain of opening it is
    /// Σ wᵢ max(0, d1ᵢ − dᵢₖ); closing open site r then costs Σ over the points r serves (and k does not serve better)
    /// of wᵢ(min(d2ᵢ, dᵢₖ) − d1ᵢ), d1 and d2 the nearest and second-nearest open distances. Best r per k; first
    /// improving swap taken; until none improves.
    func interchange(_ isOpenAtStart: [Bool]) -> [Int] {
        let n = weights.count, m = candidateCount
        var isOpen = isOpenAtStart
        let isFixed = (0..<m).map { fixed.contains($0) }
        var d1 = [Double](repeating: 0, count: n), d2 = d1, serving = [Int](repeating: 0, count: n)
        func nearestTwo() {
            let open = (0..<m).filter { isOpen[$0] }
            for i in 0..<n {
                var (a, b, s) = (Double.infinity, Double.infinity, -1)
                for j in open {
                    let d = distances[j * n + i]
                    if d < a { (b, a, s) = (a, d, j) } else if d < b { b = d }
                }
                (d1[i], d2[i], serving[i]) = (a, b, s)
            }
        }
        nearestTwo()
        let tolerance = 1e-12 * max(1, value(open: (0..<m).filter { isOpen[$0] }))
        var loss = [Double](repeating: 0, count: m)
        var improved = true
        while improved {
            improved = false
            for k in 0..<m where !isOpen[k] {
                var gain = 0.0
                for j in 0..<m where isOpen[j] { loss[j] = 0 }
                for i in 0..<n {
                    let d = distances[k * n + i], w = weights[i]
                    if d < d1[i] { gain += w * (d1[i] - d) } else { loss[serving[i]] += w * (min(d, d2[i]) - d1[i]) }
                }
                var out: Int?
                for j in 0..<m where isOpen[j] && !isFixed[j] && (out == nil || loss[j] < loss[out!]) { out = j }
                guard let out, loss[out] - gain < -tolerance else { continue }
                isOpen[out] = false; isOpen[k] = true
                nearestTwo()
                improved = true
            }
        }
        return (0..<m).filter { isOpen[$0] }
    }

    /// min Σ wᵢdᵢⱼxᵢⱼ relaxed by λᵢ on Σⱼ xᵢⱼ = 1: L(λ) = Σᵢ λᵢ + the P smallest ρⱼ = Σᵢ min(0, wᵢdᵢⱼ − λᵢ) (fixed
    /// sites always among them), a lower bound for every λ.
    /// Also returns the non-fixed sites the relaxation opened at its best bound.
    func medianBound(sites: Int, open start: [Int], iterations: Int) -> (bound: Double, open: [Int]) {
        let n = weights.count, m = candidateCount
        let best = value(open: start)
        var lambda = (0..<n).map { i in weights[i] * (start.map { distances[$0 * n + i] }.min() ?? 0) }
        var schedule = SubgradientSchedule(upper: false), relaxation: [Int] = []
        for _ in 0..<iterations {
            let multipliers = lambda
            let rho = parallelMap(m) { j in
                var r = 0.0
                for i in 0..<n { r += min(0, self.weights[i] * self.distances[j * n + i] - multipliers[i]) }
                return r
            }
            let chosen = largest(rho.map { -$0 }, count: sites), open = fixed + chosen
            let value = lambda.reduce(0, +) + open.reduce(0) { $0 + rho[$1] }
            var gradient = [Double](repeating: 1, count: n)
            for j in open { for i in 0..<n where weights[i] * distances[j * n + i] - lambda[i] < 0 { gradient[i] -= 1 } }
            if schedule.record(value) { relaxation = chosen }
            let norm = gradient.reduce(0) { $0 + $1 * $1 }
            guard best - schedule.best > 1e-9 * max(1, abs(best)), norm > 0,
                  let t = schedule.step(from: value, towards: best, norm: norm) else { break }
            for i in 0..<n { lambda[i] += t * gradient[i] }
        }
        return (schedule.best, relaxation)
    }

    // MARK: set covering

    /// Greedy: the candidate covering most uncovered points (of those with the lowest Lagrangian reduced cost
    /// first), until all are; then each chosen site, last first, dropped when the others cover its points.
    func greedyCover(_ cover: [[Int]], start: [Int], priority: [Double]) -> [Int] {
        var isOpen = [Bool](repeating: false, count: candidateCount), count = [Int](repeating: 0, count: weights.count)
        func open(_ j: Int) { isOpen[j] = true; for i in cover[j] { count[i] += 1 } }
        for j in fixed + start where !isOpen[j] { open(j) }
        var chosen = start.filter { !fixed.contains($0) }
        while count.contains(0) {
            guard let best = bestCandidate(isOpen, score: { j in
                let new = cover[j].count { count[$0] == 0 }
                return new == 0 ? -.infinity : Double(new) / max(1e-9, priority[j])
            }) else { break }
            open(best); chosen.append(best)
        }
        for j in chosen.reversed() where cover[j].allSatisfy({ count[$0] > 1 }) {
            isOpen[j] = false
            for i in cover[j] { count[i] -= 1 }
        }
        return (0..<candidateCount).filter { isOpen[$0] }
    }

    /// The greedy cover, improved by Lagrangian covers (Beasley 1990): min Σ yⱼ relaxed by uᵢ ≥ 0 on Σⱼ aᵢⱼyⱼ ≥ 1,
    /// L(u) = Σᵢ uᵢ + Σ over fixed j of (1 − Σ_{i∈j} uᵢ) + Σ over the others of min(0, 1 − Σ_{i∈j} uᵢ), rounded up
    /// (the objective is whole); at each step the sites of negative reduced cost, completed greedily, are a cover.
    func setCovering(_ cover: [[Int]], iterations: Int) -> (open: [Int], bound: Double) {
        let n = weights.count
        let isFixed = (0..<candidateCount).map { fixed.contains($0) }
        var best = greedyCover(cover, start: [], priority: [Double](repeating: 1, count: candidateCount))
        var reach = [Int](repeating: 0, count: n)
        for demand in cover { for i in demand { reach[i] += 1 } }
        var u = reach.map { 1 / Double(max(1, $0)) }
        var schedule = SubgradientSchedule(upper: false)
        for _ in 0..<iterations {
            var value = u.reduce(0, +)
            var gradient = [Double](repeating: 1, count: n)
            var relaxed: [Int] = [], reduced = [Double](repeating: 0, count: candidateCount)
            for (j, demand) in cover.enumerated() {
                reduced[j] = 1 - demand.reduce(0) { $0 + u[$1] }
                guard isFixed[j] || reduced[j] < 0 else { continue }
                value += reduced[j]
                relaxed.append(j)
                for i in demand { gradient[i] -= 1 }
            }
            _ = schedule.record(value)
            let candidate = greedyCover(cover, start: relaxed, priority: reduced.map { max(1e-3, $0 + 1) })
            if candidate.count < best.count { best = candidate }
            let norm = gradient.reduce(0) { $0 + $1 * $1 }
            guard (schedule.best - 1e-9).rounded(.up) < Double(best.count), norm > 0,
                  let t = schedule.step(from: value, towards: Double(best.count), norm: norm) else { break }
            for i in 0..<n { u[i] = max(0, u[i] + t * gradient[i]) }
        }
        return (best, (schedule.best - 1e-9).rounded(.up))
    }
}
