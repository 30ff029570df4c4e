import AreaData
import IntegerProgramming
import LocationAllocation
import Testing
import TestSupport

/// Five areas on a line, 1 km apart, weights 1…5, every area a candidate (worked by hand in the comments).
@Suite struct LineOfFiveAreas {
    let points = (0..<5).map { Point(x: Double($0) * 1000, y: 0) }
    let weights: [Double] = [1, 2, 3, 4, 5]

    func problem(_ objective: LocationProblem.Objective, fixed: [Int] = []) throws -> LocationProblem {
        try LocationProblem(objective, demand: points, weights: weights, candidates: points, fixed: fixed)
    }

    @Test func pMedianOneSiteIsTheWeightedMedian() throws {
        // Σ wᵢ|i − k| km for k = 0…4: 40, 27, 18, 15, 20.
        let problem = try problem(.pMedian(sites: 1))
        for solution in [try problem.solveExactly(), problem.solveHeuristically()] {
            #expect(solution.open == [3])
            #expect(solution.objective == 15_000)
            #expect(solution.proven)
        }
    }

    @Test func pMedianTwoSitesTieOnTheObjective() throws {
        // {1, 4} and {2, 4} both cost 1+0+3+4+0 = 2+2+0+4+0 = 8 km; every other pair more ({1, 3} 9, {0, 3} 10).
        let problem = try problem(.pMedian(sites: 2))
        for solution in [try problem.solveExactly(), problem.solveHeuristically()] {
            #expect(solution.objective == 8_000)
            #expect([[1, 4], [2, 4]].contains(solution.open))
        }
    }

    @Test func pMedianKeepsTheFixedSite() throws {
        // With area 0 open: adding 3 costs 2·1 + 3·1 + 5·1 = 10 km; 4 costs 12, 2 costs 16, 1 costs 26.
        let problem = try problem(.pMedian(sites: 1), fixed: [0])
        for solution in [try problem.solveExactly(), problem.solveHeuristically()] {
            #expect(solution.open == [0, 3])
            #expect(solution.chosen == [3])
            #expect(solution.objective == 10_000)
        }
    }

    @Test func maximalCoveringCountsNeighboursWithinTheRadius() throws {
        // Radius 1 km: site k covers k − 1, k, k + 1 (distance ≤ radius): 3, 6, 9, 12, 9; two sites cover all 15.
        let one = try problem(.maximalCovering(radius: 1000, sites: 1))
        for solution in [try one.solveExactly(), one.solveHeuristically()] {
            #expect(solution.open == [3])
            #expect(solution.objective == 12)
        }
        let two = try problem(.maximalCovering(radius: 1000, sites: 2))
        for solution in [try two.solveExactly(), two.solveHeuristically()] {
            #expect(solution.objective == 15)
            #expect(solution.proven)
        }
        #expect(two.assignment(open: [3]) == [nil, nil, 3, 3, 3])
    }

    @Test func setCoveringNeedsTwoSitesOrFive() throws {
        let wide = try problem(.setCovering(radius: 1000))
        for solution in [try wide.solveExactly(), wide.solveHeuristically()] {
            #expect(solution.objective == 2)
            #expect(solution.open.count == 2)
            #expect(wide.value(open: solution.open) == 2)
            #expect(solution.proven)
        }
        let narrow = try problem(.setCovering(radius: 999))
        #expect(try narrow.solveExactly().open == [0, 1, 2, 3, 4])
        #expect(narrow.solveHeuristically().open == [0, 1, 2, 3, 4])
    }

    @Test func badInputIsRefused() throws {
        #expect(throws: LocationProblem.Failure.tooFewCandidates(asked: 6, available: 5)) {
            try problem(.pMedian(sites: 6))
        }
        #expect(throws: LocationProblem.Failure.uncoverable([4])) {
            try LocationProblem(.setCovering(radius: 1500), demand: points, weights: weights,
                                candidates: Array(points.prefix(3)))
        }
        #expect(throws: LocationProblem.Failure.self) {
            try LocationProblem(.pMedian(sites: 1), demand: points, weights: [1, 2, 3, .nan, 5], candidates: points)
        }
        #expect(throws: LocationProblem.Failure.self) {
            try LocationProblem(.maximalCovering(radius: 0, sites: 1), demand: points, weights: weights, candidates: points)
        }
        // Refused before the distances are allocated (2·10⁸ + 1 pairs would take 1.6 GB).
        let many = [Point](repeating: Point(x: 0, y: 0), count: 20_001)
        #expect(throws: LocationProblem.Failure.tooLarge(pairs: 200_010_000)) {
            try LocationProblem(.pMedian(sites: 1), demand: many, weights: many.map { _ in 1 },
                                candidates: [Point](repeating: Point(x: 1, y: 1), count: 10_000))
        }
    }
}

