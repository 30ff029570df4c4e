import AreaData
import Foundation
import Spatial
import Statistics
import SozmonIO
import TestSupport
import Testing

/// Weights and spatial statistics against libpysal and esda (`Tests/Fixtures/spatial_statistics.json`).
@Suite struct AutocorrelationTests {
    let f = try! FixtureValue.load("spatial_statistics.json")

    /// The 3 × 3 lattice, y = 1 … 9, binary rook weights: VI_norm = 0.053125, VI_rand = 0.0596875 (esda's test).
    @Test func latticeCase() throws {
        let ids = (0..<9).map { String($0) }
        var edges: [(String, String, Double)] = []
        for r in 0..<3 { for c in 0..<3 {
            if c < 2 { edges.append((ids[r * 3 + c], ids[r * 3 + c + 1], 1)) }
            if r < 2 { edges.append((ids[r * 3 + c], ids[(r + 1) * 3 + c], 1)) }
        } }
        let w = try SpatialWeights.edges(ids: ids, edges)
        let moran = try GlobalMoran((1...9).map(Double.init), weights: w, permutations: 0)
        let l = f["lattice"]
        #expect(abs(moran.normality.variance - 0.053125) < 1e-15 && abs(moran.randomization.variance - 0.0596875) < 1e-15)
        let worst = WorstError([moran.i, moran.normality.expected, moran.normality.variance, moran.randomization.variance,
                                moran.normality.z, moran.randomization.z, moran.normality.pValue, moran.randomization.pValue,
                                w.s0, w.s1, w.s2],
                               ["I", "EI", "VI_norm", "VI_rand", "z_norm", "z_rand", "p_norm", "p_rand", "s0", "s1", "s2"]
                                   .map { l[$0].double })
        #expect(worst.error < 1e-12, "\(worst)")
    }

    func city() throws -> (GeometryLayer, [Double]) {
        let folder = FixtureValue.folder.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("datasets/synthetic-berlin")
        let layer = try GeoJSON.read(folder.appendingPathComponent("planungsraeume.geojson"), idProperty: "PLR_ID").layer
        return (layer, f["city"]["y"].doubles)
    }

    @Test func contiguityMatchesLibpysal() throws {
        let (layer, _) = try city()
        let queen = SpatialWeights.contiguity(layer)
        let rook = SpatialWeights.contiguity(layer, rook: true)
        #expect(layer.areas.map(\.id) == f["city"]["ids"].array.map(\.string))
        #expect(queen.neighbours == f["city"]["queen"].array.map { $0.doubles.map { Int($0) } })
        #expect(rook.neighbours == f["city"]["rook"].array.map { $0.doubles.map { Int($0) } })
        #expect(WorstError([queen.s0, queen.s1, queen.s2], f["city"]["queen_s0_s1_s2_binary"].doubles).error < 1e-12)
        #expect(queen.islands.isEmpty && Set(queen.components).count == 1)
    }

    /// k nearest neighbours are not symmetric: s1 = ½ Σ_ij (w_ij + w_ji)² also has the terms of pairs linked one way
    /// only. Hand case: a↔b, c→a: w + wᵀ has 2, 2, 1, 1 off the diagonal, s1 = (4 + 4 + 1 + 1)/2 = 5 (not 4.5);
    /// s2 = (1 + 2)² + (1 + 1)² + (1 + 0)² = 14. Then knn4 row-standardised against libpysal and esda.
    @Test func asymmetricWeightsMatchLibpysal() throws {
        let hand = SpatialWeights.edges(ids: ["a", "b", "c"], numbered: [(0, 1, 1), (1, 0, 1), (2, 0, 1)], symmetric: false)
        #expect(hand.s1 == 5 && hand.s2 == 14 && hand.s0 == 3)
        let points = f["city"]["points"].rows.map { Point(x: $0[0], y: $0[1]) }
        let knn = try SpatialWeights.nearestNeighbours(ids: points.indices.map { String($0) }, points: points, k: 4).rowStandardized()
        let e = f["city"]["knn4_r"]
        let moran = try GlobalMoran(e["y"].doubles, weights: knn, permutations: 0)
        let worst = WorstError([knn.s0, knn.s1, knn.s2, moran.i, moran.normality.variance, moran.randomization.variance],
                               e["s0_s1_s2"].doubles + [e["I"].double, e["VI_norm"].double, e["VI_rand"].double])
        #expect(worst.error < 1e-12, "\(worst)")
    }

