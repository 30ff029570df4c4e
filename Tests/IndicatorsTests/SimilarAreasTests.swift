import Indicators
import LinearAlgebra
import TestSupport
import Testing

/// Similar areas against scikit-learn's NearestNeighbors on the demo's S1, S3, S4 (`similar_areas.json`), and by hand.
@Suite struct SimilarAreasTests {
    let fixture = try! FixtureValue.load("similar_areas.json")

    @Test(arguments: [SimilarAreas.Metric.euclidean, .mahalanobis])
    func matchesScikitLearn(_ metric: SimilarAreas.Metric) throws {
        let x = Matrix(fixture["x"].rows)
        let similar = try SimilarAreas(x, k: 5, metric: metric)
        let expected = fixture[metric.rawValue]
        let neighbours = expected["neighbours"].array.map { $0.doubles.map { Int($0) } }
        let distances = expected["distances"].array.map(\.doubles)
        #expect(similar.neighbours == neighbours, "\(metric): the same five nearest areas in the same order")
        let worst = zip(similar.distances, distances).flatMap { zip($0, $1).map { abs($0 - $1) } }.max()!
        #expect(worst < 1e-9, "\(metric): worst distance error \(worst)")
    }

    @Test func byHand() throws {
        // Three areas on a line and one far away; a missing value leaves an area out.
        let x = Matrix([[0], [1], [3], [10], [.nan]])
        let raw = try SimilarAreas(x, k: 2, metric: .euclidean)
        #expect(raw.neighbours[0] == [1, 2] && raw.neighbours[3] == [2, 1] && raw.neighbours[4].isEmpty)
        // z-scores of 0, 1, 3, 10 (mean 3.5, sd √15.25): the distances are the gaps divided by the sd.
        let sd = (15.25).squareRoot()
        #expect(abs(raw.distances[0][0] - 1 / sd) < 1e-12 && abs(raw.distances[0][1] - 3 / sd) < 1e-12)
        // Only areas another rule allows (e.g. other districts): area 0 may not name 1.
        let other = try SimilarAreas(x, k: 1, metric: .euclidean) { i, j in !(i == 0 && j == 1) }
        #expect(other.neighbours[0] == [2])
        #expect(throws: (any Error).self) { try SimilarAreas(Matrix([[1, 2], [1, 3], [1, 4]]), k: 1, metric: .mahalanobis) }
    }
}
