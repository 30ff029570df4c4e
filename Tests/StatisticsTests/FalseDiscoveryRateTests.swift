import Statistics
import TestSupport
import Testing

@Suite struct FalseDiscoveryRateTests {
    @Test func matchesStatsmodelsFdrBh() throws {
        let f = try FixtureValue.load("statistics.json")["fdr"]
        let q = try benjaminiHochberg(f["p"].doubles)
        let worst = WorstError(q, f["q"].doubles, floor: 1e-300)
        #expect(worst.error < 1e-14, "\(worst)")
    }

    @Test func handCase() throws {
        // m = 4: p·m/rank = 0.04, 0.06, 0.0533…, 0.04 → running minimum from the top.
        let q = try benjaminiHochberg([0.01, 0.03, 0.04, 0.04])
        #expect(WorstError(q, [0.04, 0.04, 0.04, 0.04]).error < 1e-15)
        #expect(try benjaminiHochberg([]).isEmpty)
        #expect(throws: StatisticsError.self) { try benjaminiHochberg([0.5, 1.5]) }
    }
}
