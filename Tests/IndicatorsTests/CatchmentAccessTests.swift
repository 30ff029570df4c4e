import AreaData
import Indicators
import TestSupport
import Testing

/// The two-step floating catchment against PySAL's `access` on the demo (`catchment_access.json`), and by hand.
@Suite struct CatchmentAccessTests {
    @Test(arguments: [("2sfca", CatchmentAccess.Decay.none), ("e2sfca", .gaussian)])
    func matchesAccess(_ name: String, _ decay: CatchmentAccess.Decay) throws {
        let f = try FixtureValue.load("catchment_access.json")
        let areas = zip(f["areas"]["x"].doubles, f["areas"]["y"].doubles).map { Point(x: $0, y: $1) }
        let facilities = zip(f["facilities"]["x"].doubles, f["facilities"]["y"].doubles).map { Point(x: $0, y: $1) }
        let access = CatchmentAccess.perThousand(areas: areas, target: f["areas"]["pop"].doubles, facilities: facilities,
                                                 capacity: f["facilities"]["capacity"].doubles, radius: f["radius"].double,
                                                 decay: decay)
        let expected = f[name].doubles
        let worst = zip(access, expected).map { abs($0 - $1) / max(1, abs($1)) }.max()!
        #expect(access.count == expected.count && worst < 1e-10, "\(name): worst relative error \(worst)")
        #expect(access.contains { $0 > 0 } && access.contains { $0 == 0 })
    }

    @Test func byHand() {
        // Two areas 1 000 m apart, 100 and 300 people; a facility of 40 places beside the first reaches both (radius
        // 1 500 m): 40 / 400 = 0.1 places per person for each, 100 per 1 000. A second facility of 10 reaches only
        // the second area (it lies 2 000 m from the first): 10 / 300 more there.
        let areas = [Point(x: 0, y: 0), Point(x: 1_000, y: 0)]
        let facilities = [Point(x: 0, y: 0), Point(x: 2_000, y: 0)]
        let access = CatchmentAccess.perThousand(areas: areas, target: [100, 300], facilities: facilities, capacity: [40, 10],
                                                 radius: 1_500, decay: .none)
        #expect(abs(access[0] - 100) < 1e-12 && abs(access[1] - (100 + 1000.0 / 30)) < 1e-9)
        // Everyone reached: the access weighted by population adds up to the capacity (per 1 000).
        #expect(abs((access[0] * 100 + access[1] * 300) / 1000 - 50) < 1e-9)
        // Gaussian decay: full weight at distance 0, none at the radius.
        let decayed = CatchmentAccess.perThousand(areas: [Point(x: 0, y: 0), Point(x: 1_500, y: 0)], target: [100, 100],
                                                  facilities: [Point(x: 0, y: 0)], capacity: [10], radius: 1_500, decay: .gaussian)
        #expect(abs(decayed[0] - 100) < 1e-12 && decayed[1] == 0)
    }
}
