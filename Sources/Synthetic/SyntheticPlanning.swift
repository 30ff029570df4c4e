import AreaData
import Statistics

extension SyntheticCity {
    /// A social facility of the synthetic city (Stadtteilzentrum, Familienzentrum, Sozialberatung).
    public struct Facility: Sendable, Equatable {
        public let id: String
        public let type: String
        /// Places or weekly consultation slots.
        public let capacity: Double
        /// EPSG:25833 metres.
        public let location: Point
    }

    /// About one facility per three areas, in random areas at uniform points of their cells; one in fifty lies
    /// exactly on a cell edge (as geocoded addresses on boundary streets do). A pure function of the seed.
    public func facilities() -> [Facility] {
        let types: [(name: String, capacity: ClosedRange<Int>)] = [
            ("Stadtteilzentrum", 80...400), ("Familienzentrum", 30...150), ("Sozialberatung", 20...80),
        ]
        var random = RandomStream(seed: seed, stream: 7)
        let count = max(1, areaCount / 3)
        return (0..<count).map { k in
            let area = random.integer(below: areaCount)
            let type = types[random.integer(below: types.count)]
            let capacity = Double(type.capacity.lowerBound + random.integer(below: type.capacity.count))
            let (cx, cy) = cells[area]
            var u = random.uniform(), v = random.uniform()
            if random.uniform() < 0.02 { u = 0 }  // on the western edge
            let point = Point(x: Self.origin.x + (Double(cx) + u) * Self.cellSize,
                              y: Self.origin.y + (Double(cy) + v) * Self.cellSize)
            return Facility(id: "E\(k + 1)", type: type.name, capacity: capacity, location: point)
        }
    }

    /// An earlier area system (before a re-cut like Berlin's in 2021): consecutive areas of one Bezirksregion merged
    /// in pairs (a last odd one stays alone). Each old area's id is its first member's id with a 9 in front (nine
    /// digits), so that no old id is a new one.
    public func legacyAreas() -> [(id: String, members: [Int])] {
        var result: [(id: String, members: [Int])] = []
        var i = 0
        while i < areaCount {
            let pair = i + 1 < areaCount && areaIDs[i].prefix(6) == areaIDs[i + 1].prefix(6)
            result.append(("9" + areaIDs[i], pair ? [i, i + 1] : [i]))
            i += pair ? 2 : 1
        }
        return result
    }
}
