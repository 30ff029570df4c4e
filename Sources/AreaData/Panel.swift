import LinearAlgebra

/// Areas × periods × indicators: the data every analysis starts from.
///
/// Layout (DESIGN.md): one column-major `Matrix` per period, areas × indicators, so that BLAS takes a period as it
/// is. Missing values are NaN in the numbers, with their reason beside them in `missingReasons`; a panel never
/// holds a NaN without a reason.
public struct Panel: Sendable {
    /// Area ids in input order (strings: leading zeros matter).
    public let areaIDs: [String]
    /// Area names, where the input has them ("" otherwise).
    public let areaNames: [String]
    /// Periods, ascending, all of one frequency.
    public let periods: [Period]
    /// Indicator names, in input order.
    public let indicators: [String]
    /// One matrix per period: areas × indicators.
    public let values: [Matrix]
    /// Population per period and area (NaN where missing), or `nil` when the input has none.
    public let population: [[Double]]?
    /// Why a value is missing, per period: `[area + indicator · areaCount: reason]`.
    public let missingReasons: [[Int: MissingReason]]
    private let areaIndex: [String: Int]

    public var areaCount: Int { areaIDs.count }

    /// The position of `id`, or `nil`.
    public func index(ofArea id: String) -> Int? { areaIndex[id] }

    /// The value of `indicator` (index) for `area` (index) in `period` (index); NaN when missing.
    public func value(area: Int, indicator: Int, period: Int) -> Double { values[period][area, indicator] }

    /// Why the value is missing, or `nil` when it is present.
    public func missingReason(area: Int, indicator: Int, period: Int) -> MissingReason? {
        missingReasons[period][area + indicator * areaCount]
    }

    /// The series of one indicator over all periods for one area.
    public func series(area: Int, indicator: Int) -> [Double] {
        values.map { $0[area, indicator] }
    }

    /// Builds a panel from observations, one per area and period.
    public struct Builder {
        public let indicators: [String]
        public let hasPopulation: Bool
        private var areaIDs: [String] = []
        private var areaNames: [String] = []
        private var areaIndex: [String: Int] = [:]
        private var observations: [Period: [Int: (population: Double, cells: [Cell])]] = [:]
        private var frequency: Period?

        public init(indicators: [String], hasPopulation: Bool) {
            self.indicators = indicators
            self.hasPopulation = hasPopulation
        }

        /// Adds the row of `area` in `period`.
        /// - Throws: `duplicateObservation` for a second row of the same area and period; `mixedFrequencies`.
        public mutating func add(area: String, name: String = "", period: Period, population: Double = .nan,
                                 cells: [Cell]) throws(AreaDataError) {
            precondition(cells.count == indicators.count, "one cell per indicator")
            if let first = frequency, first.frequency != period.frequency {
                throw .mixedFrequencies(first.description, period.description)
            }
            frequency = frequency ?? period
            let index: Int
            if let known = areaIndex[area] {
                index = known
                if areaNames[index].isEmpty { areaNames[index] = name }
            } else {
                index = areaIDs.count
                areaIndex[area] = index
                areaIDs.append(area)
                areaNames.append(name)
            }
            guard observations[period, default: [:]][index] == nil else {
                throw .duplicateObservation(area: area, period: period.description)
            }
            observations[period, default: [:]][index] = (population, cells)
        }

        public func build() -> Panel {
            let periods = observations.keys.sorted()
            let n = areaIDs.count, k = indicators.count
            var matrices: [Matrix] = [], reasons: [[Int: MissingReason]] = [], population: [[Double]] = []
            for period in periods {
                let rows = observations[period]!
                var matrix = Matrix(rows: n, columns: k, repeating: .nan)
                var missing: [Int: MissingReason] = [:]
                var people = [Double](repeating: .nan, count: n)
                for area in 0..<n {
                    guard let row = rows[area] else {
                        for j in 0..<k { missing[area + j * n] = .absent }
                        continue
                    }
                    people[area] = row.population
                    for (j, cell) in row.cells.enumerated() {
                        switch cell {
                        case .value(let v): matrix[area, j] = v
                        case .missing(let reason): missing[area + j * n] = reason
                        }
                    }
                }
                matrices.append(matrix)
                reasons.append(missing)
                population.append(people)
            }
            return Panel(areaIDs: areaIDs, areaNames: areaNames, periods: periods, indicators: indicators,
                         values: matrices, population: hasPopulation ? population : nil, missingReasons: reasons,
                         areaIndex: areaIndex)
        }
    }
}
