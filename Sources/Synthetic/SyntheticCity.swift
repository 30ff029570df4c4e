import AreaData
import Foundation
import LinearAlgebra
import Statistics

/// A synthetic city for tests, demos and benchmarks: N planning areas with 8-digit hierarchical ids, square
/// polygons that share edges exactly, population, and eight indicator shares that are correlated (one latent
/// "disadvantage" factor), spatially autocorrelated (the factor is smoothed over the map), trending (a second
/// smooth factor drives change), seasonal by quarter, and occasionally missing or suppressed.
///
/// Everything is a pure function of `(areaCount, seed)`: the same arguments give the same city, bit for bit.
public struct SyntheticCity: Sendable {
    /// One indicator: its code, German label and typical share in percent, and how strongly the latent factor
    /// and the seasons move it.
    public struct Indicator: Sendable {
        public let code: String
        public let label: String
        /// Its name in an English report.
        public let englishLabel: String
        let typicalShare: Double
        let loading: Double
        let seasonalAmplitude: Double
    }

    /// MSS-style index indicators S1–S4 and four context indicators K1–K4 (shares in %).
    public static let indicators: [Indicator] = [
        Indicator(code: "S1", label: "Arbeitslosigkeit (SGB II), % der 15- bis 65-Jährigen", englishLabel: "Unemployment (SGB II)", typicalShare: 5, loading: 0.55, seasonalAmplitude: 0.06),
        Indicator(code: "S2", label: "Langzeitarbeitslosigkeit, % der 15- bis 65-Jährigen", englishLabel: "Long-term unemployment", typicalShare: 2, loading: 0.6, seasonalAmplitude: 0.03),
        Indicator(code: "S3", label: "Transferbezug (SGB II/XII, nicht arbeitslos), % der Einwohner", englishLabel: "Transfer receipt (SGB II/XII, not unemployed)", typicalShare: 9, loading: 0.6, seasonalAmplitude: 0.01),
        Indicator(code: "S4", label: "Kinderarmut: unter 15-Jährige in SGB-II-Bedarfsgemeinschaften, %", englishLabel: "Child poverty: under-15s in SGB II households", typicalShare: 25, loading: 0.7, seasonalAmplitude: 0.01),
        Indicator(code: "K1", label: "Altersarmut: Grundsicherung ab 65 Jahren, %", englishLabel: "Old-age poverty: basic income support at 65 and over", typicalShare: 6, loading: 0.45, seasonalAmplitude: 0),
        Indicator(code: "K2", label: "Alleinerziehende Haushalte, % der Haushalte mit Kindern", englishLabel: "Single-parent households", typicalShare: 28, loading: 0.3, seasonalAmplitude: 0),
        Indicator(code: "K3", label: "Einwohner mit Migrationshintergrund, %", englishLabel: "Residents with a migration background", typicalShare: 35, loading: 0.35, seasonalAmplitude: 0),
        Indicator(code: "K4", label: "Wohndauer unter 5 Jahren, % der Einwohner", englishLabel: "Residence of under 5 years", typicalShare: 40, loading: 0.15, seasonalAmplitude: 0),
    ]

    public let areaCount: Int
    public let seed: UInt64
    /// Area ids in Hilbert order: `BB PP RR LL`.
    public let areaIDs: [String]
    public let areaNames: [String]
    /// Grid cell of each area; its polygon is the square `[x, x+1] × [y, y+1]` times `cellSize`.
    let cells: [(x: Int, y: Int)]
    let gridOrder: Int
    /// Latent status (disadvantage) and change factors, standardised over the city, spatially smooth.
    let status: [Double]
    let change: [Double]
    /// Indicator-specific area effects, areas × indicators.
    let areaEffects: Matrix
    let basePopulation: [Double]

    /// Edge length of a cell in metres, and the origin (EPSG:25833, south-west of Berlin).
    public static let cellSize = 1000.0
    public static let origin = Point(x: 370_000, y: 5_800_000)
    /// The reference year of the trends.
    static let centreYear = 2018.0

