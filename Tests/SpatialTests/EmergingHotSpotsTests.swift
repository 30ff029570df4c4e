import AreaData
import Foundation
import Spatial
import SozmonIO
import TestSupport
import Testing

/// Space-time G* and emerging hot spots against the reference of `Tests/Fixtures/emerging_hotspots.json` (the
/// demo's quarterly S4, 477 areas × 24 quarters, queen contiguity by libpysal): z by the spdep/sfdep formula through
/// an explicit space-time weights matrix (and esda's G* for a window of 0), p by the same permutation tables,
/// pymannkendall's τ and p, and the categories by ESRI's rules written out again in Python.
@Suite struct EmergingHotSpotsTests {
    let f = try! FixtureValue.load("emerging_hotspots.json")

    var weights: SpatialWeights {
        let ids = f["ids"].array.map(\.string)
        let pairs = f["neighbours"].array.enumerated().flatMap { i, js in js.doubles.map { (i, Int($0), 1.0) } }
        return SpatialWeights.edges(ids: ids, numbered: pairs)
    }

    @Test func zValuesMatchTheReferenceAndEsdaAtWindowZero() throws {
        let x = f["x"].rows, w = weights
        let plain = try SpaceTimeGetisOrd(x, weights: w, timeWindow: 0, permutations: 0)
        let esda = f["esda_z_window0"].rows.flatMap { $0 }
        let worst0 = WorstError(plain.z, esda, floor: 1)
        #expect(worst0.error < 1e-10, "window 0 against esda's G_Local(star=True): \(worst0)")
        let cube = try SpaceTimeGetisOrd(x, weights: w, timeWindow: 1, permutations: 0)
        let worst1 = WorstError(cube.z, f["z"].rows.flatMap { $0 }, floor: 1)
        #expect(worst1.error < 1e-10, "window 1 against the space-time weights matrix: \(worst1)")
        // Without permutations p is the normal two-sided p of z.
        #expect(zip(cube.z, cube.pValues).allSatisfy { abs($1 - 2 * (1 - 0.5 * (1 + erf(abs($0) / 2.0.squareRoot())))) < 1e-12 })
    }

    @Test func permutationPValuesAndCategoriesMatchTheReference() throws {
        let tables = f["tables"].array.map { PermutationTable($0.array.map { $0.doubles.map { Int($0) } }) }
        let cube = try SpaceTimeGetisOrd(f["x"].rows, weights: weights, timeWindow: 1, tables: tables)
        let expected = f["p"].rows.flatMap { $0 }
        let differing = zip(cube.pValues, expected).filter { abs($0 - $1) > 1e-12 }.count
        #expect(differing == 0, "\(differing) of \(expected.count) p-values differ")
        let result = try EmergingHotSpots(cube, alpha: f["alpha"].double)
        #expect(WorstError(result.areas.map(\.tau), f["tau"].doubles).error < 1e-12)
        #expect(WorstError(result.areas.map(\.pValue), f["trend_p"].doubles, floor: 1e-3).error < 1e-9)
        let categories = result.areas.map(\.category.description)
        let wrong = zip(categories, f["categories"].array.map(\.string)).enumerated().filter { $1.0 != $1.1 }
        #expect(wrong.isEmpty, "\(wrong.count) categories differ, e.g. \(wrong.prefix(3))")
        // The reference covers most categories (it is a real test of the rules, not of "no pattern" alone).
        #expect(Set(categories).count >= 10)
    }

    /// Every rule on a hand-made series of 10 periods (α = 0.05; "H" hot, "C" cold, "." not significant).
    @Test func handCasesOfTheRules() {
        func classify(_ pattern: String, tau: Double = 0, trendP: Double = 1) -> String {
            let z = pattern.map { $0 == "H" ? 3.0 : $0 == "C" ? -3.0 : 0.5 }
            let p = pattern.map { $0 == "." ? 0.5 : 0.01 }
            return EmergingHotSpots.classify(z: z, pValues: p, tau: tau, trendP: trendP, alpha: 0.05).category.description
        }
        #expect(classify(".........H") == "new hot spot")
        #expect(classify(".........C") == "new cold spot")
        #expect(classify(".......HHH") == "consecutive hot spot")
        #expect(classify("......CCCC") == "consecutive cold spot")
        #expect(classify("HHHHHHHHHH", tau: 0.5, trendP: 0.01) == "intensifying hot spot")
        #expect(classify("HHHHHHHHHH", tau: -0.5, trendP: 0.01) == "diminishing hot spot")
        #expect(classify(".HHHHHHHHH", tau: 0.2, trendP: 0.2) == "persistent hot spot")
        #expect(classify("CCCCCCCCCC", tau: -0.5, trendP: 0.01) == "intensifying cold spot")
        #expect(classify("CCCCCCCCCC", tau: 0.5, trendP: 0.01) == "diminishing cold spot")
        #expect(classify("CCCCCCCCCC") == "persistent cold spot")
        #expect(classify("H..H...H.H") == "sporadic hot spot")
        #expect(classify("H......HHH") == "sporadic hot spot")  // a hot spot before the final run
        #expect(classify("C..C.....H") == "oscillating hot spot")  // hot for the first time, but cold before
        #expect(classify("H.H..H...C") == "oscillating cold spot")
        #expect(classify("HHHHHHHHH.") == "historical hot spot")
        #expect(classify("CCCCCCCCC.") == "historical cold spot")
        #expect(classify("HHHHH.....") == "no pattern")
        #expect(classify("..........") == "no pattern")
        let shares = EmergingHotSpots.classify(z: [3, 3, -3, 0.5], pValues: [0.01, 0.01, 0.01, 0.5], tau: 0, trendP: 1, alpha: 0.05)
        #expect(shares.hotShare == 0.5 && shares.coldShare == 0.25)
    }

