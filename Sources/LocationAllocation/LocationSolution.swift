/// The sites a solver chose and how good they are.
public struct LocationSolution: Sendable, Equatable {
    public enum Method: String, Sendable { case exact, heuristic }
    public let method: Method
    /// Every open site (the fixed ones included), ascending.
    public let open: [Int]
    /// The sites chosen besides the fixed ones, ascending.
    public let chosen: [Int]
    /// The objective (`LocationProblem.value(open:)`).
    public let objective: Double
    /// A bound no solution can beat: an upper bound for the maximal covering problem, a lower bound otherwise (the
    /// optimum itself for a proven exact solution; else the best Lagrangian bound, which is at least as tight as the
    /// objective can be and tends to the linear relaxation's).
    public let bound: Double
    /// Whether `objective` is proven optimal.
    public let proven: Bool

    /// The relative distance to the bound, |bound − objective| / max(|bound|, |objective|) (0 when proven optimal).
    public var gap: Double {
        let scale = max(abs(bound), abs(objective))
        return scale > 0 ? abs(bound - objective) / scale : 0
    }
}
