import LinearAlgebra
import Trends

/// Emerging hot spots (ESRI's Emerging Hot Spot Analysis; R sfdep's `emerging_hotspot_analysis`): each area's
/// space-time G\* series (`SpaceTimeGetisOrd`) and the Mann–Kendall trend of its z-values give one category.
///
/// With T periods, a period is a hot (cold) spot when its p < α and z > 0 (z < 0); "share" is the share of the T
/// periods that are hot (cold), "final" the last period, and the trend is significant when the Mann–Kendall p < α.
/// ESRI's published rules, checked in this order (the same for cold spots with the roles of hot and cold swapped):
///
/// | category | the final period | rule |
/// |---|---|---|
/// | intensifying | hot | share ≥ 90 %, significant rising trend of z |
/// | diminishing | hot | share ≥ 90 %, significant falling trend of z |
/// | persistent | hot | share ≥ 90 %, no significant trend |
/// | new | hot | no significant period (hot or cold) before it |
/// | consecutive | hot | one run of ≥ 2 hot periods at the end, no significant period before the run |
/// | oscillating | hot | share < 90 %, a cold spot in an earlier period |
/// | sporadic | hot | share < 90 %, never a cold spot |
/// | historical | not hot | share ≥ 90 % |
///
/// As sfdep, "new" and "consecutive" need a clean history (a cold spot before makes the area oscillating). Where
/// the final period is a cold spot the cold rules apply; otherwise only "historical" can apply; else "no pattern".
public struct EmergingHotSpots: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case hot, cold }

    /// The pattern of one area: one of ESRI's eight patterns of hot or of cold spots, or none (both nil).
    public struct Category: Sendable, Hashable, CustomStringConvertible {
        public enum Pattern: String, Sendable, CaseIterable {
            case new, consecutive, intensifying, persistent, diminishing, sporadic, oscillating, historical
        }

        public let pattern: Pattern?
        public let kind: Kind?

        public init(pattern: Pattern, kind: Kind) { self.pattern = pattern; self.kind = kind }
        private init() { pattern = nil; kind = nil }

        public static let noPattern = Category()

        /// Every category, in the order of the table above (hot, then cold), then no pattern.
        public static let all: [Category] = Kind.allCases.flatMap { kind in
            Pattern.allCases.map { Category(pattern: $0, kind: kind) }
        } + [.noPattern]

        /// "new hot spot", "persistent cold spot", "no pattern".
        public var description: String {
            guard let pattern, let kind else { return "no pattern" }
            return "\(pattern.rawValue) \(kind.rawValue) spot"
        }
    }

    /// One area's result.
    public struct Area: Sendable, Equatable {
        public let category: Category
        /// Shares of the periods that are significant hot and cold spots.
        public let hotShare: Double
        public let coldShare: Double
        /// Mann–Kendall τ and p of the z-values.
        public let tau: Double
        public let pValue: Double
    }

    public let areas: [Area]
    public let alpha: Double

    /// - Throws: when there are fewer than 3 periods (no Mann–Kendall test).
    public init(_ gStar: SpaceTimeGetisOrd, alpha: Double) throws(SpatialError) {
        guard gStar.periods >= 3 else {
            throw .degenerate("emerging hot spots need at least 3 periods for the Mann-Kendall test, got \(gStar.periods)")
        }
        self.alpha = alpha
        areas = parallelMap(gStar.areaCount) { i in
            let z = gStar.zSeries(area: i), p = gStar.pSeries(area: i)
            let trend = try? MannKendall(z, alpha: alpha)
            return Self.classify(z: z, pValues: p, tau: trend?.tau ?? 0, trendP: trend?.pValue ?? 1, alpha: alpha)
        }
    }

    /// The category of one series of z- and p-values with the Mann–Kendall τ and p of the z-values.
    public static func classify(z: [Double], pValues: [Double], tau: Double, trendP: Double, alpha: Double) -> Area {
        let t = z.count
        let hot = z.indices.map { pValues[$0] < alpha && z[$0] > 0 }
        let cold = z.indices.map { pValues[$0] < alpha && z[$0] < 0 }
        let hotShare = Double(hot.filter { $0 }.count) / Double(t)
        let coldShare = Double(cold.filter { $0 }.count) / Double(t)
        func category() -> Category {
            for kind in Kind.allCases {
                let (spot, other, share) = kind == .hot ? (hot, cold, hotShare) : (cold, hot, coldShare)
                guard spot[t - 1] else { continue }
                let rising = kind == .hot ? tau > 0 : tau < 0  // towards more of this kind
                if share >= 0.9 {
                    return Category(pattern: trendP >= alpha ? .persistent : rising ? .intensifying : .diminishing, kind: kind)
                }
                let runStart = (spot.lastIndex(of: false) ?? -1) + 1
                let significantBefore = (0..<runStart).contains { spot[$0] || other[$0] }
                if !significantBefore { return Category(pattern: runStart == t - 1 ? .new : .consecutive, kind: kind) }
                return Category(pattern: (0..<(t - 1)).contains { other[$0] } ? .oscillating : .sporadic, kind: kind)
            }
            if hotShare >= 0.9 { return Category(pattern: .historical, kind: .hot) }
            if coldShare >= 0.9 { return Category(pattern: .historical, kind: .cold) }
            return .noPattern
        }
        return Area(category: category(), hotShare: hotShare, coldShare: coldShare, tau: tau, pValue: trendP)
    }
}