    /// A map in three parts (areas dealt round-robin, so every part has neighbours in the others): the parts' Moran
    /// sums merge to the whole map's (s0, s1, s2, cross sums, every permutation), and each part's local Moran
    /// (values, quadrants, permutation p-values) and G* are the whole map's rows, exactly — for symmetric queen
    /// weights and for asymmetric k nearest neighbours.
    @Test func partsOfAMapGiveTheWholeMapsStatistics() throws {
        let (layer, y) = try city()
        let points = layer.areas.map(\.centroid)
        for w in [SpatialWeights.contiguity(layer).rowStandardized(),
                  try SpatialWeights.nearestNeighbours(ids: layer.areas.map(\.id), points: points, k: 5).rowStandardized()] {
            let whole = WeightRows(w)
            let parts = (0..<3).map { p in
                let keep = whole.areas.indices.filter { $0 % 3 == p }
                return WeightRows(areas: keep.map { whole.areas[$0] }, outgoing: keep.map { whole.outgoing[$0] },
                                  incoming: keep.map { whole.incoming[$0] })
            }
            let sums = parts.map { MoranSums(y, rows: $0, permutations: 99, seed: 3) }
            let merged = sums.dropFirst().reduce(sums[0]) { $0.merged(with: $1) }
            let single = MoranSums(y, rows: whole, permutations: 99, seed: 3)
            #expect(merged.n == single.n)
            let worst = WorstError([merged.s0, merged.s1, merged.s2, merged.cross, merged.z2, merged.z4] + merged.permuted,
                                   [single.s0, single.s1, single.s2, single.cross, single.z2, single.z4] + single.permuted)
            #expect(worst.error < 1e-12, "\(worst)")
            let a = try GlobalMoran(merged), b = try GlobalMoran(y, weights: w, permutations: 99, seed: 3)
            #expect(abs(a.i - b.i) < 1e-12 && abs(a.randomization.variance - b.randomization.variance) < 1e-12)
            #expect(a.permutation?.pValue == b.permutation?.pValue)
            let local = try LocalMoran(y, weights: w, permutations: 99, seed: 3)
            let g = try GetisOrd(y, weights: w, star: true, rowStandardized: false)
            for (p, rows) in parts.enumerated() {
                let part = try LocalMoran(y, rows: rows, permutations: 99, seed: 3)
                #expect(part.values == rows.areas.map { local.values[$0] }, "part \(p)")
                #expect(part.quadrants == rows.areas.map { local.quadrants[$0] })
                #expect(part.pValues! == rows.areas.map { local.pValues![$0] })
                let gPart = try GetisOrd(y, rows: rows, star: true, rowStandardized: false)
                #expect(gPart.z == rows.areas.map { g.z[$0] } && gPart.values == rows.areas.map { g.values[$0] })
            }
        }
    }