    /// - Throws: `invalidParameter` unless 1 ≤ areaCount ≤ 10⁸.
    public init(areaCount: Int, seed: UInt64) throws(StatisticsError) {
        guard areaCount >= 1 && areaCount <= 100_000_000 else {
            throw .invalidParameter(name: "areas", value: "\(areaCount)", expected: "an int in the range [1, 100000000]")
        }
        self.areaCount = areaCount
        self.seed = seed
        var order = 0
        while (1 << (2 * order)) < areaCount { order += 1 }
        gridOrder = order
        cells = (0..<areaCount).map { HilbertCurve.cell(at: $0, order: order) }
        (areaIDs, areaNames) = Self.hierarchicalIDs(count: areaCount, seed: seed)
        status = Self.smoothField(cells: cells, order: order, seed: seed, stream: 1)
        change = Self.smoothField(cells: cells, order: order, seed: seed, stream: 2)
        var effects = Matrix(rows: areaCount, columns: Self.indicators.count)
        var noise = RandomStream(seed: seed, stream: 3)
        for j in 0..<effects.columns { for i in 0..<areaCount { effects[i, j] = 0.25 * noise.standardNormal() } }
        areaEffects = effects
        var people = RandomStream(seed: seed, stream: 4)
        basePopulation = (0..<areaCount).map { _ in
            // 3 % small areas below the MSS threshold of 300 inhabitants; the rest log-normal around 6 500.
            people.uniform() < 0.03 ? Double(20 + people.integer(below: 280))
                : (6500 * exp(0.55 * people.standardNormal())).rounded()
        }
    }

    /// The square polygon of area `index` in EPSG:25833 metres.
    public func polygon(of index: Int) -> Polygon {
        let (x, y) = cells[index]
        let x0 = Self.origin.x + Double(x) * Self.cellSize, y0 = Self.origin.y + Double(y) * Self.cellSize
        let s = Self.cellSize
        return Polygon(exterior: Ring(points: [Point(x: x0, y: y0), Point(x: x0 + s, y: y0),
                                               Point(x: x0 + s, y: y0 + s), Point(x: x0, y: y0 + s)]))
    }

    /// Rook neighbours (shared edges) as index pairs i < j, in order.
    public func rookNeighbours() -> [(Int, Int)] {
        let side = 1 << gridOrder
        var indexOfCell = [Int32](repeating: -1, count: side * side)
        for (i, c) in cells.enumerated() { indexOfCell[c.x + c.y * side] = Int32(i) }
        var edges: [(Int, Int)] = []
        edges.reserveCapacity(2 * areaCount)
        for (i, c) in cells.enumerated() {
            for (dx, dy) in [(1, 0), (0, 1), (-1, 0), (0, -1)] {
                let x = c.x + dx, y = c.y + dy
                guard x >= 0, y >= 0, x < side, y < side else { continue }
                let j = Int(indexOfCell[x + y * side])
                if j > i { edges.append((i, j)) }
            }
        }
        return edges.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    }

    /// Population of every area in `period` (growing 0.5 % a year).
    public func population(in period: Period) -> [Double] {
        let t = Self.decimalYear(period) - Self.centreYear
        return basePopulation.map { ($0 * (1 + 0.005 * t)).rounded() }
    }

    /// Indicator shares (%) of every area in `period`, areas × indicators, rounded to two decimals.
    ///
    /// `share = 100 · logistic(logit(typical) + loading · (status + 0.06 · change · (year − 2018)) + effect
    ///          + season + 0.04 · noise)`, where the season (quarters and months only) peaks in the first quarter.
    public func values(in period: Period) -> Matrix {
        let t = Self.decimalYear(period) - Self.centreYear
        let season: Double = switch period.frequency {
        case .quarterly: cos(2 * .pi * Double(period.subperiod - 1) / 4)
        case .monthly: cos(2 * .pi * Double(period.subperiod - 1) / 12)
        default: 0
        }
        var result = Matrix(rows: areaCount, columns: Self.indicators.count)
        var noise = RandomStream(seed: seed, stream: 1000 + UInt64(bitPattern: Int64(period.ordinal)) &* 8
                                 &+ UInt64(period.frequency.periodsPerYear))
        for (j, indicator) in Self.indicators.enumerated() {
            let base = log(indicator.typicalShare / (100 - indicator.typicalShare))
            for i in 0..<areaCount {
                let latent = status[i] + 0.06 * change[i] * t
                let eta = base + indicator.loading * latent + areaEffects[i, j]
                    + indicator.seasonalAmplitude * season * 4 + 0.04 * noise.standardNormal()
                result[i, j] = (10_000 / (1 + exp(-eta))).rounded() / 100
            }
        }
        return result
    }

