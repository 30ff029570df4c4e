import LinearAlgebra

/// Areas × periods × indicators: the data every analysis starts from.
///
/// Layout (docs/architecture.md): one column-major `Matrix` per period, areas × indicators, so that BLAS takes a period as it
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
    /// Rows of the table that hold totals (of a unit, or the city) rather than an area: left out of the areas.
    public var totals: [TotalRow] = []

    /// A row of totals as the table gives it: its id, period, population and values (NaN where missing), and line.
    public struct TotalRow: Sendable, Equatable {
        public let id: String
        public let period: Period
        public let population: Double
        public let values: [Double]
        public let line: Int
    }

    public var areaCount: Int { areaIDs.count }

    /// The position of `id`, or `nil`.
    public func index(ofArea id: String) -> Int? { areaIndex[id] }

    /// The panel without the areas at `positions`.
    func removingAreas(_ positions: Set<Int>) -> Panel {
        let keep = areaIDs.indices.filter { !positions.contains($0) }
        let newIndex = Dictionary(uniqueKeysWithValues: keep.enumerated().map { ($1, $0) })
        let n = areaIDs.count, m = keep.count, k = indicators.count
        let matrices = values.map { matrix in
            Matrix(rows: m, columns: k, columnMajor: (0..<k).flatMap { j in keep.map { matrix[$0, j] } })
        }
        let reasons = missingReasons.map { period in
            Dictionary(uniqueKeysWithValues: period.compactMap { key, reason -> (Int, MissingReason)? in
                guard let a = newIndex[key % n] else { return nil }
                return (a + (key / n) * m, reason)
            })
        }
        let ids = keep.map { areaIDs[$0] }
        return Panel(areaIDs: ids, areaNames: keep.map { areaNames[$0] }, periods: periods, indicators: indicators,
                     values: matrices, population: population.map { p in p.map { period in keep.map { period[$0] } } },
                     missingReasons: reasons, areaIndex: Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) }),
                     totals: totals)
    }

    /// The value of `indicator` (index) for `area` (index) in `period` (index); NaN when missing.
    public func value(area: Int, indicator: Int, period: Int) -> Double { values[period][area, indicator] }

    /// The values of `indicator` (index) in `period` (index), per area; NaN where missing.
    public func column(indicator: Int, period: Int) -> [Double] {
        (0..<areaCount).map { values[period][$0, indicator] }
    }

    /// Why the value is missing, or `nil` when it is present.
    public func missingReason(area: Int, indicator: Int, period: Int) -> MissingReason? {
        missingReasons[period][area + indicator * areaCount]
    }

    /// A panel of no areas, periods or indicators (what a run keeps of a panel it no longer needs).
    public static let empty = Panel(areaIDs: [], areaNames: [], periods: [], indicators: [], values: [], population: nil,
                                    missingReasons: [], areaIndex: [:])

    /// This panel with its periods renamed (same number, still ascending): the data stay as they are.
    public func withPeriods(_ renamed: [Period]) -> Panel {
        precondition(renamed.count == periods.count && zip(renamed, renamed.dropFirst()).allSatisfy { $0 < $1 },
                     "renamed periods must be as many and ascending")
        return Panel(areaIDs: areaIDs, areaNames: areaNames, periods: renamed, indicators: indicators, values: values,
                     population: population, missingReasons: missingReasons, areaIndex: areaIndex)
    }

    /// Reference dates (Stichtage) read as what they stand for: when every period is a date at the end of its month,
    /// the panel is monthly (`2014-12-31` → `2014-12`), at the end of a quarter quarterly, at the end of a year
    /// annual — as the Bundesagentur für Arbeit and Destatis publish monthly statistics. `nil` when the periods are
    /// no such dates.
    public func readingStichtage() -> Panel? {
        guard !periods.isEmpty, periods.allSatisfy({ $0.frequency == .daily && $0.isMonthEnd }) else { return nil }
        let months = periods.map(\.subperiod)
        let renamed: [Period] = if months.allSatisfy({ $0 == 12 }) {
            periods.map { .year($0.year) }
        } else if months.allSatisfy({ $0 % 3 == 0 }) {
            periods.map { .quarter($0.year, $0.subperiod / 3) }
        } else {
            periods.map { .month($0.year, $0.subperiod) }
        }
        return withPeriods(renamed)
    }

    /// The series of one indicator over all periods for one area.
    public func series(area: Int, indicator: Int) -> [Double] {
        values.map { $0[area, indicator] }
    }

    /// Builds a panel from observations, one per area and period, in any order. The rows of each period are kept
    /// together, flat (one row of numbers each), and scattered into that period's matrix in `build()`, which frees
    /// them period by period: reading a large table costs about its numeric payload, plus one period.
    public struct Builder {
        public let indicators: [String]
        public let hasPopulation: Bool
        private var areaIDs: [String] = []
        private var areaNames: [String] = []
        private var areaIndex: [String: Int] = [:]
        private var periods: [Period] = []
        private var periodIndex: [Period: Int] = [:]
        /// The rows of one period, in input order; `reasons` keyed by position in `values`.
        private struct Rows {
            var areas: [Int32] = [], lines: [Int32] = [], population: [Double] = [], values: [Double] = []
            var reasons: [Int: MissingReason] = [:]
        }
        private var rows: [Rows] = []

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

        /// The builder's index of `period`, registering it when new; rows usually come period by period.
        private mutating func periodPosition(_ period: Period, line: Int) throws(AreaDataError) -> Int {
            if let last = periods.last, last == period { return periods.count - 1 }
            if let first = periods.first, first.frequency != period.frequency {
                throw .mixedFrequencies(first.description, period.description, line: line)
            }
            if let known = periodIndex[period] { return known }
            periodIndex[period] = periods.count
            periods.append(period)
            // Room for as many rows as the period before had: tables repeat the areas period after period.
            var fresh = Rows()
            if let previous = rows.last {
                fresh.areas.reserveCapacity(previous.areas.count); fresh.lines.reserveCapacity(previous.areas.count)
                fresh.population.reserveCapacity(previous.areas.count); fresh.values.reserveCapacity(previous.values.count)
            }
            rows.append(fresh)
            return periods.count - 1
        }

        /// Adds a row of the area at `areaIndex` (from `index(ofArea:name:)`).
        public mutating func add(areaIndex a: Int, period: Period, population: Double = .nan, line: Int = 0,
                                 cell: (Int) -> Cell) throws(AreaDataError) {
            precondition(a >= 0 && a < areaIDs.count, "unknown area index \(a)")
            let p = try periodPosition(period, line: line)
            rows[p].areas.append(Int32(a))
            rows[p].lines.append(Int32(clamping: line))
            rows[p].population.append(population)
            for j in 0..<indicatorCount {
                switch cell(j) {
                case .value(let v): rows[p].values.append(v)
                case .missing(let reason):
                    rows[p].reasons[rows[p].values.count] = reason
                    rows[p].values.append(.nan)
                }
            }
        }

        /// Adds rows in bulk, as a reader that parsed them elsewhere holds them: row r is area `areas[r]` (from
        /// `index(ofArea:name:)`) in `periods[r]`, from input line `lines[r]`, with `values[r·k + j]` for indicator j
        /// (NaN where missing, the reason in `missing`, keyed by that position, ascending).
        /// - Throws: `mixedFrequencies` as `add` does.
        public mutating func append(areas: [Int], periods rowPeriods: [Period], population: [Double], lines: [Int],
                                    values: [Double], missing: [(index: Int, reason: MissingReason)]) throws(AreaDataError) {
            precondition(rowPeriods.count == areas.count && population.count == areas.count && lines.count == areas.count
                         && values.count == areas.count * indicatorCount, "one period, population, line and row per area")
            let k = indicatorCount, areaCount = areaIDs.count
            var r = 0, nextMissing = 0
            while r < areas.count {
                // A run of rows of one period goes in with one append per array.
                let p = try periodPosition(rowPeriods[r], line: lines[r])
                var end = r + 1
                while end < areas.count && rowPeriods[end] == rowPeriods[r] { end += 1 }
                for a in areas[r..<end] { precondition(a >= 0 && a < areaCount, "unknown area index \(a)") }
                let offset = rows[p].values.count - r * k
                while nextMissing < missing.count && missing[nextMissing].index < end * k {
                    rows[p].reasons[offset + missing[nextMissing].index] = missing[nextMissing].reason
                    nextMissing += 1
                }
                rows[p].areas.append(contentsOf: areas[r..<end].lazy.map { Int32($0) })
                rows[p].lines.append(contentsOf: lines[r..<end].lazy.map { Int32(clamping: $0) })
                rows[p].population.append(contentsOf: population[r..<end])
                rows[p].values.append(contentsOf: values[(r * k)..<(end * k)])
                r = end
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

        /// The panel; the rows are freed period by period as the matrices are made.
        /// - Parameter totals: ids of rows that hold totals, not areas (`Panel.totals`). Where such an id has two rows
        ///   in a period (a Stadtteil and a Bezirk of one name, as Hamburg's tables have), the first is the area's and
        ///   the later the total; an id that never has two is no area.
        /// - Throws: `duplicateObservation` (with the later row's line) for two rows of one area and period (three
        ///   for an id of `totals`).
        public consuming func build(totals: Set<String> = []) throws(AreaDataError) -> Panel {
            let order = periods.indices.sorted { periods[$0] < periods[$1] }
            let n = areaIDs.count, k = indicatorCount
            let marked = Set(totals.compactMap { areaIndex[$0] })
            // The marked ids that are areas too: two rows in some period.
            var alsoAreas = Set<Int>()
            for period in rows where !marked.isEmpty {
                var count: [Int: Int] = [:]
                for area in period.areas where marked.contains(Int(area)) { count[Int(area), default: 0] += 1 }
                alsoAreas.formUnion(count.filter { $0.value >= 2 }.keys)
            }
            var totalRows: [TotalRow] = []
            var matrices: [Matrix] = [], people: [[Double]] = [], reasons: [[Int: MissingReason]] = []
            var filled = [Bool](repeating: false, count: n)
            for p in order {
                let period = rows[p]
                rows[p] = Rows()  // freed when this period's matrix is made
                var elements = [Double](repeating: .nan, count: n * k), population = [Double](repeating: .nan, count: n)
                var missing: [Int: MissingReason] = [:]
                var totalRowsOfPeriod = Set<Int>()
                for slot in 0..<n { filled[slot] = false }
                for (r, area) in period.areas.enumerated() {
                    let a = Int(area)
                    if marked.contains(a) && (!alsoAreas.contains(a) || filled[a]) {
                        if alsoAreas.contains(a) && totalRows.contains(where: { $0.id == areaIDs[a] && $0.period == periods[p] }) {
                            throw .duplicateObservation(area: areaIDs[a], period: periods[p].description, line: Int(period.lines[r]))
                        }
                        totalRows.append(TotalRow(id: areaIDs[a], period: periods[p], population: period.population[r],
                                                  values: (0..<k).map { period.values[r * k + $0] }, line: Int(period.lines[r])))
                        totalRowsOfPeriod.insert(r)
                        continue
                    }
                    guard !filled[a] else {
                        throw .duplicateObservation(area: areaIDs[a], period: periods[p].description,
                                                    line: Int(period.lines[r]))
                    }
                    filled[a] = true
                    population[a] = period.population[r]
                    for j in 0..<k { elements[a + j * n] = period.values[r * k + j] }
                }
                for (index, reason) in period.reasons where !totalRowsOfPeriod.contains(index / k) {
                    missing[Int(period.areas[index / k]) + (index % k) * n] = reason
                }
                for a in 0..<n where !filled[a] { for j in 0..<k { missing[a + j * n] = .absent } }
                matrices.append(Matrix(rows: n, columns: k, columnMajor: elements))
                people.append(population)
                reasons.append(missing)
            }
            let panel = Panel(areaIDs: areaIDs, areaNames: areaNames, periods: order.map { periods[$0] },
                              indicators: indicators, values: matrices,
                              population: hasPopulation ? people : nil,
                              missingReasons: reasons, areaIndex: areaIndex,
                              totals: totalRows.sorted { ($0.line, $0.id) < ($1.line, $1.id) })
            let totalsOnly = marked.subtracting(alsoAreas)
            return totalsOnly.isEmpty ? panel : panel.removingAreas(totalsOnly)
        }
    }
}