    /// s0, s1 and s2 of a 300 × 300 rook lattice, row-standardised (90 000 areas, 359 400 links), in one piece and
    /// from 7 parts, each within 1e-15 of the exact values (in integers: with k_i neighbours, 12·w_ij = 12/k_i is a
    /// whole number, so 144·s1 and 144·s2 are; plain double sums of the whole map drift by 1.2e-14; a distributed run of 10⁶ areas differed from the single run by 1.4e-11 in
    /// the variance of I before the sums were compensated).
    @Test func weightSumsAreAccurateInOnePieceAndInParts() throws {
        let side = 300, n = side * side
        var edges: [(Int, Int, Double)] = []
        for r in 0..<side { for c in 0..<side {
            if c + 1 < side { edges.append((r * side + c, r * side + c + 1, 1)) }
            if r + 1 < side { edges.append((r * side + c, (r + 1) * side + c, 1)) }
        } }
        let w = SpatialWeights.edges(ids: (0..<n).map { String($0) }, numbered: edges).rowStandardized()
        let whole = WeightRows(w)
        let parts = (0..<7).map { p in
            let keep = whole.areas.indices.filter { $0 * 7 / n == p }
            return WeightRows(areas: keep.map { whole.areas[$0] }, outgoing: keep.map { whole.outgoing[$0] },
                              incoming: keep.map { whole.incoming[$0] }).sums
        }
        // Exact: s1 = ½ Σ_i Σ_j (12/k_i + 12/k_j)² / 144, s2 = Σ_i (12 + Σ_j 12/k_j)² / 144, s0 = n.
        let twelfths = w.neighbours.map { 12 / $0.count }
        var s1 = 0, s2 = 0
        for i in 0..<n {
            var column = 0
            for j in w.neighbours[i] {
                s1 += (twelfths[i] + twelfths[j]) * (twelfths[i] + twelfths[j])
                column += twelfths[j]
            }
            s2 += (12 + column) * (12 + column)
        }
        let expected = [Double(n), Double(s1) / 288, Double(s2) / 144]
        let one = whole.sums
        let merged = [parts.map(\.s0).reduce(0, +), parts.map(\.s1).reduce(0, +), parts.map(\.s2).reduce(0, +)]
        #expect(WorstError([one.s0, one.s1, one.s2], expected).error < 1e-15)
        #expect(WorstError(merged, expected).error < 1e-15)
    }

    /// The permutations of global Moran's test behave as uniformly random ones: over 9 999 of them on the city (queen,
    /// row-standardised), the mean and variance of the simulated I agree with the moments under randomisation
    /// (Cliff & Ord: E[I] = −1/(n − 1), Var_rand), which hold for uniform permutations of the values: the mean within
    /// 4 standard errors, the variance within 8 % (its sampling error is about 1.5 %).
    @Test func globalMoranPermutationsHaveTheRandomisationMoments() throws {
        let (layer, y) = try city()
        let moran = try GlobalMoran(y, weights: SpatialWeights.contiguity(layer).rowStandardized(), permutations: 9_999, seed: 2)
        let simulated = moran.permutation!
        let sd = moran.randomization.variance.squareRoot()
        #expect(abs(simulated.mean - moran.randomization.expected) < 4 * sd / 9_999.0.squareRoot(), "mean \(simulated.mean)")
        let ratio = simulated.standardDeviation * simulated.standardDeviation / moran.randomization.variance
        #expect(abs(ratio - 1) < 0.08, "variance ratio \(ratio)")
    }

    @Test func nearestNeighboursAndDistanceBandMatchLibpysal() throws {
        let points = f["city"]["points"].rows.map { Point(x: $0[0], y: $0[1]) }
        let ids = points.indices.map { String($0) }
        let knn = try SpatialWeights.nearestNeighbours(ids: ids, points: points, k: 4)
        #expect(knn.neighbours == f["city"]["knn4"].array.map { $0.doubles.map { Int($0) } })
        let band = try SpatialWeights.distanceBand(ids: ids, points: points, threshold: 800)
        #expect(band.neighbours == f["city"]["band800"].array.map { $0.doubles.map { Int($0) } })
        #expect(!band.islands.isEmpty, "a sparse band leaves islands, which are kept")
        // On the city's 1 km grid, the centroids 1 km apart are exactly the rook neighbours.
        let (layer, _) = try city()
        let grid = try SpatialWeights.distanceBand(ids: layer.areas.map(\.id), points: layer.areas.map(\.centroid),
                                                   threshold: 1000.5)
        #expect(grid.neighbours == SpatialWeights.contiguity(layer, rook: true).neighbours)
    }

