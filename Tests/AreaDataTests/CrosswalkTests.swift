import AreaData
import Testing

@Suite struct CrosswalkTests {
    /// Old A (100 people) is split 3:1 into X and Y; old B (50) goes whole into Y.
    let crosswalk = try! Crosswalk([
        .init(old: "A", new: "X", weight: 0.75), .init(old: "A", new: "Y", weight: 0.25), .init(old: "B", new: "Y", weight: 1),
    ])

    @Test func countsAreAllocatedAndTheirOriginReported() {
        let a = crosswalk.allocate(["A": 100, "B": 50])
        #expect(a.values == ["X": 75, "Y": 75])
        // Y: 25 of its 75 came from the split A.
        #expect(a.throughSplit["X"] == 1 && abs(a.throughSplit["Y"]! - 25.0 / 75) < 1e-15)
        #expect(a.unknownOld.isEmpty && a.missingOld.isEmpty)
        let partial = crosswalk.allocate(["A": 100, "C": 5])
        #expect(partial.unknownOld == ["C"] && partial.missingOld == ["B"])
        #expect(partial.values["Y"]!.isNaN, "a missing old count makes the new value missing, not smaller")
    }

    @Test func sharesAreRecomputedFromCountsNotAveraged() {
        // A: 10 of 100 (10 %), B: 20 of 50 (40 %). Y = (0.25·10 + 20) / (0.25·100 + 50) = 22.5/75 = 30 %.
        let shares = crosswalk.allocateShares(numerators: ["A": 10, "B": 20], denominators: ["A": 100, "B": 50])
        #expect(abs(shares["X"]! - 10) < 1e-12 && abs(shares["Y"]! - 30) < 1e-12)
        let weighted = crosswalk.allocateShares(shares: ["A": 10, "B": 40], population: ["A": 100, "B": 50])
        #expect(abs(weighted["Y"]! - 30) < 1e-12)
    }

    @Test func invalidCrosswalksAreRefused() {
        #expect(throws: AreaDataError.inconsistentShape("crosswalk: the weights of A sum to 0.9; expected 1 ± 0.001")) {
            try Crosswalk([.init(old: "A", new: "X", weight: 0.9)])
        }
        #expect(throws: AreaDataError.self) { try Crosswalk([.init(old: "A", new: "X", weight: -0.1)]) }
        #expect(throws: AreaDataError.self) {
            try Crosswalk([.init(old: "A", new: "X", weight: 0.5), .init(old: "A", new: "X", weight: 0.5)])
        }
    }

    /// A panel in the old system (A, B; two years; a count column N and a share S) carried to X and Y.
    func oldPanel() throws -> Panel {
        var builder = Panel.Builder(indicators: ["N", "S"], hasPopulation: true)
        try builder.add(area: "A", period: .year(2019), population: 100, cells: [.value(10), .value(10)])
        try builder.add(area: "B", period: .year(2019), population: 50, cells: [.value(20), .value(40)])
        try builder.add(area: "A", period: .year(2020), population: 100, cells: [.value(12), .missing(.secret)])
        try builder.add(area: "B", period: .year(2020), population: 60, cells: [.value(18), .value(30)])
        return try builder.build()
    }

    @Test func panelsAreTranslatedCountsAllocatedSharesWeighted() throws {
        let t = try crosswalk.translate(try oldPanel(), counts: ["N"])
        let p = t.panel
        #expect(p.areaIDs == ["X", "Y"] && p.periods == [.year(2019), .year(2020)])
        // 2019: population X = 75, Y = 25 + 50 = 75; N: X = 7.5, Y = 2.5 + 20 = 22.5;
        // S (population-weighted): X = 10, Y = (0.25·100·10 + 50·40) / (25 + 50) = 2250/75 = 30.
        #expect(p.population![0] == [75, 75])
        #expect(p.value(area: 0, indicator: 0, period: 0) == 7.5 && p.value(area: 1, indicator: 0, period: 0) == 22.5)
        #expect(abs(p.value(area: 0, indicator: 1, period: 0) - 10) < 1e-12)
        #expect(abs(p.value(area: 1, indicator: 1, period: 0) - 30) < 1e-12)
        // 2020: A's S is secret, so X's and Y's S are missing with that reason; N is still allocated.
        #expect(p.value(area: 1, indicator: 0, period: 1) == 0.25 * 12 + 18)
        #expect(p.missingReason(area: 0, indicator: 1, period: 1) == .secret)
        #expect(p.missingReason(area: 1, indicator: 1, period: 1) == .secret)
        // Through split: X all from A (split); Y 25 of 75 people in 2019, 25 of 85 in 2020.
        #expect(t.throughSplit[0][0] == 1 && abs(t.throughSplit[0][1] - 25.0 / 75) < 1e-15)
        #expect(abs(t.throughSplit[1][1] - 25.0 / 85) < 1e-15)
    }

    @Test func aNewAreaFedByAnAbsentOldAreaIsMissing() throws {
        var builder = Panel.Builder(indicators: ["S"], hasPopulation: true)
        try builder.add(area: "A", period: .year(2019), population: 100, cells: [.value(10)])
        let p = try crosswalk.translate(try builder.build(), counts: []).panel
        #expect(p.value(area: 0, indicator: 0, period: 0) == 10)
        #expect(p.missingReason(area: 1, indicator: 0, period: 0) == .absent, "Y needs B, which the data lacks")
    }

    @Test func seriesContinueAcrossTheChangeOfSystem() throws {
        var builder = Panel.Builder(indicators: ["S", "N"], hasPopulation: true)
        try builder.add(area: "X", name: "Xdorf", period: .year(2020), population: 80, cells: [.value(11), .value(8)])
        try builder.add(area: "Y", name: "Yburg", period: .year(2020), population: 77, cells: [.value(29), .value(23)])
        try builder.add(area: "X", name: "Xdorf", period: .year(2021), population: 81, cells: [.value(12), .value(9)])
        try builder.add(area: "Y", name: "Yburg", period: .year(2021), population: 79, cells: [.value(28), .value(22)])
        let current = try builder.build()
        let earlier = try crosswalk.translate(try oldPanel(), counts: ["N"]).panel
        let series = try current.extended(with: earlier)
        #expect(series.periods == [.year(2019), .year(2020), .year(2021)])
        #expect(series.indicators == ["S", "N"] && series.areaNames == ["Xdorf", "Yburg"])
        // 2019 comes from the crosswalk (columns matched by name), 2020 and 2021 stay as they were.
        #expect(series.series(area: 1, indicator: 0).enumerated().allSatisfy { k, v in abs(v - [30, 29, 28][k]) < 1e-12 })
        #expect(series.series(area: 0, indicator: 1) == [7.5, 8, 9])
        #expect(series.population![0] == [75, 75])
    }
}
