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
