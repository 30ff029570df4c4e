import Statistics
import TestSupport
import Testing

/// Map classes against mapclassify (`Tests/Fixtures/map_classes.json`): the demo's S1 and K3 in 2024 and 3 000
/// skewed values, for quantiles, equal intervals, Fisher–Jenks natural breaks and user-defined bounds; and by hand.
@Suite struct MapClassificationTests {
    let fixture = try! FixtureValue.load("map_classes.json")

    @Test(arguments: ["S1", "K3", "skewed"])
    func classesMatchMapclassify(_ series: String) throws {
        let f = fixture[series], values = f["values"].doubles
        for (key, scheme) in [("quantiles", MapClassification.quantiles(5)), ("equal_interval", .equalInterval(5)),
                              ("natural_breaks", .naturalBreaks(5)), ("manual", .manual([2, 4, 6]))] {
            let bounds = try scheme.upperBounds(of: values), expected = f[key]["bins"].doubles
            #expect(bounds.count == expected.count, "\(series) \(key): \(bounds) vs \(expected)")
            let worst = zip(bounds, expected).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .infinity
            #expect(worst < 1e-12, "\(series) \(key): worst relative error \(worst)")
            let classes = MapClassification.classes(of: values, bounds: expected).map { $0! }
            #expect(classes == f[key]["classes"].doubles.map { Int($0) }, "\(series) \(key): classes")
        }
    }

    @Test func byHand() throws {
        let y = [1.0, 2, 3, 4, 10, .nan]
        #expect(try MapClassification.equalInterval(3).upperBounds(of: y) == [4, 7, 10])
        #expect(try MapClassification.quantiles(2).upperBounds(of: y) == [3, 10])
        #expect(try MapClassification.naturalBreaks(2).upperBounds(of: y) == [4, 10], "{1,2,3,4} and {10}")
        #expect(try MapClassification.manual([2, 5]).upperBounds(of: y) == [2, 5, 10], "the largest value closes the last")
        #expect(MapClassification.classes(of: y, bounds: [2, 5, 10]) == [0, 0, 1, 1, 2, nil])
        // Percentiles 25, 50, 75, 100 of 1, 1, 1, 2 are 1, 1, 1.25, 2: the repeated bound merges (3 classes).
        #expect(try MapClassification.quantiles(4).upperBounds(of: [1, 1, 1, 2]) == [1, 1.25, 2])
        #expect(throws: StatisticsError.self) { try MapClassification.quantiles(0).upperBounds(of: y) }
        #expect(throws: StatisticsError.self) { try MapClassification.manual([3, 2]).upperBounds(of: y) }
        #expect(throws: StatisticsError.self) { try MapClassification.quantiles(3).upperBounds(of: [.nan]) }
    }
}
