import AreaData

/// Where to open sites among candidates so that demand is served best: the three location–allocation problems of
/// public facility planning (ReVelle & Eiselt 2005; the forms of PySAL `spopt.locate`).
///
/// With demand points i (weights wᵢ ≥ 0), candidate sites j, distances dᵢⱼ, coverage aᵢⱼ = [dᵢⱼ ≤ radius], site
/// variables yⱼ ∈ {0, 1} (the fixed sites yⱼ = 1: facilities that exist), and P = the fixed sites + `sites` new ones:
/// - **maximal covering** (MCLP, Church & ReVelle 1974): maximise Σ wᵢ zᵢ with zᵢ ≤ Σⱼ aᵢⱼ yⱼ, Σ yⱼ = P, zᵢ ∈ {0, 1};
/// - **p-median** (Hakimi 1964): minimise Σ wᵢ dᵢⱼ xᵢⱼ with Σⱼ xᵢⱼ = 1, xᵢⱼ ≤ yⱼ, Σ yⱼ = P;
/// - **location set covering** (LSCP, Toregas et al. 1971): minimise Σ yⱼ with Σⱼ aᵢⱼ yⱼ ≥ 1 for every demand point
///   (weights play no part).
///
/// Distances are straight lines between points in a planar system in metres (no road network).
public struct LocationProblem: Sendable {
    public enum Objective: Sendable, Equatable {
        case maximalCovering(radius: Double, sites: Int)
        case pMedian(sites: Int)
        case setCovering(radius: Double)
    }

    public let objective: Objective
    public let weights: [Double]
    public let candidateCount: Int
    /// Candidates that are open whatever is chosen (existing facilities), ascending.
    public let fixed: [Int]
    /// Candidate-major: the distance from demand i to candidate j is `distances[j * demandCount + i]`.
    let distances: [Double]

    public var demandCount: Int { weights.count }
    public func distance(demand i: Int, candidate j: Int) -> Double { distances[j * weights.count + i] }

    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// Weights must be finite and ≥ 0, coordinates finite, the radius and site count sensible.
        case invalid(String)
        /// Set covering: these demand points (indices) have no candidate within the radius.
        case uncoverable([Int])
        /// More sites asked for than candidates not yet open.
        case tooFewCandidates(asked: Int, available: Int)
        /// More demand × candidate pairs than `maximumPairs` (the distances are held in memory, 8 bytes a pair).
        case tooLarge(pairs: Int)

