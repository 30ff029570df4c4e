import AreaData
import Indicators
import SozmonIO

extension Edition {
    /// The tables of docs/report.md §3 for an index edition, in a fixed order: `areas`, `attention_areas` (with a combined
    /// index), one `summary_<level>` per level, `changes` (with a previous edition), `diagnostics_<index>`,
    /// `uncertainty_<index>`. Pure: the same edition gives the same tables.
    public func tables() -> [Table] {
        [areasTable()] + attentionTables() + summaryTables() + furtherTables()
    }

    /// `attention_areas`, with a combined index.
    public func attentionTables() -> [Table] { combined != nil ? [attentionTable()] : [] }

    /// One `summary_<level>` per entry of `summaries` (in their order).
    public func summaryTables() -> [Table] { summaries.map(summaryTable) }

    /// `changes`, `diagnostics_<index>`, `treatment_<index>`, `uncertainty_<index>` (Monte Carlo and/or leave one out).
    public func furtherTables() -> [Table] {
        let names = indices.map(\.definition.name).filter { name in
            uncertainty.contains { $0.index == name } || sensitivity.contains { $0.index == name }
        }
        return (previousClasses != nil ? [changesTable()] : []) + diagnostics.map { diagnosticsTable($0.index, $0.diagnostics) }
            + treatments.map { treatmentTable($0.index, $0.indicators) }
            + names.map { name in
                uncertaintyTable(name, uncertainty.first { $0.index == name }?.analysis,
                                 sensitivity.first { $0.index == name }?.analysis)
            }
    }

    private var parentColumns: [String] { levelNames.map(Self.idColumn) }

    /// The roles of the columns that tables per area share: ids, names, period and population.
    private var areaRoles: [String: ColumnRole] {
        var roles: [String: ColumnRole] = ["area_id": .areaID, "area_name": .key, "population": .count(of: "population")]
        for column in parentColumns { roles[column] = .key }
        for name in indicatorNames where countColumns.contains(name) { roles[name] = .count(of: name) }
        return roles
    }

    /// The index indicators whose z-values are shown, in order of first use.
    private var zIndicators: [String] {
        var seen: [String] = []
        for index in indices { for name in index.definition.indicators where !seen.contains(name) { seen.append(name) } }
        return seen
    }

    public func areasTable() -> Table {
        let zNames = zIndicators
        var columns = ["area_id", "area_name"] + parentColumns + ["period", "population", "eligible", "exclusion_reason", "scored", "unscored_reason"]
        columns += indicatorNames + zNames.map { "z_\($0)" }
        for index in indices {
            let n = index.definition.name
            columns += ["\(n)_sum", "\(n)_value", "\(n)_class"]
        }
        if combined != nil { columns += ["combined_class", "combined_code", "attention"] }
        columns.append("missing")
        var roles = areaRoles
        roles["period"] = .period
        for name in zNames { roles["z_\(name)"] = .zValue(of: name) }
        for index in indices {
            for column in ["_sum", "_value"] { roles[index.definition.name + column] = .index(using: index.definition.indicators) }
        }
        var table = Table(name: "areas", columns: columns, roles: roles)
        let n = areaIDs.count, values = indicatorValues, eligible = eligible
        var cells: [Table.Column] = [.texts(areaIDs), .texts(areaNames)]
        cells += levelNames.indices.map { level in .texts(parents.map { $0[level] }) }
        cells += [period == .unknown ? .empty : .constant(.text(period.description)), .numbers(population), .bools(eligible),
                  .texts(exclusionReasons.map { $0?.rawValue ?? "" })]
        cells += unscoredReasons.isEmpty
            ? [.constant(.bool(true)), .empty] : [.bools(unscoredReasons.map { $0 == nil }), .texts(unscoredReasons.map { $0?.rawValue ?? "" })]
        cells += indicatorNames.indices.map { j in .computed(count: n) { .value(values[$0, j]) } }
        for name in zNames {
            let index = indices.first { $0.definition.indicators.contains(name) }!
            let j = index.definition.indicators.firstIndex(of: name)!, z = index.normalized
            cells.append(.computed(count: n) { eligible[$0] ? .value(z[$0, j]) : .empty })
        }
        for index in indices {
            cells += [.numbers(index.aggregate), .numbers(index.value),
                      .coded(index.classes.positions, labels: index.classes.scheme?.classes.map(\.label) ?? [])]
        }
        if let combined {
            cells += [.texts(combined.map { $0?.label ?? "" }), .integers(combined.map { $0?.code }),
                      .bools(combined.map { $0?.attention })]
        }
        cells.append(.texts(missing.map { $0.map { "\($0.indicator)=\($0.reason.rawValue)" }.joined(separator: ";") }))
        table.append(Table.Block(count: n, columns: cells))
        return table
    }