    /// Whether the cell is published as missing: about 0.3 % suppressed ('.'), 0.2 % empty; areas under 30
    /// inhabitants have every indicator suppressed. A pure function of (seed, area, indicator, period).
    public func missingReason(area: Int, indicator: Int, period: Period, population: Double) -> MissingReason? {
        if population < 30 { return .secret }
        let g = RandomStream(seed: seed ^ 0x4D49_5353, stream: UInt64(area) &* 64 &+ UInt64(indicator))
        var draw = g.split(UInt64(bitPattern: Int64(period.ordinal)) &* 8 &+ UInt64(period.frequency.periodsPerYear))
        let u = draw.uniform()
        return u < 0.003 ? .secret : u < 0.005 ? .empty : nil
    }

    static func decimalYear(_ period: Period) -> Double {
        switch period.frequency {
        case .annual: Double(period.year)
        case .daily: Double(period.year) + Double(period.subperiod - 1) / 12
        default: Double(period.year) + (Double(period.subperiod) - 0.5) / Double(period.frequency.periodsPerYear)
        }
    }

    /// Ids `BB PP RR LL` by nested equal chunking of the Hilbert order, each level 1-based and two digits:
    /// about 12 districts at Berlin's scale (more for larger cities, at most 99), and equal fan-out below.
    static func hierarchicalIDs(count n: Int, seed: UInt64) -> ([String], [String]) {
        let districts = max(1, min(99, min(n, Int((12 * pow(Double(n) / 542, 0.25)).rounded()))))
        let fanOut = max(1, min(99, Int(ceil(pow(Double(n) / Double(districts), 1.0 / 3)))))
        let stems = ["Linden", "Birken", "Eichen", "Kastanien", "Ahorn", "Weiden", "Ulmen", "Erlen", "Buchen", "Pappel",
                     "Akazien", "Eschen"]
        let endings = ["hof", "feld", "au", "berg", "grund", "heide", "kiez", "viertel", "straße", "park"]
        var ids: [String] = [], names: [String] = []
        ids.reserveCapacity(n); names.reserveCapacity(n)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        func chunks(_ range: Range<Int>, _ parts: Int) -> [Range<Int>] {
            let parts = max(1, min(parts, range.count))
            return (0..<parts).map { k in
                (range.lowerBound + range.count * k / parts)..<(range.lowerBound + range.count * (k + 1) / parts)
            }
        }
        for (b, district) in chunks(0..<n, districts).enumerated() {
            for (p, forecast) in chunks(district, fanOut).enumerated() {
                for (r, region) in chunks(forecast, fanOut).enumerated() {
                    for (l, _) in region.enumerated() {
                        ids.append(two(b + 1) + two(p + 1) + two(r + 1) + two(l + 1))
                        let stem = stems[(b * 7 + p * 3 + r) % stems.count]
                        let ending = endings[(l + r + p) % endings.count]
                        names.append("\(stem)\(ending) \(b + 1).\(p + 1).\(r + 1).\(l + 1)")
                    }
                }
            }
        }
        return (ids, names)
    }

    /// White noise on the grid, blurred by three passes of a separable box filter of radius 2 (≈ a Gaussian of
    /// σ ≈ 2.5 cells), then standardised over the city's cells: spatially autocorrelated, O(grid) time.
    static func smoothField(cells: [(x: Int, y: Int)], order: Int, seed: UInt64, stream: UInt64) -> [Double] {
        let side = 1 << order, radius = 2
        var generator = RandomStream(seed: seed, stream: stream)
        var grid = (0..<(side * side)).map { _ in generator.standardNormal() }
        var scratch = grid
        for _ in 0..<3 {
            for pass in 0..<2 {
                for line in 0..<side {
                    var sum = 0.0
                    func at(_ k: Int) -> Double {
                        let c = min(max(k, 0), side - 1)
                        return pass == 0 ? grid[c + line * side] : grid[line + c * side]
                    }
                    for k in -radius...radius { sum += at(k) }
                    for k in 0..<side {
                        let target = pass == 0 ? k + line * side : line + k * side
                        scratch[target] = sum / Double(2 * radius + 1)
                        sum += at(k + radius + 1) - at(k - radius)
                    }
                }
                swap(&grid, &scratch)
            }
        }
        let values = cells.map { grid[$0.x + $0.y * side] }
        guard let moments = try? Moments(values), let sd = try? moments.standardDeviation(ddof: 0), sd > 0 else {
            return values.map { _ in 0 }
        }
        return values.map { ($0 - moments.mean) / sd }
    }
}