        public var description: String {
            switch self {
            case .invalid(let why): why
            case .uncoverable(let demand): "\(demand.count) demand points have no candidate within the radius"
            case .tooFewCandidates(let asked, let available): "\(asked) new sites asked for, \(available) candidates free"
            case .tooLarge(let pairs): "\(pairs) demand × candidate pairs; at most \(LocationProblem.maximumPairs) (8 bytes of distance each)"
            }
        }
    }

    /// The most demand × candidate pairs a problem may have: 2·10⁸, 1.6 GB of distances.
    public static let maximumPairs = 200_000_000

    /// Straight-line distances between demand points and candidate points (the same planar system, metres).
    public init(_ objective: Objective, demand: [Point], weights: [Double], candidates: [Point], fixed: [Int] = [])
        throws(Failure) {
        guard demand.count == weights.count else { throw .invalid("one weight per demand point") }
        let (pairs, overflow) = demand.count.multipliedReportingOverflow(by: candidates.count)
        guard !overflow, pairs <= Self.maximumPairs else { throw .tooLarge(pairs: overflow ? Int.max : pairs) }
        guard demand.allSatisfy({ $0.x.isFinite && $0.y.isFinite }), candidates.allSatisfy({ $0.x.isFinite && $0.y.isFinite })
        else { throw .invalid("every demand point and candidate needs finite coordinates") }
        let n = demand.count
        var distances = [Double](repeating: 0, count: n * candidates.count)
        for (j, c) in candidates.enumerated() {
            for (i, d) in demand.enumerated() {
                distances[j * n + i] = ((c.x - d.x) * (c.x - d.x) + (c.y - d.y) * (c.y - d.y)).squareRoot()
            }
        }
        try self.init(objective, weights: weights, candidateCount: candidates.count, distances: distances, fixed: fixed)
    }

    /// - Parameter distances: candidate-major, `distances[j * weights.count + i]`.
    public init(_ objective: Objective, weights: [Double], candidateCount: Int, distances: [Double], fixed: [Int] = [])
        throws(Failure) {
        guard distances.count == weights.count * candidateCount else { throw .invalid("one distance per demand and candidate") }
        guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else { throw .invalid("weights must be finite and ≥ 0") }
        guard distances.allSatisfy({ $0.isFinite && $0 >= 0 }) else { throw .invalid("distances must be finite and ≥ 0") }
        let fixed = Array(Set(fixed)).sorted()
        guard fixed.allSatisfy({ (0..<candidateCount).contains($0) }) else { throw .invalid("a fixed site is not a candidate") }
        switch objective {
        case .maximalCovering(let radius, let sites):
            guard radius.isFinite && radius > 0 else { throw .invalid("the radius must be > 0") }
            guard sites >= 1 else { throw .invalid("at least one new site") }
            guard sites <= candidateCount - fixed.count else {
                throw .tooFewCandidates(asked: sites, available: candidateCount - fixed.count)
            }
        case .pMedian(let sites):
            guard sites >= 1 else { throw .invalid("at least one new site") }
            guard sites <= candidateCount - fixed.count else {
                throw .tooFewCandidates(asked: sites, available: candidateCount - fixed.count)
            }
        case .setCovering(let radius):
            guard radius.isFinite && radius > 0 else { throw .invalid("the radius must be > 0") }
        }
        self.objective = objective
        self.weights = weights
        self.candidateCount = candidateCount
        self.fixed = fixed
        self.distances = distances
        if case .setCovering(let radius) = objective {
            let reachable = (0..<weights.count).filter { i in
                !(0..<candidateCount).contains { distances[$0 * weights.count + i] <= radius }
            }
            if !reachable.isEmpty { throw .uncoverable(reachable) }
        }
    }

    var radius: Double? {
        switch objective {
        case .maximalCovering(let radius, _), .setCovering(let radius): radius
        case .pMedian: nil
        }
    }

    /// New sites to choose (set covering: as many as needed).
    var newSites: Int? {
        switch objective {
        case .maximalCovering(_, let sites), .pMedian(let sites): sites
        case .setCovering: nil
        }
    }

    /// Whether the objective is maximised (maximal covering) rather than minimised.
    public var maximises: Bool { if case .maximalCovering = objective { true } else { false } }

    /// Per candidate, the demand points within the radius (ascending).
    func coverage(radius: Double) -> [[Int]] {
        let n = weights.count
        return (0..<candidateCount).map { j in (0..<n).filter { distances[j * n + $0] <= radius } }
    }

    /// The objective of a set of open sites (fixed ones included): covered weight, weighted distance to the nearest
    /// open site, or the number of sites.
    public func value(open: [Int]) -> Double {
        let n = weights.count
        switch objective {
        case .maximalCovering(let radius, _):
            var total = 0.0
            for i in 0..<n where open.contains(where: { distances[$0 * n + i] <= radius }) { total += weights[i] }
            return total
        case .pMedian:
            var total = 0.0
            for i in 0..<n { total += weights[i] * (open.map { distances[$0 * n + i] }.min() ?? .infinity) }
            return total
        case .setCovering: return Double(open.count)
        }
    }

    /// Per demand point the open site serving it: the nearest open site (p-median), or the nearest open site within
    /// the radius (covering problems; nil where none is).
    public func assignment(open: [Int]) -> [Int?] {
        let n = weights.count
        return (0..<n).map { i in
            let nearest = open.min { (distances[$0 * n + i], $0) < (distances[$1 * n + i], $1) }
            guard let nearest, let radius else { return nearest }
            return distances[nearest * n + i] <= radius ? nearest : nil
        }
    }
}
