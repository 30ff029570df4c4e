import AreaData
import LinearAlgebra
import Statistics

/// How finer periods are combined into coarser ones (months → quarters → years).
public enum PeriodAggregation: String, Sendable, CaseIterable {
    /// The mean of the sub-periods (rates, shares, stocks averaged over the period).
    case mean
    /// The sum (flows: entries, cases).
    case sum
    /// The last sub-period (stocks at the end of the period, e.g. 31.12.).
    case endOfPeriod = "end"
}

extension Panel {
    /// This panel at a coarser frequency (monthly → quarterly or annual, quarterly/half-yearly → annual).
    ///
    /// A coarse period gets a value only when at least `minimumShare` of its sub-periods have one (the gap rule;
    /// default: all of them); `endOfPeriod` needs the last sub-period itself. Population is always the end of period.
    /// - Throws: `AreaDataError.inconsistentShape` when the target is not coarser than the panel's frequency.
    public func aggregated(to frequency: Period.Frequency, by rule: PeriodAggregation,
                           minimumShare: Double = 1) throws(AreaDataError) -> Panel {
        guard let source = periods.first?.frequency, source != .daily, frequency != .daily,
              source.periodsPerYear > frequency.periodsPerYear, source.periodsPerYear % frequency.periodsPerYear == 0 else {
            throw .inconsistentShape("cannot aggregate \(periods.first?.frequency.rawValue ?? "an empty panel") to \(frequency.rawValue)")
        }
        let ratio = source.periodsPerYear / frequency.periodsPerYear
        func coarse(_ p: Period) -> Period { Period(frequency: frequency, ordinal: floorDivide(p.ordinal, ratio)) }
        var groups: [Period: [Int]] = [:]
        for (index, p) in periods.enumerated() { groups[coarse(p), default: []].append(index) }
        var builder = Panel.Builder(indicators: indicators, hasPopulation: population != nil)
        for target in groups.keys.sorted() {
            let members = groups[target]!  // in time order
            let last = Period(frequency: source, ordinal: (target.ordinal + 1) * ratio - 1)
            for area in 0..<areaCount {
                let populationAtEnd = population.map { table in
                    members.last.map { periods[$0] == last ? table[$0][area] : .nan } ?? .nan } ?? .nan
                try builder.add(area: areaIDs[area], name: areaNames[area], period: target, population: populationAtEnd) { j in
                    let values = members.map { self.values[$0][area, j] }
                    let present = values.filter { !$0.isNaN }
                    switch rule {
                    case .endOfPeriod:
                        guard let final = members.last, self.periods[final] == last, !self.values[final][area, j].isNaN
                        else { return .missing(.incomplete) }
                        return .value(self.values[final][area, j])
                    case .mean, .sum:
                        guard !present.isEmpty, Double(present.count) >= minimumShare * Double(ratio) - 1e-9 else {
                            return .missing(.incomplete)
                        }
                        let total = present.reduce(0, +)
                        // A sum over an incomplete period is scaled up to the full period.
                        return .value(rule == .mean ? total / Double(present.count) : total * Double(ratio) / Double(present.count))
                    }
                }
            }
        }
        return try builder.build()
    }
}

/// Quarter by quarter (or month by month): the change of each area's value against the previous period and the
/// same period a year earlier, absolute and relative (in % of the earlier value).
public struct PeriodComparison: Sendable {
    public let period: Period
    public let previous: Period
    public let yearEarlier: Period
    /// Per area: value now, change against the previous period and against a year earlier.
    public let value: [Double]
    public let changePrevious: [Double]
    public let changeYear: [Double]
    public let relativeChangePrevious: [Double]
    public let relativeChangeYear: [Double]

    /// Compares indicator `indicator` of `panel` at `period` (default: the latest).
    /// `seasonallyAdjusted`: subtract each area's mean per season (quarter or month) over the whole panel first,
    /// so that the change against the previous period is not the season's (stated in the output).
    public init(panel: Panel, indicator: Int, period: Period? = nil, seasonallyAdjusted: Bool = false)
        throws(AreaDataError) {
        guard let latest = panel.periods.last else { throw .inconsistentShape("the panel has no periods") }
        let now = period ?? latest
        guard let t = panel.periods.firstIndex(of: now) else {
            throw .inconsistentShape("period \(now) is not in the panel")
        }
        self.period = now
        previous = now.advanced(by: -1)
        yearEarlier = now.yearEarlier
        let p = panel.periods.firstIndex(of: previous), y = panel.periods.firstIndex(of: yearEarlier)
        let perYear = max(now.frequency.periodsPerYear, 1)
        var seasonMeans = [[Double]](repeating: [Double](repeating: 0, count: perYear), count: panel.areaCount)
        if seasonallyAdjusted {
            for area in 0..<panel.areaCount {
                for season in 0..<perYear {
                    let values = panel.periods.indices.filter { panel.periods[$0].subperiod - 1 == season }
                        .map { panel.value(area: area, indicator: indicator, period: $0) }.filter { !$0.isNaN }
                    seasonMeans[area][season] = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
                }
            }
        }
        func adjusted(_ area: Int, _ index: Int?) -> Double {
            guard let index else { return .nan }
            let v = panel.value(area: area, indicator: indicator, period: index)
            return seasonallyAdjusted ? v - seasonMeans[area][panel.periods[index].subperiod - 1] : v
        }
        let n = panel.areaCount
        let current = (0..<n).map { panel.value(area: $0, indicator: indicator, period: t) }
        func relative(_ earlier: Int?) -> [Double] {
            (0..<n).map { area in
                guard let earlier else { return .nan }
                let before = panel.value(area: area, indicator: indicator, period: earlier)
                return before != 0 ? 100 * (current[area] - before) / abs(before) : .nan
            }
        }
        value = current
        changePrevious = (0..<n).map { adjusted($0, t) - adjusted($0, p) }
        changeYear = (0..<n).map { adjusted($0, t) - adjusted($0, y) }
        relativeChangePrevious = relative(p)
        relativeChangeYear = relative(y)
    }
}
