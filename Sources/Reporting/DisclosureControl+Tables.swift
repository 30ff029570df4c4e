import SozmonIO

extension DisclosureControl {
    /// The tables with the pattern applied, and how many cells were suppressed.
    public func apply(to tables: [Table]) -> (tables: [Table], suppressed: Int) {
        let results = tables.map(apply)
        return (results.map(\.table), results.reduce(0) { $0 + $1.suppressed })
    }

    /// The table with the pattern applied, and how many cells were suppressed.
    public func apply(to table: Table) -> (table: Table, suppressed: Int) {
        guard threshold > 0 else { return (table, 0) }
        var marks: Set<Mark> = []
        if table.roles.contains(.areaID) { markAreaRows(table, &marks) } else { markUnitRows(table, &marks) }
        var out = table
        for mark in marks { out.replace(row: mark.row, column: mark.column, with: .text(Self.symbol)) }
        return (out, marks.count)
    }

    /// A cell to suppress.
    struct Mark: Hashable { var row: Int, column: Int }

    /// The columns that go with a withheld count `variable`: rates of the row, its derived columns (shares, the partner
    /// count), their z-values and the index values made from those z-values.
    func columnsGoingWith(_ variable: String, in table: Table) -> [Int] {
        let shares = Set(derived[variable] ?? [])
        return table.roles.indices.filter { k in
            switch table.roles[k] {
            case .rate: true
            case .zValue(let indicator): shares.contains(indicator)
            case .index(let indicators): !shares.isDisjoint(with: indicators)
            default: shares.contains(table.columns[k])
            }
        }
    }

    /// Every number of row `i` that is not a key.
    static func numbers(of i: Int, in table: Table) -> [Int] {
        table.roles.indices.filter { k in
            switch table.roles[k] {
            case .areaID, .period, .key, .unit, .relatedArea: false
            default: Self.isNumber(table[i, k])
            }
        }
    }

    /// The areas whose population is small: every row of theirs, in every table per area (trends, quarters, spatial
    /// statistics, comparable areas …), publishes no number — with their shares known, the population-weighted level
    /// means and a partner's published shares would give the count back.
    public var smallAreas: [String] {
        guard let pattern = patterns["population"] else { return [] }
        return areas.ids.indices.filter { pattern.primary[$0] }.map { areas.ids[$0] }
    }

    /// `table` (a row per area) with every number of the rows of `ids` suppressed, as `apply` suppresses the rows of
    /// small populations (for the tables a part run's finish puts together without an edition).
    public static func suppressingRows(of ids: Set<String>, in table: Table) -> Table {
        guard !ids.isEmpty, let idColumn = table.roles.firstIndex(of: .areaID) else { return table }
        var out = table
        for (i, cell) in table.column(idColumn).enumerated() where ids.contains(text(cell)) {
            for k in numbers(of: i, in: table) { out.replace(row: i, column: k, with: .text(symbol)) }
        }
        return out
    }

    /// Rows per area: every number of a small population's rows; each count column with its pattern (the reference
    /// period's, or one made for another period of the table from its own values).
    private func markAreaRows(_ table: Table, _ marks: inout Set<Mark>) {
        let roles = table.roles
        let countColumns = roles.indices.compactMap { j -> (Int, String)? in
            if case .count(let variable) = roles[j] { return (j, variable) }
            return nil
        }
        // Most tables per area (trends, quarters: millions of rows at 10⁶ areas) have no count: their ids are read only
        // where a population is small.
        guard let idColumn = roles.firstIndex(of: .areaID), !countColumns.isEmpty || patterns["population"] != nil else { return }
        let ids = table.column(idColumn).map(Self.text)
        if let population = patterns["population"] {
            let isSmall = { (id: String) in index[id].map { population.primary[$0] } == true }
            let related = roles.firstIndex(of: .relatedArea).map { table.column($0).map(Self.text) }
            for (i, id) in ids.enumerated() where isSmall(id) || related.map({ isSmall($0[i]) }) == true {
                for k in Self.numbers(of: i, in: table) { marks.insert(Mark(row: i, column: k)) }
            }
        }
        guard !countColumns.isEmpty else { return }
        let periods = roles.firstIndex(of: .period).map { table.column($0).map(Self.text) }
        var rowsOfPeriod: [String: [Int]] = [:]
        for i in ids.indices { rowsOfPeriod[periods?[i] ?? "", default: []].append(i) }
        for (j, variable) in countColumns {
            let goesWith = columnsGoingWith(variable, in: table)
            for (period, rows) in rowsOfPeriod {
                guard let pattern = pattern(of: variable, period: period, rows: rows, table: table, column: j, ids: ids) else { continue }
                for i in rows {
                    guard let a = index[ids[i]], pattern.suppressed[a] else { continue }
                    marks.insert(Mark(row: i, column: j))
                    for k in goesWith { marks.insert(Mark(row: i, column: k)) }
                    if pattern.primary[a] && Self.people.contains(variable) {
                        for k in Self.numbers(of: i, in: table) { marks.insert(Mark(row: i, column: k)) }
                    }
                }
            }
        }
    }