@Suite struct IntegerProgramByHand {
    @Test func knapsack() throws {
        // max 5a + 4b + 3c, 2a + 3b + c ≤ 5, 4a + b + 2c ≤ 11, 3a + 4b + 2c ≤ 8: a = 2? binaries: a = b = c = 1 is
        // infeasible (2+3+1 = 6 > 5); {a, c}: 8 (2+1 ≤ 5, 4+2 ≤ 11, 3+2 ≤ 8); {a, b}: 9 but 2+3 = 5 ≤ 5, 4+1 ≤ 11,
        // 3+4 = 7 ≤ 8: 9 is the optimum.
        var program = IntegerProgram(.maximise)
        let a = program.add(.binary, objective: 5), b = program.add(.binary, objective: 4), c = program.add(.binary, objective: 3)
        program.constrain([(a, 2), (b, 3), (c, 1)], atMost: 5)
        program.constrain([(a, 4), (b, 1), (c, 2)], atMost: 11)
        program.constrain([(a, 3), (b, 4), (c, 2)], atMost: 8)
        let solution = try program.solve()
        #expect(solution.status == .optimal)
        #expect(solution.objective == 9)
        #expect(solution.values == [1, 1, 0])
        // The relaxation: c can join in part, (5 − 5)… the LP optimum is above the integer one.
        #expect(try program.solve(relaxed: true).objective >= 9)
    }

    @Test func infeasibleIsAnError() {
        var program = IntegerProgram(.minimise)
        let x = program.add(.binary, objective: 1)
        program.constrain([(x, 1)], atLeast: 2)
        #expect(throws: IntegerProgram.Failure.infeasible) { try program.solve() }
    }
}

/// spopt.locate (PuLP with CBC) on the same points: `Tests/Fixtures/make_fixtures.py`, `location_allocation.json`.
@Suite struct AgreesWithSpopt {
    static let fixture = try! FixtureValue.load("location_allocation.json")

    static func problems(_ name: String) throws -> [(String, LocationProblem)] {
        let c = fixture["cases"][name]
        let demand = zip(c["demand_x"].doubles, c["demand_y"].doubles).map { Point(x: $0, y: $1) }
        let candidates = zip(c["candidate_x"].doubles, c["candidate_y"].doubles).map { Point(x: $0, y: $1) }
        let fixed = c["fixed"].doubles.map { Int($0) }, sites = Int(c["sites"].double)
        let weights = c["weights"].doubles
        func make(_ objective: LocationProblem.Objective) throws -> LocationProblem {
            try LocationProblem(objective, demand: demand, weights: weights, candidates: candidates, fixed: fixed)
        }
        return [("mclp", try make(.maximalCovering(radius: c["radius"].double, sites: sites))),
                ("pmedian", try make(.pMedian(sites: sites))),
                ("lscp", try make(.setCovering(radius: c["cover_radius"].double)))]
    }

    /// The exact objective equals spopt's (relative 1e-9; CBC's optimum); the sites are spopt's, or ties: spopt's
    /// sites give the same objective. The heuristic stays within its stated bound and 1 % of the optimum here.
    @Test(arguments: ["demo", "spandau"]) func sameObjectiveAndSites(_ name: String) throws {
        let c = Self.fixture["cases"][name]
        for (problemName, problem) in try Self.problems(name) {
            let expected = c[problemName]["objective"].double
            let sites = c[problemName]["open"].doubles.map { Int($0) }
            let exact = try problem.solveExactly()
            #expect(exact.proven)
            #expect(abs(exact.objective - expected) <= 1e-9 * abs(expected), "\(name) \(problemName): \(exact.objective) vs spopt \(expected)")
            print("\(name) \(problemName): objective \(exact.objective), spopt \(expected); sites "
                  + (exact.open == sites ? "the same" : "\(exact.open) against spopt's \(sites)"))
            if exact.open != sites {
                #expect(abs(problem.value(open: sites) - exact.objective) <= 1e-9 * abs(expected), "\(name) \(problemName): a tie")
            }
            let heuristic = problem.solveHeuristically()
            #expect(heuristic.gap <= 0.01 || abs(heuristic.objective - expected) <= 0.01 * abs(expected),
                    "\(name) \(problemName): heuristic \(heuristic), optimum \(expected)")
            if problem.maximises {
                #expect(heuristic.bound >= exact.objective - 1e-9 * abs(expected))
            } else {
                #expect(heuristic.bound <= exact.objective + 1e-9 * abs(expected))
            }
        }
    }
}

/// The heuristic against the exact solution on 100 generated cases per problem (seeded): the objective within the
/// stated gap of the optimum, its bound on the right side of the optimum and of the linear relaxation.
@Suite struct HeuristicAgainstExact {
    /// SplitMix64 (Steele et al. 2014): the cases' points and weights.
    struct Generator {
        var state: UInt64
        mutating func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
    }

