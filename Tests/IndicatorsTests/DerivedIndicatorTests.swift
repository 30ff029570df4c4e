import AreaData
import Indicators
import Testing

/// The derived indicators, by hand: a share from counts and an MSS change indicator.
@Suite struct DerivedIndicatorTests {
    @Test func sharesFromCounts() {
        let share = DerivedIndicator.share(numerator: [12, 0, 5, .nan, 3], denominator: [48, 10, 0, 20, .nan])
        #expect(share[0] == 25 && share[1] == 0, "100 · 12 / 48 = 25; 0 of 10 is 0")
        #expect(share[2].isNaN && share[3].isNaN && share[4].isNaN, "no denominator, or a missing count: no share")
    }

    @Test func changesOfStatusIndicators() {
        #expect(DerivedIndicator.changeBase(of: "D3") == "S3" && DerivedIndicator.changeBase(of: "D12") == "S12")
        #expect(DerivedIndicator.changeBase(of: "S3") == nil && DerivedIndicator.changeBase(of: "D") == nil)
        let change = DerivedIndicator.change(now: [7.5, 3, .nan], earlier: [5.25, 4, 1])
        #expect(change[0] == 2.25 && change[1] == -1 && change[2].isNaN)
    }
}

/// The reference period's indicators with shares and changes added, by hand: values, reasons, counts, problems.
@Suite struct ReferenceIndicatorTests {
    /// Areas A, B over 2019…2021; count columns N (numerator), P (denominator) and a status indicator S1.
    func panel() throws -> Panel {
        var builder = Panel.Builder(indicators: ["N", "P", "S1"], hasPopulation: false)
        try builder.add(area: "A", period: .year(2019), population: .nan, cells: [.value(1), .value(10), .value(4)])
        try builder.add(area: "B", period: .year(2019), population: .nan, cells: [.value(2), .value(20), .missing(.secret)])
        try builder.add(area: "A", period: .year(2021), population: .nan, cells: [.value(3), .value(12), .value(6.5)])
        try builder.add(area: "B", period: .year(2021), population: .nan, cells: [.value(5), .value(0), .value(7)])
        return try builder.build()
    }

    @Test func sharesAndChangesWithReasons() throws {
        let panel = try panel()
        var indicators = ReferenceIndicators(panel: panel, period: panel.periods.firstIndex(of: .year(2021))!)
        try indicators.addShare("Q", numerator: "N", denominator: "P")
        try indicators.require("D1", lag: 2)
        try indicators.require("S1", lag: 2)
        #expect(indicators.names == ["N", "P", "S1", "Q", "D1"])
        #expect(indicators.column(named: "Q")![0] == 25 && indicators.column(named: "Q")![1].isNaN, "100 · 3 / 12; 5 of 0")
        #expect(indicators.column(named: "D1")![0] == 2.5 && indicators.column(named: "D1")![1].isNaN, "6.5 − 4; 7 − secret")
        #expect(indicators.missing[0].isEmpty)
        #expect(indicators.missing[1] == [.init(indicator: "Q", reason: .denominatorNotPositive),
                                          .init(indicator: "D1", reason: .changeUnavailable)])
        #expect(indicators.counts[3]?.numerator == [3, 5] && indicators.counts[3]?.denominator == [12, 0])
    }

    /// A change of a share given by counts: `D9 = S9(2021) − S9(2019)` with `S9 = 100 · N / P` in each period (it was
    /// refused as an indicator the table does not have).
    @Test func aChangeOfAShareFromCounts() throws {
        let panel = try panel()
        var indicators = ReferenceIndicators(panel: panel, period: panel.periods.firstIndex(of: .year(2021))!)
        try indicators.addShare("S9", numerator: "N", denominator: "P")
        try indicators.require("D9", lag: 2)
        let change = try #require(indicators.column(named: "D9"))
        #expect(abs(change[0] - (100.0 * 3 / 12 - 100.0 * 1 / 10)) < 1e-12, "25 − 10")
        #expect(change[1].isNaN, "a denominator of 0 in 2021")
        var shorter = ReferenceIndicators(panel: panel, period: panel.periods.firstIndex(of: .year(2021))!)
        try shorter.addShare("S9", numerator: "N", denominator: "P")
        #expect(throws: ReferenceIndicators.Problem.periodLacking(change: "D9", base: "S9", now: .year(2021), earlier: .year(2020))) {
            try shorter.require("D9", lag: 1)
        }
    }

    @Test func problemsAreNamed() throws {
        let panel = try panel()
        var indicators = ReferenceIndicators(panel: panel, period: 1)
        #expect(throws: ReferenceIndicators.Problem.countsNotInTable(share: "Q", numerator: "N", denominator: "X")) {
            try indicators.addShare("Q", numerator: "N", denominator: "X")
        }
        #expect(throws: ReferenceIndicators.Problem.unknownIndicator("S9")) { try indicators.require("S9", lag: 1) }
        #expect(throws: ReferenceIndicators.Problem.periodLacking(change: "D1", base: "S1", now: .year(2021), earlier: .year(2020))) {
            try indicators.require("D1", lag: 1)
        }
    }
}
