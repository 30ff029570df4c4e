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
}
