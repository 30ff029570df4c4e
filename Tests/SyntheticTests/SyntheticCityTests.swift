import AreaData
import Foundation
import LinearAlgebra
import Statistics
import Synthetic
import Testing

@Suite struct SyntheticCityTests {
    let city = try! SyntheticCity(areaCount: 542, seed: 7)

    @Test func idsAreHierarchicalUniqueAndContiguousByLevel() throws {
        #expect(city.areaIDs.count == 542 && Set(city.areaIDs).count == 542)
        #expect(city.areaIDs.allSatisfy { $0.count == 8 && $0.allSatisfy(\.isNumber) })
        #expect(Set(city.areaIDs.map { $0.prefix(2) }).count == 12, "Berlin-like: 12 districts")
        // Each district's areas form one connected piece under rook contiguity.
        let edges = city.rookNeighbours()
        for district in Set(city.areaIDs.map { String($0.prefix(2)) }) {
            let members = Set(city.areaIDs.indices.filter { city.areaIDs[$0].hasPrefix(district) })
            var reached: Set<Int> = [members.min()!], frontier = [members.min()!]
            while let next = frontier.popLast() {
                for (a, b) in edges where (a == next || b == next) {
                    let other = a == next ? b : a
                    if members.contains(other) && reached.insert(other).inserted { frontier.append(other) }
                }
            }
            #expect(reached == members, "district \(district) is contiguous")
        }
    }

    @Test func neighboursShareEdgesExactly() {
        for (i, j) in city.rookNeighbours().prefix(50) {
            let a = Set(city.polygon(of: i).exterior.points), b = Set(city.polygon(of: j).exterior.points)
            #expect(a.intersection(b).count == 2, "rook neighbours share exactly one edge")
        }
    }

    @Test func indicatorsCorrelateAndClusterInSpace() throws {
        let values = city.values(in: .year(2020))
        let z = try values.zScores()
        let correlation = z.gram(scaledBy: 1.0 / 542)
        #expect(correlation[0, 2] > 0.5 && correlation[2, 3] > 0.5, "S1, S3 and S4 share the latent factor")
        // Neighbouring areas are alike: the mean product of z-values over rook pairs is clearly positive.
        let edges = city.rookNeighbours()
        let spatial = edges.reduce(0.0) { $0 + z[$1.0, 3] * z[$1.1, 3] } / Double(edges.count)
        #expect(spatial > 0.4, "S4 is spatially autocorrelated: \(spatial)")
        #expect(values.elements.allSatisfy { $0 > 0 && $0 < 100 })
    }

    @Test func sameSeedSameCityOtherSeedOtherCity() throws {
        let again = try SyntheticCity(areaCount: 542, seed: 7)
        #expect(again.values(in: .quarter(2021, 3)) == city.values(in: .quarter(2021, 3)))
        #expect(again.population(in: .year(2024)) == city.population(in: .year(2024)))
        let other = try SyntheticCity(areaCount: 542, seed: 8)
        #expect(other.values(in: .year(2021)) != city.values(in: .year(2021)))
        #expect(city.population(in: .year(2024)).filter { $0 < 300 }.count > 5, "some areas under 300")
    }

    @Test func largeCitiesHaveValidIds() throws {
        let big = try SyntheticCity(areaCount: 100_000, seed: 1)
        #expect(Set(big.areaIDs).count == 100_000 && big.areaIDs.allSatisfy { $0.count == 8 })
        #expect(throws: StatisticsError.self) { try SyntheticCity(areaCount: 0, seed: 1) }
    }
}