    static func cases(_ make: (Int, [Point], [Double], [Point], [Int]) throws -> LocationProblem) throws -> [LocationProblem] {
        var random = Generator(state: 20261207)
        return try (0..<100).map { k in
            let n = 25 + k % 20, m = 12 + k % 13
            let demand = (0..<n).map { _ in Point(x: random.next() * 5000, y: random.next() * 5000) }
            let weights = (0..<n).map { _ in (random.next() * 1000).rounded() }
            let candidates = (0..<m).map { _ in Point(x: random.next() * 5000, y: random.next() * 5000) }
            return try make(k, demand, weights, candidates, k % 4 == 0 ? [0] : [])
        }
    }

    /// Worst relative gap of heuristic to optimum over the cases, checking the bounds on the way.
    func worstGap(_ problems: [LocationProblem]) throws -> Double {
        var worst = 0.0
        for problem in problems {
            let exact = try problem.solveExactly(), heuristic = problem.solveHeuristically()
            let relaxation = try problem.relaxationBound()
            let tolerance = 1e-9 * max(1, abs(exact.objective))
            if problem.maximises {
                #expect(heuristic.objective <= exact.objective + tolerance)
                #expect(heuristic.bound >= relaxation - tolerance && relaxation >= exact.objective - tolerance)
            } else {
                #expect(heuristic.objective >= exact.objective - tolerance)
                #expect(heuristic.bound <= (problem.objective == .setCovering(radius: 0) ? 0 : exact.objective) + tolerance)
                #expect(heuristic.bound <= relaxation.rounded(.up) + tolerance)
            }
            #expect(heuristic.gap >= abs(heuristic.objective - exact.objective) / max(abs(heuristic.objective), abs(exact.objective)) - 1e-12)
            worst = max(worst, abs(heuristic.objective - exact.objective) / max(1e-300, abs(exact.objective)))
        }
        return worst
    }

    @Test func maximalCoveringWithinHalfAPercent() throws {
        let problems = try Self.cases { k, d, w, c, f in
            try LocationProblem(.maximalCovering(radius: 800 + Double(k % 5) * 200, sites: 2 + k % 4), demand: d, weights: w,
                                candidates: c, fixed: f)
        }
        let worst = try worstGap(problems)
        print("maximal covering: worst heuristic gap to the optimum over 100 cases \(worst)")
        #expect(worst <= 0.005)
    }

    @Test func pMedianWithinHalfAPercent() throws {
        let problems = try Self.cases { k, d, w, c, f in
            try LocationProblem(.pMedian(sites: 2 + k % 4), demand: d, weights: w, candidates: c, fixed: f)
        }
        let worst = try worstGap(problems)
        print("p-median: worst heuristic gap to the optimum over 100 cases \(worst)")
        #expect(worst <= 0.005)
    }

    /// Stopped at its time limit, the exact solver returns the better of its best and the heuristic's, proven only
    /// where the bound meets it, the bound on the right side.
    @Test func timeLimitGivesABoundedSolution() throws {
        // Points on an R2 sequence (Benchmarks/locate_compare.sh): evenly spread, many near-ties, a fractional root.
        func frac(_ v: Double) -> Double { v - v.rounded(.down) }
        let (a, b) = (0.6180339887498949, 0.7548776662466927)
        let demand = (0..<300).map { Point(x: 30000 * frac(Double($0) * a), y: 30000 * frac(Double($0) * b)) }
        let candidates = (0..<60).map { Point(x: 30000 * frac(0.5 + Double($0) * a), y: 30000 * frac(0.25 + Double($0) * b)) }
        let problem = try LocationProblem(.pMedian(sites: 8), demand: demand, weights: demand.map { _ in 1 }, candidates: candidates)
        let stopped = try problem.solveExactly(timeLimit: 0.001), heuristic = problem.solveHeuristically()
        // Within 1 ms GLPK has no solution of its own: the heuristic's comes back (here proven by its own bound).
        let tolerance = 1e-9 * stopped.objective
        #expect(stopped.objective <= heuristic.objective && stopped.bound <= stopped.objective + tolerance, "\(stopped)")
        #expect(stopped.proven == (stopped.bound >= stopped.objective - tolerance))
        #expect(stopped.open.count == 8 && problem.value(open: stopped.open) == stopped.objective)
        #expect(abs(try problem.solveExactly().objective - stopped.objective) <= tolerance || !stopped.proven)
    }

    @Test func setCoveringWithinOneSite() throws {
        // Every candidate set is completed by the demand points' own sites, so that every point can be covered.
        let problems = try Self.cases { k, d, w, c, f in
            try LocationProblem(.setCovering(radius: 1200 + Double(k % 5) * 200), demand: d, weights: w, candidates: c + d, fixed: f)
        }
        var worst = 0.0
        for problem in problems {
            let exact = try problem.solveExactly(), heuristic = problem.solveHeuristically()
            #expect(heuristic.bound <= exact.objective && heuristic.objective >= exact.objective)
            worst = max(worst, heuristic.objective - exact.objective)
        }
        print("set covering: worst heuristic excess over the optimum over 100 cases \(worst) sites")
        #expect(worst <= 1)
    }
}
