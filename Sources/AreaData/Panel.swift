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

        private let indicatorCount: Int

        public init(indicators: [String], hasPopulation: Bool) {
            self.indicators = indicators
            self.indicatorCount = indicators.count
            self.hasPopulation = hasPopulation
        }

        /// Adds the row of `area` in `period`; `cell(j)` gives indicator j. `line` names the row in errors.
        /// - Throws: `mixedFrequencies` when the period's frequency differs from the first row's.
        public mutating func add(area: String, name: String = "", period: Period, population: Double = .nan,
                                 line: Int = 0, cell: (Int) -> Cell) throws(AreaDataError) {
            let a = index(ofArea: area, name: name)
            try add(areaIndex: a, period: period, population: population, line: line, cell: cell)
        }

        /// The index of `area`, registering it (with `name`) when it is new: readers that intern ids themselves
        /// call this once per area and then `add(areaIndex:…)` for every row.
        public mutating func index(ofArea area: String, name: String = "") -> Int {
            if let known = areaIndex[area] {
                if !name.isEmpty && areaNames[known].isEmpty { areaNames[known] = name }
                return known
            }
            areaIndex[area] = areaIDs.count
            areaIDs.append(area)
            areaNames.append(name)
            return areaIDs.count - 1
        }

        /// Adds a row of the area at `areaIndex` (from `index(ofArea:name:)`).
        public mutating func add(areaIndex a: Int, period: Period, population: Double = .nan, line: Int = 0,
                                 cell: (Int) -> Cell) throws(AreaDataError) {
            precondition(a >= 0 && a < areaIDs.count, "unknown area index \(a)")
            if let first = periods.first, first.frequency != period.frequency {
                throw .mixedFrequencies(first.description, period.description)
            }
            let p: Int
            if let last = periods.last, last == period { p = periods.count - 1 }  // rows come period by period
            else if let known = periodIndex[period] { p = known } else {
                p = periods.count
                periodIndex[period] = p
                periods.append(period)
            }
            let observation = observationArea.count
            observationArea.append(Int32(a))
            observationPeriod.append(Int32(p))
            observationLine.append(Int32(clamping: line))
            observationPopulation.append(population)
            for j in 0..<indicatorCount {
                switch cell(j) {
                case .value(let v): observationValues.append(v)
                case .missing(let reason):
                    observationValues.append(.nan)
                    observationReasons[observation * indicatorCount + j] = reason
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
            let n = areaIDs.count, k = indicatorCount, periodCount = periods.count
            // Flat, column-major per period: value (a, j) of period p at p·n·k + a + j·n.
            var values = [Double](repeating: .nan, count: periodCount * n * k)
            var people = [Double](repeating: .nan, count: periodCount * n)
            var filled = [Bool](repeating: false, count: periodCount * n)
            for observation in observationArea.indices {
                let a = Int(observationArea[observation]), p = position[Int(observationPeriod[observation])]
                guard !filled[p * n + a] else {
                    throw .duplicateObservation(area: areaIDs[a], period: periods[order[p]].description,
                                                line: Int(observationLine[observation]))
                }
                filled[p * n + a] = true
                people[p * n + a] = observationPopulation[observation]
                let base = p * n * k + a, source = observation * k
                for j in 0..<k { values[base + j * n] = observationValues[source + j] }
            }
            var reasons = [[Int: MissingReason]](repeating: [:], count: periodCount)
            for (key, reason) in observationReasons {
                let observation = key / k, j = key % k
                let p = position[Int(observationPeriod[observation])], a = Int(observationArea[observation])
                reasons[p][a + j * n] = reason
            }
            for p in 0..<periodCount {
                for a in 0..<n where !filled[p * n + a] { for j in 0..<k { reasons[p][a + j * n] = .absent } }
            }
            let matrices = (0..<periodCount).map { p in
                Matrix(rows: n, columns: k, columnMajor: Array(values[(p * n * k)..<((p + 1) * n * k)]))
            }
            return Panel(areaIDs: areaIDs, areaNames: areaNames, periods: order.map { periods[$0] },
                         indicators: indicators, values: matrices,
                         population: hasPopulation ? (0..<periodCount).map { Array(people[($0 * n)..<(($0 + 1) * n)]) } : nil,
                         missingReasons: reasons, areaIndex: areaIndex)
        }
    }
}