    @Test func moranLocalMoranAndGetisOrdMatchEsda() throws {
        let (layer, y) = try city()
        let w = SpatialWeights.contiguity(layer).rowStandardized()
        let c = f["city"]
        let moran = try GlobalMoran(y, weights: w, permutations: 0)
        let m = c["moran_r"]
        #expect(WorstError([moran.i, moran.normality.variance, moran.randomization.variance, moran.randomization.z,
                            moran.randomization.pValue], ["I", "VI_norm", "VI_rand", "z_rand", "p_rand"].map { m[$0].double })
                    .error < 1e-10)
        let local = try LocalMoran(y, weights: w, permutations: 0)
        #expect(WorstError(local.values, c["local_moran_r"].doubles).error < 1e-10)
        let codes: [LocalMoran.Quadrant: Double] = [.highHigh: 1, .lowHigh: 2, .lowLow: 3, .highLow: 4]
        #expect(local.quadrants.map { codes[$0]! } == c["local_quadrant"].doubles)
        let starBinary = try GetisOrd(y, weights: w, star: true, rowStandardized: false)
        #expect(WorstError(starBinary.z, c["g_star_b_z"].doubles).error < 1e-10)
        let plain = try GetisOrd(y, weights: w, star: false, rowStandardized: true)
        #expect(WorstError(plain.z, c["g_r_z"].doubles).error < 1e-10)
    }

    @Test func permutationsAreSeededAndSensible() throws {
        let (layer, y) = try city()
        let w = SpatialWeights.contiguity(layer).rowStandardized()
        let a = try GlobalMoran(y, weights: w, permutations: 199, seed: 5)
        let b = try GlobalMoran(y, weights: w, permutations: 199, seed: 5)
        #expect(a.permutation == b.permutation)
        // Child poverty is spatially smooth in the synthetic city: clearly clustered, no permutation reaches I.
        #expect(a.i > 0.3 && a.permutation!.pValue == 1.0 / 200)
        let la = try LocalMoran(y, weights: w, permutations: 99, seed: 3)
        let lb = try LocalMoran(y, weights: w, permutations: 99, seed: 3)
        #expect(la.pValues == lb.pValues)
        #expect(la.pValues!.allSatisfy { $0 >= 0.01 && $0 <= 0.5 + 1e-12 })
        // Under the null (a random shuffle of y) the folded pseudo p-value (the smaller tail, as esda) falls below
        // 0.05 for about 10 % of the areas (5 % in each tail).
        var g = RandomStream(seed: 9)
        var shuffled = y
        g.shuffle(&shuffled)
        let null = try LocalMoran(shuffled, weights: w, permutations: 199, seed: 4)
        let share = Double(null.pValues!.filter { $0 < 0.05 }.count) / Double(y.count)
        #expect(share > 0.04 && share < 0.16, "share of p < 0.05 under the null: \(share)")
    }

    /// With esda's own table of permuted ids (crand, seed 12345, 99 permutations) the conditional permutation test
    /// gives esda's pseudo p-values, area for area; a table drawn from a seed is the same for the same seed.
    @Test func localMoranPermutationsMatchEsdaWithItsTable() throws {
        let (layer, y) = try city()
        let e = try FixtureValue.load("local_moran_permutations.json")
        let w = SpatialWeights.contiguity(layer).rowStandardized()
        let table = PermutationTable(e["table"].array.map { $0.doubles.map { Int($0) } })
        let local = try LocalMoran(y, weights: w, table: table)
        #expect(WorstError(local.values, e["local_I"].doubles).error < 1e-12)
        let expected = e["p_sim"].doubles
        let differing = zip(local.pValues!, expected).filter { abs($0 - $1) > 1e-12 }.count
        #expect(differing == 0, "\(differing) of \(y.count) p-values differ from esda's")
        #expect(PermutationTable(rows: 99, width: 8, from: 541, seed: 7) == PermutationTable(rows: 99, width: 8, from: 541, seed: 7))
        // Rows hold distinct indices, narrow (redrawn) and wide (shuffled) alike, and cover the range.
        for (width, m) in [(8, 541), (9, 10), (3, 3)] {
            let t = PermutationTable(rows: 200, width: width, from: m, seed: 1)
            #expect((0..<200).allSatisfy { Set(t.indices[($0 * width)..<(($0 + 1) * width)]).count == width })
            #expect(t.indices.allSatisfy { $0 >= 0 && Int($0) < m })
            if m <= 10 { #expect(Set(t.indices).count == m) }
            // Each row's first entries do not depend on the width (a part of a map draws what the whole map draws).
            let narrow = PermutationTable(rows: 200, width: min(2, width), from: m, seed: 1)
            #expect((0..<200).allSatisfy { p in (0..<narrow.width).allSatisfy { narrow.indices[p * narrow.width + $0] == t.indices[p * width + $0] } })
        }
    }

    @Test func degenerateInputs() throws {
        let (layer, y) = try city()
        let w = SpatialWeights.contiguity(layer)
        #expect(throws: SpatialError.self) { try GlobalMoran([Double](repeating: 1, count: y.count), weights: w) }
        #expect(throws: SpatialError.self) { try GlobalMoran(Array(y.dropFirst()), weights: w) }
        #expect(throws: SpatialError.self) { try LocalMoran(y.map { _ in .nan }, weights: w) }
        #expect(throws: SpatialError.self) { try SpatialWeights.edges(ids: ["a"], [("a", "b", 1)]) }
        #expect(throws: SpatialError.self) { try GetisOrd(y.map { $0 - 20 }, weights: w) }
        #expect(throws: SpatialError.self) { try SpatialWeights.nearestNeighbours(ids: ["a", "b"], points: [Point(x: 0, y: 0), Point(x: 1, y: 1)], k: 2) }
    }
}

