/// The bookkeeping of subgradient optimisation of a Lagrangian bound (Held, Wolfe & Crowder 1974): the best bound so
/// far, and the step `t = θ · |L − target| / ‖g‖²` towards the best known objective, θ starting at 2 and halved
/// after 20 steps without a better bound, the schedule ending when θ < 10⁻⁴.
struct SubgradientSchedule {
    /// Whether the bound is an upper one (the relaxation of a maximisation).
    let upper: Bool
    private(set) var best: Double
    private var theta = 2.0, sinceBetter = 0

    init(upper: Bool) {
        self.upper = upper
        best = upper ? .infinity : -.infinity
    }

    /// Records a bound; returns whether it is the best so far.
    mutating func record(_ bound: Double) -> Bool {
        let better = best.isInfinite || (upper ? bound < best - 1e-12 * abs(best) : bound > best + 1e-12 * abs(best))
        if better { (best, sinceBetter) = (bound, 0) } else { sinceBetter += 1 }
        return better
    }

    /// The step from the bound `value` towards `target` along a subgradient of squared norm `norm`; nil when the
    /// schedule has ended.
    mutating func step(from value: Double, towards target: Double, norm: Double) -> Double? {
        if sinceBetter >= 20 {
            (theta, sinceBetter) = (theta / 2, 0)
            if theta < 1e-4 { return nil }
        }
        return theta * abs(value - target) / norm
    }
}
