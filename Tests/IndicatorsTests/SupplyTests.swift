import AreaData
import Indicators
import Testing

@Suite struct SupplyTests {
    /// Four areas in two regions (0101: A, B; 0102: C, D), three facilities in A, C, C and one outside the city.
    let ids = ["01010101", "01010102", "01020101", "01020102"]
    var analysis: SupplyAnalysis {
        SupplyAnalysis(areaIDs: ids, target: [1000, 2000, 500, .nan], highNeed: [false, true, true, true],
                       facilities: [.init(id: "f1", type: "Kita", capacity: 30, area: 0),
                                    .init(id: "f2", type: "Kita", capacity: 10, area: 2),
                                    .init(id: "f3", type: "Kita", capacity: 5, area: 2),
                                    .init(id: "f4", type: "Kita", capacity: 99, area: nil)],
                       lowSupply: nil)
    }

    @Test func ratesPer1000AndGapsByHand() {
        let a = analysis
        #expect(a.areas.map(\.facilities) == [1, 0, 2, 0] && a.areas.map(\.capacity) == [30, 0, 15, 0])
        #expect(a.areas[0].capacityPer1000 == 30 && a.areas[1].capacityPer1000 == 0 && a.areas[2].capacityPer1000 == 30)
        #expect(a.areas[2].facilitiesPer1000 == 4 && a.areas[3].capacityPer1000.isNaN, "no target population: no rate")
        // City: 45 places for 3 500 people (D unknown, counted as 0) = 12.857… per 1 000: the default threshold.
        #expect(a.city.capacity == 45 && a.city.target == 3500 && abs(a.lowSupply - 45_000.0 / 3500) < 1e-12)
        #expect((0..<4).map(a.lowSupply(area:)) == [false, true, false, false])
        #expect((0..<4).map(a.gap(area:)) == [false, true, false, false], "B: high need, no places")
        #expect(a.unassigned == ["f4"])
    }

    @Test func levelsSumTheirAreas() throws {
        let regions = try analysis.units(hierarchy: .berlinLOR, level: 1)
        #expect(regions.map(\.id) == ["0101", "0102"])
        #expect(regions[0].capacity == 30 && regions[0].target == 3000 && regions[0].capacityPer1000 == 10)
        #expect(regions[1].facilities == 2 && regions[1].target == 500 && regions[1].capacityPer1000 == 30)
        let explicit = SupplyAnalysis(areaIDs: ids, target: [1000, 2000, 500, 100], highNeed: [true, true, true, true],
                                      facilities: [], lowSupply: 5)
        #expect(explicit.lowSupply == 5 && (0..<4).allSatisfy(explicit.gap(area:)))
    }
}