/// Berlin's planning areas before 2021 (448 polygons, one id in two features, merged): queen weights against
/// libpysal, and the local Moran of the share of children under 6 (2020H2) against esda.
@Suite(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipMessage)))
struct RealSpatialTests {
    @Test func berlinPlanningAreasQueenWeightsAndLocalMoran() throws {
        let f = try FixtureValue.load("real_spatial.json")
        let layer = try GeoJSON.read(SharedData.url("berlin-lor-geodata/berlin-lor-planning-areas-until-2020.geojson"),
                                     idProperty: "id", duplicateIDs: .merge).layer
        #expect(layer.areas.map(\.id) == f["ids"].array.map(\.string))
        let queen = SpatialWeights.contiguity(layer)
        #expect(queen.neighbours == f["queen"].array.map { $0.doubles.map { Int($0) } })
        let keep = f["keep"].array.map(\.string)
        let index = Dictionary(uniqueKeysWithValues: layer.areas.enumerated().map { ($1.id, $0) })
        let w = queen.subset(keep.map { index[$0]! }).rowStandardized()
        let y = f["y"].doubles
        let moran = try GlobalMoran(y, weights: w, permutations: 0)
        #expect(WorstError([moran.i, moran.randomization.z], [f["moran_I"].double, f["moran_z_rand"].double]).error < 1e-10)
        let local = try LocalMoran(y, weights: w, permutations: 0)
        #expect(WorstError(local.values, f["local_I"].doubles).error < 1e-10)
        let codes: [LocalMoran.Quadrant: Double] = [.highHigh: 1, .lowHigh: 2, .lowLow: 3, .highLow: 4]
        #expect(local.quadrants.map { codes[$0]! } == f["quadrant"].doubles)
    }
}