    func attentionTable() -> Table {
        var columns = ["area_id", "area_name"] + parentColumns + ["population"]
        columns += indices.map { "\($0.definition.name)_class" } + ["combined_class"] + indicatorNames
        var table = Table(name: "attention_areas", columns: columns, roles: areaRoles)
        for i in areaIDs.indices where combined?[i]?.attention == true {
            var row: [Table.Cell] = [.text(areaIDs[i]), .text(areaNames[i])] + parents[i].map { .text($0) }
            row.append(.value(population[i]))
            row += indices.map { .optional($0.classes[i]?.label) }
            row.append(.optional(combined?[i]?.label))
            row += (0..<indicatorNames.count).map { .value(indicatorValues[i, $0]) }
            table.append(row)
        }
        return table
    }

    /// A class label as part of a summary's column code: `sehr niedrig` → `sehr_niedrig`.
    static func classSlug(_ label: String) -> String { label.replacingOccurrences(of: " ", with: "_") }

    func summaryTable(_ summary: LevelSummary) -> Table {
        let labelsByIndex = indices.compactMap { index -> (String, [String])? in
            guard let scheme = index.definition.classes else { return nil }
            return (index.definition.name, scheme.classes.map(\.label) + [""])
        }
        let level = levelNames.firstIndex(of: summary.levelName)!
        let names = level < unitNames.count ? unitNames[level] : [:]
        let nameColumn = names.isEmpty ? [] : [String(Self.idColumn(of: summary.levelName).dropLast(3)) + "_name"]
        var columns = [Self.idColumn(of: summary.levelName)] + nameColumn + ["areas", "population"]
        var roles: [String: ColumnRole] = [columns[0]: .unit(level: level), "population": .count(of: "population")]
        for column in nameColumn { roles[column] = .key }
        for (name, labels) in labelsByIndex {
            for label in labels {
                let slug = label.isEmpty ? "unclassified" : Self.classSlug(label)
                columns += ["\(name)_\(slug)_areas", "\(name)_\(slug)_population"]
                roles[columns.last!] = .classPopulation(index: name, label: label)
            }
        }
        columns += indicatorNames
        for name in indicatorNames where countColumns.contains(name) { roles[name] = .count(of: name) }
        var table = Table(name: "summary_\(Self.idColumn(of: summary.levelName).dropLast(3))", columns: columns, roles: roles)
        var membersOfUnit: [String: [Int]] = [:]
        for i in areaIDs.indices { membersOfUnit[parents[i][level], default: []].append(i) }
        for unit in summary.units {
            let members = membersOfUnit[unit.id] ?? []
            var row: [Table.Cell] = [.text(unit.id)] + nameColumn.map { _ in .text(names[unit.id] ?? "") }
                + [.integer(unit.areaCount), .value(unit.population)]
            for (name, labels) in labelsByIndex {
                let index = indices.first { $0.definition.name == name }!
                for label in labels {
                    let inClass = members.filter { (index.classes[$0]?.label ?? "") == label }
                    row += [.integer(inClass.count),
                            .value(inClass.reduce(0.0) { $0 + (population[$1].isNaN ? 0 : population[$1]) })]
                }
            }
            row += unit.indicatorMeans.map { .value($0) }
            table.append(row)
        }
        return table
    }

    func changesTable() -> Table {
        var columns = ["area_id", "area_name"]
        for index in indices where index.definition.classes != nil {
            let n = index.definition.name
            columns += ["\(n)_class_previous", "\(n)_class", "\(n)_changed"]
        }
        var table = Table(name: "changes", columns: columns)
        for i in areaIDs.indices {
            let previous = previousClasses?[areaIDs[i]]
            var row: [Table.Cell] = [.text(areaIDs[i]), .text(areaNames[i])]
            for index in indices where index.definition.classes != nil {
                let before = previous?[index.definition.name], now = index.classes[i]?.label
                row += [.optional(before), .optional(now),
                        (before == nil && previous == nil) ? .empty : .bool((before ?? "") != (now ?? ""))]
            }
            table.append(row)
        }
        return table
    }

