import AreaData
import LinearAlgebra

/// The indicator values of the reference period per area, as the indices read them (docs/methods.md §2): the table's
/// columns, then the shares from counts (`100 · numerator / denominator`) and the changes `D<k> = S<k>(t) −
/// S<k>(t − lag)` that the indices name, each area's missing values with their reasons.
public struct ReferenceIndicators: Sendable {
    /// A missing value of an area: which indicator, and why.
    public struct Missing: Sendable, Equatable {
        public let indicator: String
        public let reason: MissingReason
        public init(indicator: String, reason: MissingReason) {
            self.indicator = indicator
            self.reason = reason
        }
    }

    /// Why a derived indicator cannot be made.
    public enum Problem: Error, Equatable {
        /// A share's count columns are not both in the table.
        case countsNotInTable(share: String, numerator: String, denominator: String)
        /// An index names an indicator that is neither in the table nor a change `D<k>` of one that is.
        case unknownIndicator(String)
        /// A change needs an earlier period that the table lacks.
        case periodLacking(change: String, base: String, now: Period, earlier: Period)
    }

    public let period: Period
    public private(set) var names: [String]
    /// Areas × indicators in the order of `names`: the panel's matrix of the period as it is, with the derived
    /// columns added after the table's.
    public private(set) var values: Matrix
    /// Per area, its missing values in the order of `names`.
    public private(set) var missing: [[Missing]]
    /// The counts behind each share (by column number), so that higher levels aggregate the counts.
    public private(set) var counts: [Int: LevelSummary.Counts] = [:]
    private let panel: Panel
    private let t: Int
    /// The count columns (numerator, denominator) of each share added from counts, so that a change of it can be made.
    private var shareSources: [String: (numerator: Int, denominator: Int)] = [:]

    /// The table's indicators in `panel.periods[period]`.
    public init(panel: Panel, period t: Int) {
        self.panel = panel
        self.t = t
        period = panel.periods[t]
        names = panel.indicators
        values = panel.values[t]
        missing = (0..<panel.areaCount).map { i in
            panel.indicators.indices.compactMap { j in
                panel.missingReason(area: i, indicator: j, period: t).map { Missing(indicator: panel.indicators[j], reason: $0) }
            }
        }
    }

    public var areaCount: Int { panel.areaCount }

    /// The values of indicator `name`, or nil.
    public func column(named name: String) -> [Double]? { names.firstIndex(of: name).map { Array(values.column($0)) } }

    /// Adds the share `name` = 100 · numerator / denominator of two count columns of the table (unless the table
    /// has a column of that name, which is kept), and records the counts behind it.
    public mutating func addShare(_ name: String, numerator: String, denominator: String) throws(Problem) {
        guard let num = panel.indicators.firstIndex(of: numerator), let den = panel.indicators.firstIndex(of: denominator) else {
            throw .countsNotInTable(share: name, numerator: numerator, denominator: denominator)
        }
        let counts = LevelSummary.Counts(numerator: panel.column(indicator: num, period: t),
                                         denominator: panel.column(indicator: den, period: t))
        if !names.contains(name) {
            append(name, DerivedIndicator.share(numerator: counts.numerator, denominator: counts.denominator),
                   missing: counts.denominator.map { $0 > 0 ? nil : .denominatorNotPositive })
        }
        self.counts[names.firstIndex(of: name)!] = counts
        if !panel.indicators.contains(name) { shareSources[name] = (num, den) }
    }

    /// The values of the table's column or share-from-counts `name` in period `p`.
    private func base(_ name: String, period p: Int) -> [Double]? {
        if let j = panel.indicators.firstIndex(of: name) { return panel.column(indicator: j, period: p) }
        guard let (num, den) = shareSources[name] else { return nil }
        return DerivedIndicator.share(numerator: panel.column(indicator: num, period: p),
                                      denominator: panel.column(indicator: den, period: p))
    }

    /// Makes sure indicator `name` is there: a column of the table or a share already added, or a change `D<k>`
    /// of the table's `S<k>` (or of a share `S<k>` from counts) over `lag` periods, added now.
    public mutating func require(_ name: String, lag: Int) throws(Problem) {
        guard !names.contains(name) else { return }
        guard let baseName = DerivedIndicator.changeBase(of: name), let now = base(baseName, period: t) else {
            throw .unknownIndicator(name)
        }
        let earlier = period.advanced(by: -lag)
        guard let e = panel.periods.firstIndex(of: earlier), let before = base(baseName, period: e) else {
            throw .periodLacking(change: name, base: baseName, now: period, earlier: earlier)
        }
        let change = DerivedIndicator.change(now: now, earlier: before)
        append(name, change, missing: change.map { $0.isNaN ? .changeUnavailable : nil })
    }

    private mutating func append(_ name: String, _ values: [Double], missing reasons: [MissingReason?]) {
        names.append(name)
        self.values.appendColumn(values)
        for (i, reason) in reasons.enumerated() {
            if let reason { missing[i].append(Missing(indicator: name, reason: reason)) }
        }
    }
}
