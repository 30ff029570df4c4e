import IntegerProgramming

extension LocationProblem {
    /// The exact solution: the problem as an integer program (the formulations of `LocationProblem`, as spopt states
    /// them), solved by GLPK's branch and cut. p-median's assignments xᵢⱼ are continuous in [0, 1]: with the sites
    /// binary, each demand point's best assignment is whole, so the optimum is the same.
    /// - Parameter timeLimit: seconds; at the limit the better of the solver's best solution and the heuristic's is
    ///   returned, not proven (`proven` false, the bound the heuristic's Lagrangian one).
    public func solveExactly(timeLimit: Double? = nil) throws -> LocationSolution {
        let (program, y) = integerProgram()
        let m = candidateCount
        let solution: IntegerProgram.Solution
        do { solution = try program.solve(timeLimit: timeLimit) } catch .noSolutionWithinTimeLimit { return solveHeuristically() }
        let open = (0..<m).filter { solution.values[y[$0]] > 0.5 }
        guard solution.status != .optimal else { return self.solution(.exact, open: open, bound: value(open: open)) }
        // Stopped at the time limit: the better of the solver's best and the heuristic's, with the heuristic's bound.
        let heuristic = solveHeuristically()
        let value = value(open: open)
        guard maximises ? value > heuristic.objective : value < heuristic.objective else { return heuristic }
        return self.solution(.exact, open: open, bound: heuristic.bound)
    }

    /// The linear relaxation's optimum: the bound the Lagrangian bounds tend to (for tests and reports on small
    /// problems; the relaxation has n·m variables for the p-median).
    public func relaxationBound() throws -> Double { try integerProgram().program.solve(relaxed: true).objective }

    /// The integer program and its site variables yⱼ.
    func integerProgram() -> (program: IntegerProgram, sites: [Int]) {
        let n = weights.count, m = candidateCount
        var program = IntegerProgram(maximises ? .maximise : .minimise)
        let y = (0..<m).map { _ in program.add(.binary, objective: newSites == nil ? 1 : 0) }
        for j in fixed { program.fix(y[j], to: 1) }
        if let sites = newSites {
            let total = Double(sites + fixed.count)
            program.constrain(y.map { ($0, 1) }, atLeast: total, atMost: total)
        }
        switch objective {
        case .maximalCovering(let radius, _):
            let coveredBy = coveringSites(radius: radius)
            for i in 0..<n where weights[i] > 0 && !coveredBy[i].isEmpty {
                let z = program.add(.binary, objective: weights[i])
                program.constrain([(z, 1)] + coveredBy[i].map { (y[$0], -1) }, atMost: 0)
            }
        case .pMedian:
            for i in 0..<n {
                var assignment: [(variable: Int, coefficient: Double)] = []
                for j in 0..<m {
                    let x = program.add(.continuous(lower: 0, upper: 1), objective: weights[i] * distances[j * n + i])
                    assignment.append((x, 1))
                    program.constrain([(x, 1), (y[j], -1)], atMost: 0)
                }
                program.constrain(assignment, atLeast: 1, atMost: 1)
            }
        case .setCovering(let radius):
            for sites in coveringSites(radius: radius) { program.constrain(sites.map { (y[$0], 1) }, atLeast: 1) }
        }
        return (program, y)
    }

    /// Per demand point the candidates within the radius (ascending).
    func coveringSites(radius: Double) -> [[Int]] {
        var coveredBy = [[Int]](repeating: [], count: weights.count)
        for (j, demand) in coverage(radius: radius).enumerated() { for i in demand { coveredBy[i].append(j) } }
        return coveredBy
    }
}