    @Test func seededRunsRepeatAndBadInputsAreRefused() throws {
        let x = f["x"].rows, w = weights
        let a = try SpaceTimeGetisOrd(x, weights: w, timeWindow: 2, permutations: 49, seed: 3)
        let b = try SpaceTimeGetisOrd(x, weights: w, timeWindow: 2, permutations: 49, seed: 3)
        #expect(a.pValues == b.pValues && a.z == b.z)
        #expect(throws: SpatialError.self) { try SpaceTimeGetisOrd(x.map { $0.dropLast() }, weights: w, timeWindow: 1) }
        #expect(throws: SpatialError.self) { try SpaceTimeGetisOrd([x[0].map { _ in 2 }], weights: w, timeWindow: 0) }
        var gap = x
        gap[3][7] = .nan
        #expect(throws: SpatialError.self) { try SpaceTimeGetisOrd(gap, weights: w, timeWindow: 1) }
        // A neighbourhood as large as the map has no variance: refused, not NaN.
        let small = try SpatialWeights.edges(ids: ["a", "b", "c"], [("a", "b", 1), ("b", "c", 1)])
        #expect(throws: SpatialError.self) { try SpaceTimeGetisOrd([[1, 2, 3], [2, 3, 4]], weights: small, timeWindow: 1) }
        #expect(throws: SpatialError.self) { try EmergingHotSpots(SpaceTimeGetisOrd(Array(x.prefix(2)), weights: w, timeWindow: 1), alpha: 0.05) }
    }
}

/// Emerging hot spots on real data (`Tests/Fixtures/real_hotspots.json`, made from `../shared/data`): the share of
/// children under 6 in Berlin's planning areas before 2021 over 12 half-years, queen contiguity of the dissolved
/// polygons, window 1, normal p-values; z, τ, p and categories as the reference computes them.
@Suite(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipMessage)))
struct RealEmergingHotSpotsTests {
    @Test func berlinChildrenUnderSixHalfYearly() throws {
        let f = try FixtureValue.load("real_hotspots.json")
        let layer = try GeoJSON.read(SharedData.url("berlin-lor-geodata/berlin-lor-planning-areas-until-2020.geojson"),
                                     idProperty: "id", duplicateIDs: .merge).layer
        let index = Dictionary(uniqueKeysWithValues: layer.areas.enumerated().map { ($1.id, $0) })
        let keep = f["keep"].array.map(\.string)
        let w = SpatialWeights.contiguity(layer).subset(keep.map { index[$0]! })
        let cube = try SpaceTimeGetisOrd(f["x"].rows, weights: w, timeWindow: 1, permutations: 0)
        let worst = WorstError(cube.z, f["z"].rows.flatMap { $0 })
        #expect(worst.error < 1e-10, "z against the space-time weights matrix: \(worst)")
        let result = try EmergingHotSpots(cube, alpha: 0.05)
        #expect(WorstError(result.areas.map(\.tau), f["tau"].doubles).error < 1e-12)
        #expect(WorstError(result.areas.map(\.pValue), f["trend_p"].doubles, floor: 1e-3).error < 1e-9)
        let categories = result.areas.map(\.category.description), expected = f["categories"].array.map(\.string)
        let wrong = zip(keep, zip(categories, expected)).filter { $1.0 != $1.1 }
        #expect(wrong.isEmpty, "\(wrong.count) of \(keep.count) categories differ, e.g. \(wrong.prefix(3))")
        #expect(categories.filter { $0 != "no pattern" }.count > 100)
    }
}
