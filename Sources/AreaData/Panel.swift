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

    /// Builds a panel from observations, one per area and period, in any order. Observations are kept flat (one
    /// row of numbers each) and scattered into the per-period matrices once, in `build()`, so that reading a
    /// large table costs about twice its numeric payload.
    public struct Builder {
        public let indicators: [String]
        public let hasPopulation: Bool
        private var areaIDs: [String] = []
        private var areaNames: [String] = []
        private var areaIndex: [String: Int] = [:]
        private var periods: [Period] = []
        private var periodIndex: [Period: Int] = [:]
        private var observationArea: [Int32] = []
        private var observationPeriod: [Int32] = []
        private var observationLine: [Int32] = []
        private var observationPopulation: [Double] = []
        private var observationValues: [Double] = []
        private var observationReasons: [Int: MissingReason] = [:]

        public init(indicators: [String], hasPopulation: Bool) {
            self.indicators = indicators
            self.hasPopulation = hasPopulation
        }

        /// Adds the row of `area` in `period`; `cell(j)` gives indicator j. `line` names the row in errors.
        /// - Throws: `mixedFrequencies` when the period's frequency differs from the first row's.
        public mutating func add(area: String, name: String = "", period: Period, population: Double = .nan,
                                 line: Int = 0, cell: (Int) -> Cell) throws(AreaDataError) {
            if let first = periods.first, first.frequency != period.frequency {
                throw .mixedFrequencies(first.description, period.description)
            }
            let a: Int
            if let known = areaIndex[area] {
                a = known
                if areaNames[a].isEmpty { areaNames[a] = name }
            } else {
                a = areaIDs.count
                areaIndex[area] = a
                areaIDs.append(area)
                areaNames.append(name)
            }
            let p: Int
            if let known = periodIndex[period] { p = known } else {
                p = periods.count
                periodIndex[period] = p
                periods.append(period)
            }
            let observation = observationArea.count
            observationArea.append(Int32(a))
            observationPeriod.append(Int32(p))
            observationLine.append(Int32(clamping: line))
            observationPopulation.append(population)
            for j in indicators.indices {
                switch cell(j) {
                case .value(let v): observationValues.append(v)
                case .missing(let reason):
                    observationValues.append(.nan)
                    observationReasons[observation * indicators.count + j] = reason
                }
            }
        }

        /// Adds a row given as cells.
        public mutating func add(area: String, name: String = "", period: Period, population: Double = .nan,
                                 line: Int = 0, cells: [Cell]) throws(AreaDataError) {
            precondition(cells.count == indicators.count, "one cell per indicator")
            try add(area: area, name: name, period: period, population: population, line: line) { cells[$0] }
        }

        /// Renames area ids (e.g. repaired leading zeros); two ids may not become one.
        public mutating func renameAreas(_ rename: (String) -> String) {
            areaIDs = areaIDs.map(rename)
            areaIndex = Dictionary(uniqueKeysWithValues: areaIDs.enumerated().map { ($1, $0) })
        }

        /// The area ids so far, in input order.
        public var currentAreaIDs: [String] { areaIDs }

        /// The panel. - Throws: `duplicateObservation` (with the later row's line) for two rows of one area and period.
        public func build() throws(AreaDataError) -> Panel {
            let order = periods.indices.sorted { periods[$0] < periods[$1] }
            var position = [Int](repeating: 0, count: periods.count)
            for (sorted, original) in order.enumerated() { position[original] = sorted }
            let n = areaIDs.count, k = indicators.count
            var matrices = [Matrix](repeating: Matrix(rows: n, columns: k, repeating: .nan), count: periods.count)
            var reasons = [[Int: MissingReason]](repeating: [:], count: periods.count)
            var people = [[Double]](repeating: [Double](repeating: .nan, count: n), count: periods.count)
            var filled = [[Bool]](repeating: [Bool](repeating: false, count: n), count: periods.count)
            for observation in observationArea.indices {
                let a = Int(observationArea[observation]), p = position[Int(observationPeriod[observation])]
                guard !filled[p][a] else {
                    throw .duplicateObservation(area: areaIDs[a], period: periods[order[p]].description,
                                                line: Int(observationLine[observation]))
                }
                filled[p][a] = true
                people[p][a] = observationPopulation[observation]
                for j in 0..<k {
                    matrices[p][a, j] = observationValues[observation * k + j]
                    if let reason = observationReasons[observation * k + j] { reasons[p][a + j * n] = reason }
                }
            }
            for p in 0..<periods.count {
                for a in 0..<n where !filled[p][a] { for j in 0..<k { reasons[p][a + j * n] = .absent } }
            }
            return Panel(areaIDs: areaIDs, areaNames: areaNames, periods: order.map { periods[$0] },
                         indicators: indicators, values: matrices, population: hasPopulation ? people : nil,
                         missingReasons: reasons, areaIndex: areaIndex)
        }
    }
}