    /// The pattern of `variable` in `period`: the edition's for its reference period (or a table without periods),
    /// else one made from the table's rows of that period (sums over units and the city).
    private func pattern(of variable: String, period: String, rows: [Int], table: Table, column j: Int,
                         ids: [String]) -> SuppressionPattern? {
        if period.isEmpty || period == referencePeriod { return patterns[variable] }
        var values = [Double](repeating: .nan, count: areas.ids.count)
        for i in rows { if let a = index[ids[i]] { values[a] = Self.value(table[i, j]) } }
        guard values.contains(where: isSmall) else { return nil }
        let places = self.places.isEmpty ? Self.places(of: areas) : self.places
        let sums = areas.ids.indices.map { Self.sums(of: $0, areas, places, withClasses: false) }
        return SuppressionPattern(values: values, sums: sums, scopes: Self.scopes(areas), order: areas.ids,
                                  threshold: threshold, protection: protection)
    }

    /// Rows per unit of a level (or the city): withheld totals, class populations, and every number of a row whose
    /// unit's (or parent unit's) population is withheld.
    private func markUnitRows(_ table: Table, _ marks: inout Set<Mark>) {
        guard !patterns.isEmpty else { return }  // nothing is withheld at any level
        let units = table.roles.indices.compactMap { j -> (column: Int, level: Int)? in
            if case .unit(let level) = table.roles[j] { return (j, level) }
            return nil
        }
        guard let own = units.first else { return }
        for i in 0..<table.rowCount {
            let id = Self.text(table[i, own.column])
            let level: Int? = places[.unit(level: own.level, id: id)] == nil && id == Self.city ? nil : own.level
            for (j, role) in table.roles.enumerated() {
                switch role {
                case .count(let variable) where isWithheld(variable, level: level, unit: id):
                    marks.insert(Mark(row: i, column: j))
                    for k in columnsGoingWith(variable, in: table) { marks.insert(Mark(row: i, column: k)) }
                case .classPopulation(let index, let label) where level.map({ isWithheld(index: index, label: label, level: $0, unit: id) }) == true:
                    marks.insert(Mark(row: i, column: j))
                default: break
                }
            }
            let withheld = units.contains { unit in
                let unitID = Self.text(table[i, unit.column])
                let unitLevel: Int? = unit.column == own.column ? level : unit.level
                return isWithheldUnit(level: unitLevel, id: unitID) || isWithheld("target_population", level: unitLevel, unit: unitID)
            }
            if withheld { for k in Self.numbers(of: i, in: table) { marks.insert(Mark(row: i, column: k)) } }
        }
    }

    /// The id the city's row carries in tables per unit.
    public static let city = "Stadt"

    static func isNumber(_ cell: Table.Cell) -> Bool {
        switch cell {
        case .number(let v): !v.isNaN
        case .integer: true
        default: false
        }
    }

    static func value(_ cell: Table.Cell) -> Double {
        switch cell {
        case .number(let v): v
        case .integer(let v): Double(v)
        default: .nan
        }
    }

    static func text(_ cell: Table.Cell) -> String {
        if case .text(let s) = cell { return s }
        return ""
    }
}