/// Global Moran's permutations of a map beyond `KeyedPermutation.drawnUpTo` areas come from the keyed network. Forced
/// on a 24 × 24 rook lattice (a small domain, where a network is weakest; row-standardised, a smooth surface plus
/// noise), 9 999 of its permutations give the moments of I under randomisation (as
/// `globalMoranPermutationsHaveTheRandomisationMoments` for Fisher–Yates); and `MoranSums` on a 520 × 520 lattice takes
/// exactly the network's permutations, in one piece and as the sum of three bands of rows.
@Suite struct KeyedMoranPermutationTests {
    func lattice(_ side: Int) -> (SpatialWeights, [Double]) {
        var edges: [(Int, Int, Double)] = []
        for r in 0..<side { for c in 0..<side {
            if c + 1 < side { edges.append((r * side + c, r * side + c + 1, 1)) }
            if r + 1 < side { edges.append((r * side + c, (r + 1) * side + c, 1)) }
        } }
        let w = SpatialWeights.edges(ids: (0..<(side * side)).map { String($0) }, numbered: edges).rowStandardized()
        let y = (0..<(side * side)).map { i in sin(Double(i % side) / 9) + cos(Double(i / side) / 7) + Double((i * 7919) % 1000) / 2000 }
        return (w, y)
    }

    /// I of y permuted by π: n/s0 · Σ_i z_π(i) Σ_j w_ij z_π(j) / Σ z².
    func permutedI(_ w: SpatialWeights, _ z: [Double], _ pi: KeyedPermutation) -> Double {
        let permuted = z.indices.map { z[pi($0)] }
        var cross = 0.0, z2 = 0.0
        for i in z.indices {
            var lag = 0.0
            for (j, weight) in zip(w.neighbours[i], w.weights[i]) { lag += weight * permuted[j] }
            cross += permuted[i] * lag
            z2 += z[i] * z[i]
        }
        return Double(z.count) / w.s0 * cross / z2
    }

    @Test func theNetworkGivesTheRandomisationMoments() throws {
        let (w, y) = lattice(24)
        let mean = y.reduce(0, +) / Double(y.count), z = y.map { $0 - mean }
        let moran = try GlobalMoran(y, weights: w, permutations: 0)
        let draws = 9_999
        let simulated = (0..<draws).map { r in
            permutedI(w, z, KeyedPermutation(count: y.count, seed: 2, stream: UInt64(r), drawingUpTo: 0))
        }
        let m = simulated.reduce(0, +) / Double(draws)
        let variance = simulated.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(draws - 1)
        let sd = moran.randomization.variance.squareRoot()
        #expect(abs(m - moran.randomization.expected) < 4 * sd / Double(draws).squareRoot(), "mean \(m)")
        #expect(abs(variance / moran.randomization.variance - 1) < 0.08, "variance ratio \(variance / moran.randomization.variance)")
    }

    @Test func moranSumsOfALargeMapUseTheNetwork() throws {
        let (w, y) = lattice(520)
        #expect(y.count > KeyedPermutation.drawnUpTo)
        let sums = MoranSums(y, rows: WeightRows(w), permutations: 3, seed: 8)
        let mean = y.reduce(0, +) / Double(y.count), z = y.map { $0 - mean }
        for r in 0..<3 {
            let expected = permutedI(w, z, KeyedPermutation(count: y.count, seed: 8, stream: UInt64(r)))
            let got = Double(y.count) / sums.s0 * sums.permuted[r] / sums.z2
            #expect(abs(got - expected) < 1e-12, "permutation \(r): \(got) against \(expected)")
        }
        // Three bands of rows, each evaluating the permutations at its own areas and halo: their sums are the map's.
        let whole = WeightRows(w)
        let parts = (0..<3).map { p in
            let keep = whole.areas.indices.filter { $0 * 3 / y.count == p }
            return MoranSums(y, rows: WeightRows(areas: keep.map { whole.areas[$0] }, outgoing: keep.map { whole.outgoing[$0] },
                                                 incoming: keep.map { whole.incoming[$0] }), permutations: 3, seed: 8)
        }
        let merged = parts.dropFirst().reduce(parts[0]) { $0.merged(with: $1) }
        let worst = WorstError([merged.cross] + merged.permuted, [sums.cross] + sums.permuted)
        #expect(merged.n == sums.n && worst.error < 1e-12, "\(worst)")
    }
}
