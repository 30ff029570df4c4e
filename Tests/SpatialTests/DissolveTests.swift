import AreaData
import Foundation
import SozmonIO
import Spatial
import Testing
import TestSupport

/// Outlines of units by the exact merge of shared edges (`AreaGeometry.dissolved`): hand cases and the real LOR.
@Suite struct DissolveTests {
    static func square(_ x: Double, _ y: Double, _ size: Double = 1) -> Polygon {
        Polygon(exterior: Ring(points: [Point(x: x, y: y), Point(x: x + size, y: y), Point(x: x + size, y: y + size),
                                        Point(x: x, y: y + size)]))
    }

    /// Two unit squares side by side: one rectangle of area 2 (the shared edge gone, its end points kept).
    @Test func twoSquaresBecomeOneRectangle() throws {
        // The second square clockwise: orientation must not matter.
        var right = Self.square(1, 0)
        right.exterior.points.reverse()
        let outline = try #require(AreaGeometry.dissolved([Self.square(0, 0), right]))
        #expect(outline.count == 1 && outline[0].holes.isEmpty)
        #expect(outline[0].exterior.points.count == 6 && abs(outline[0].area - 2) < 1e-15)
        #expect(!outline[0].exterior.points.contains(Point(x: 1, y: 0.5)))
    }

    /// A 3×3 block without its centre: one polygon with a hole of area 1, area 8; two apart: two polygons.
    @Test func ringWithHoleAndSeparateParts() throws {
        let block = (0..<3).flatMap { x in (0..<3).map { y in (Double(x), Double(y)) } }.filter { $0 != (1, 1) }
            .map { Self.square($0.0, $0.1) }
        let outline = try #require(AreaGeometry.dissolved(block))
        #expect(outline.count == 1 && outline[0].holes.count == 1)
        #expect(abs(outline[0].area - 8) < 1e-15 && abs(outline[0].holes[0].points.count - 4) == 0)
        let apart = try #require(AreaGeometry.dissolved([Self.square(0, 0), Self.square(5, 5)]))
        #expect(apart.count == 2 && apart.map(\.area) == [1, 1])
    }

    /// Neighbours that do not share their vertices (a 1×2 rectangle beside two unit squares: a T-junction at
    /// (1, 1)) cannot be merged exactly: nil, so that the caller keeps the areas' polygons.
    @Test func tJunctionIsRefused() {
        let tall = Polygon(exterior: Ring(points: [Point(x: 0, y: 0), Point(x: 1, y: 0), Point(x: 1, y: 2), Point(x: 0, y: 2)]))
        #expect(AreaGeometry.dissolved([tall, Self.square(1, 0), Self.square(1, 1)]) == nil)
    }

    /// The 58 official Prognoseräume 2021 merged into their 12 Bezirke: one outline each, its area the sum of its
    /// Prognoseräume's (relative error below 1e-12), and no more points than the parts had.
    @Test(.enabled(if: SharedData.isAvailable, Comment(rawValue: SharedData.skipMessage)))
    func berlinBezirkeFromPrognoseraeume() throws {
        let layer = try GeoJSON.read(SharedData.url("berlin-lor-geodata/lor_prognoseraeume_2021_epsg25833.geojson"),
                                     idProperty: "PGR_ID").layer
        let byBezirk = Dictionary(grouping: layer.areas) { $0.properties["BEZ"] ?? "" }
        #expect(byBezirk.count == 12)
        var worst = 0.0
        for (bezirk, parts) in byBezirk {
            let polygons = parts.flatMap(\.polygons)
            let outline = try #require(AreaGeometry.dissolved(polygons), "Bezirk \(bezirk)")
            #expect(outline.count == 1, "Bezirk \(bezirk): \(outline.count) polygons")
            let sum = parts.reduce(0) { $0 + $1.area }, merged = outline.reduce(0) { $0 + $1.area }
            worst = max(worst, abs(merged - sum) / sum)
            #expect(outline[0].exterior.points.count < polygons.reduce(0) { $0 + $1.exterior.points.count })
        }
        #expect(worst < 1e-12, "worst relative area error \(worst)")
    }
}
