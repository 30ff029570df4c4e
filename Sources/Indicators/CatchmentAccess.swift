import AreaData
import Foundation

/// Supply reachable from each area, by the two-step floating catchment area method: a facility serves everyone within
/// `radius` of it, not only its own area (Luo & Wang 2003), optionally with Gaussian distance decay (the enhanced
/// method, Luo & Qi 2009).
///
/// With `w(d)` = 1 within the radius (2SFCA) or `(exp(−½(d/d₀)²) − exp(−½)) / (1 − exp(−½))` (E2SFCA), 0 beyond:
/// step 1, each facility's capacity per person reaching it, `R_j = S_j / Σ_i w(d_ij) P_i`; step 2, each area's
/// access `A_i = Σ_j w(d_ij) R_j`, reported per 1 000 of its target group as `1000 · A_i`. Euclidean distances in
/// metres between area points (centroids) and facility points; as PySAL's `access` computes it
/// (`two_stage_fca` with the same weight function). A facility nobody reaches serves nobody (R_j = 0).
public enum CatchmentAccess {
    public enum Decay: Sendable { case none, gaussian }

    public static func perThousand(areas: [Point], target: [Double], facilities: [Point], capacity: [Double],
                                   radius: Double, decay: Decay) -> [Double] {
        precondition(areas.count == target.count && facilities.count == capacity.count, "one value per point")
        let floor = exp(-0.5)
        func weight(_ d: Double) -> Double {
            guard d <= radius else { return 0 }
            switch decay {
            case .none: return 1
            case .gaussian: return (exp(-0.5 * (d / radius) * (d / radius)) - floor) / (1 - floor)
            }
        }
        // Links within the radius, each with its weight (facility, area, w).
        var links: [(j: Int, i: Int, w: Double)] = []
        for (j, f) in facilities.enumerated() {
            for (i, a) in areas.enumerated() {
                let d = ((f.x - a.x) * (f.x - a.x) + (f.y - a.y) * (f.y - a.y)).squareRoot()
                if d <= radius { links.append((j, i, weight(d))) }
            }
        }
        var demand = [Double](repeating: 0, count: facilities.count)
        for link in links where !target[link.i].isNaN { demand[link.j] += link.w * target[link.i] }
        let ratio = facilities.indices.map { demand[$0] > 0 ? capacity[$0] / demand[$0] : 0 }
        var access = [Double](repeating: 0, count: areas.count)
        for link in links { access[link.i] += link.w * ratio[link.j] }
        return access.map { 1000 * $0 }
    }
}