    func diagnosticsTable(_ index: String, _ d: IndicatorDiagnostics) -> Table {
        Self.diagnosticsTable(index, indicators: indices.first { $0.definition.name == index }!.definition.indicators, d)
    }

    /// `diagnostics_<index>`: Cronbach's alpha, correlations, eigenvalues, explained variance, loadings, PCA weights.
    public static func diagnosticsTable(_ index: String, indicators names: [String], _ d: IndicatorDiagnostics) -> Table {
        var table = Table(name: "diagnostics_\(index)", columns: ["statistic", "row", "column", "value"])
        table.append([.text("cronbach_alpha"), .empty, .empty, .value(d.cronbachAlpha)])
        for a in names.indices {
            for b in names.indices { table.append([.text("correlation"), .text(names[a]), .text(names[b]), .value(d.correlation[a, b])]) }
        }
        for c in d.eigenvalues.indices {
            table.append([.text("eigenvalue"), .text("PC\(c + 1)"), .empty, .value(d.eigenvalues[c])])
            table.append([.text("explained_variance_ratio"), .text("PC\(c + 1)"), .empty, .value(d.explainedVarianceRatio[c])])
        }
        for a in names.indices {
            for c in d.eigenvalues.indices { table.append([.text("loading"), .text(names[a]), .text("PC\(c + 1)"), .value(d.loadings[a, c])]) }
        }
        for (a, w) in d.firstComponentWeights.enumerated() { table.append([.text("pca_weight"), .text(names[a]), .empty, .value(w)]) }
        return table
    }

    /// `uncertainty_<index>`: per scored area the Monte Carlo ranks (`[uncertainty]`: median_rank, rank_p05, rank_p95,
    /// class_change_share) and the leave-one-out sensitivity (`sensitivity = true`: rank, then per indicator j
    /// rank_shift_without_<j> and class_change_without_<j>, and max_abs_rank_shift).
    func uncertaintyTable(_ index: String, _ u: UncertaintyAnalysis?, _ s: LeaveOneOut?) -> Table {
        var columns = ["area_id"]
        if u != nil { columns += ["median_rank", "rank_p05", "rank_p95", "class_change_share"] }
        if let s {
            columns += ["rank"] + s.indicators.flatMap { ["rank_shift_without_\($0)", "class_change_without_\($0)"] }
                + ["max_abs_rank_shift"]
        }
        var table = Table(name: "uncertainty_\(index)", columns: columns, roles: ["area_id": .areaID])
        for i in areaIDs.indices where !(u?.medianRank[i] ?? s!.rank[i]).isNaN {
            var row: [Table.Cell] = [.text(areaIDs[i])]
            if let u {
                row += [.value(u.medianRank[i]), .value(u.rankInterval5[i]), .value(u.rankInterval95[i]), .value(u.classChangeShare[i])]
            }
            if let s {
                row.append(.value(s.rank[i]))
                for j in s.indicators.indices {
                    row += [.value(s.rankShift[j][i]), s.classChanged[j][i].map { Table.Cell.bool($0) } ?? .empty]
                }
                row.append(.value(s.rankShift.map { abs($0[i]) }.filter { !$0.isNaN }.max() ?? .nan))
            }
            table.append(row)
        }
        return table
    }

    /// `treatment_<index>`: per indicator, the missing values imputed and what the outlier treatment did (points,
    /// bounds, skewness and kurtosis before and after; empty without it).
    func treatmentTable(_ index: String, _ treated: [TreatedIndicator]) -> Table {
        var table = Table(name: "treatment_\(index)", columns: [
            "indicator", "imputed", "winsorized_points", "lower_bound", "upper_bound", "skewness_before", "kurtosis_before",
            "skewness_after", "kurtosis_after"], roles: ["indicator": .key])
        for t in treated {
            let w = t.winsorization
            func bound(_ x: Double?) -> Table.Cell { x.map { $0.isFinite ? .value($0) : .empty } ?? .empty }
            table.append([.text(t.indicator), .integer(t.imputed), w.map { .integer($0.pointsTreated) } ?? .empty,
                          bound(w?.lower), bound(w?.upper), w.map { .value($0.skewnessBefore) } ?? .empty,
                          w.map { .value($0.kurtosisBefore) } ?? .empty, w.map { .value($0.skewnessAfter) } ?? .empty,
                          w.map { .value($0.kurtosisAfter) } ?? .empty])
        }
        return table
    }
}
