import AreaData
import Foundation
import Indicators
import LinearAlgebra
import Reporting
import SozmonIO

/// The edition of the reference period: eligibility, the indicators with the derived ones, every `[[index]]` with its
/// diagnostics and uncertainty, the combined classes and the level summaries.
struct IndexStep: RunStep {
    let context: RunContext

    /// The reference period's areas and indicators, from which the indices are computed.
    struct Prepared {
        let period: Period
        let parents: [[String]]
        let population: [Double]
        let reasons: [EligibilityRule.Reason?]
        let eligible: [Bool]
        let indicators: ReferenceIndicators
        let values: Matrix
    }

    /// Eligibility and the indicators of the reference period with the derived ones.
    /// - Parameter wholeCity: false for a part of a distributed run, which may have no eligible area.
    func prepare(_ inputs: InputSet, wholeCity: Bool = true) throws -> Prepared {
        let panel = inputs.panel
        let file = config.url(config.input.table).path
        guard let latest = panel.periods.last else { throw InputError(file: file, message: "the table has no data rows") }
        // A table without a period column is the one period of its Stichtag (as read: 2022-06-30 is 2022Q2).
        let period = config.input.period == nil ? latest : config.input.referencePeriod ?? latest
        guard let t = panel.periods.firstIndex(of: period) else {
            throw InputError(file: file, message: "reference period \(period) is not in the table (it has "
                             + "\(panel.periods.first!)…\(latest))")
        }
        let n = panel.areaCount
        var parents: [[String]] = []
        for id in panel.areaIDs {
            do { parents.append(try (0..<hierarchy.levelNames.count).map { try hierarchy.parent(of: id, level: $0) }) }
            catch { throw InputError(file: file, message: "\(error)") }
        }
        let population = panel.population?[t] ?? [Double](repeating: .nan, count: n)
        let rule = EligibilityRule(minimumPopulation: panel.population == nil ? nil : config.eligibility.minPopulation,
                                   excludedAreas: Set(config.eligibility.exclude))
        // (A part of a distributed run has only some areas: `PartJob.split` checks the list against the whole table.)
        for id in config.eligibility.exclude where wholeCity && panel.index(ofArea: id) == nil {
            throw config.error(at: "eligibility.exclude", "eligibility.exclude names area \(id), which the table does not have")
        }
        let reasons = panel.areaIDs.indices.map { rule.reason(area: panel.areaIDs[$0], population: population[$0]) }
        let eligible = reasons.map { $0 == nil }
        if wholeCity && !config.indices.isEmpty && eligible.allSatisfy({ !$0 }) {
            let largest = population.filter { !$0.isNaN }.max().map { " (the largest population is \($0.plainText))" } ?? ""
            throw config.error(at: "eligibility", "no area is eligible in \(period): "
                             + "eligibility.min_population = \((config.eligibility.minPopulation ?? 0).plainText) and "
                             + "eligibility.exclude leave none\(largest)")
        }

        // Indicator columns: those of the table, then the shares from counts and the changes the indices ask for.
        var indicators = ReferenceIndicators(panel: panel, period: t)
        do {
            for (name, pair) in config.input.counts.sorted(by: { $0.key < $1.key }) {
                try indicators.addShare(name, numerator: pair.numerator, denominator: pair.denominator)
            }
            for index in config.indices {
                for name in index.indicators { try indicators.require(name, lag: index.lag) }
            }
        } catch {
            let tableColumns = panel.indicators.joined(separator: ", ")
            switch error {
            case let .countsNotInTable(share, numerator, denominator):
                throw InputError(file: file, line: 1, message: "input.counts.\(share) names columns \(numerator) and "
                                 + "\(denominator); the table has \(tableColumns)")
            case .unknownIndicator(let name):
                let index = config.indices.first { $0.indicators.contains(name) }!.name
                throw config.error(at: config.path(ofIndex: index) + ".indicators", "index '\(index)' uses indicator '\(name)', "
                                 + "which the table does not have (columns: \(tableColumns))")
            case let .periodLacking(change, base, now, earlier):
                let index = config.indices.first { $0.indicators.contains(change) }!.name
                throw InputError(file: file, message: "index '\(index)': \(change) = \(base)(\(now)) − \(base)(\(earlier)) "
                                 + "needs period \(earlier), which the table lacks")
            }
        }
        return Prepared(period: period, parents: parents, population: population, reasons: reasons, eligible: eligible,
                        indicators: indicators, values: indicators.values)

    }

    /// An index's definition and the values it is computed on (imputed and winsorised as it asks), with what the
    /// treatment did.
    func indexInputs(_ index: RunConfig.Index, _ p: Prepared) throws
        -> (definition: IndexDefinition, values: Matrix, treatment: [TreatedIndicator]?) {
        let names = p.indicators.names
        var definition = index.definition
        // (Every indicator of an index is in `names`: `prepare` required it.)
        var subset = p.values.selectingColumns(index.indicators.compactMap { names.firstIndex(of: $0) })
        var treatment: [TreatedIndicator]?
        if index.impute != .none || index.winsorize != .none {
            let treated = try treat(subset, index: index, eligible: p.eligible, parents: p.parents)
            subset = treated.values
            treatment = treated.record
        }
        if index.pcaWeights {
            let complete = (0..<subset.rows).filter { i in p.eligible[i] && (0..<subset.columns).allSatisfy { !subset[i, $0].isNaN } }
            do { definition.weights = try IndicatorDiagnostics(values: subset.selectingRows(complete)).firstComponentWeights }
            catch { throw config.error(at: config.path(ofIndex: index.name) + ".pca_weights", "index '\(index.name)': PCA weights: \(error)") }
        }
        return (definition, subset, treatment)
    }

    /// The edition.
    /// - Parameter known: for a part of a distributed run, each index's moments merged over all parts.
    func run(_ inputs: InputSet, timings: Timings, known: [String: IndexMoments]? = nil) throws -> Edition {
        let prepared = try prepare(inputs, wholeCity: known == nil)
        let panel = inputs.panel, n = panel.areaCount
        let (period, parents, population) = (prepared.period, prepared.parents, prepared.population)
        let (reasons, eligible, indicators) = (prepared.reasons, prepared.eligible, prepared.indicators)
        let names = indicators.names, counts = indicators.counts, values = prepared.values
        var results: [IndexResult] = []
        var diagnostics: [(index: String, diagnostics: IndicatorDiagnostics)] = []
        var uncertainty: [(index: String, analysis: UncertaintyAnalysis)] = []
        var sensitivity: [(index: String, analysis: LeaveOneOut)] = []
        var treatments: [(index: String, indicators: [TreatedIndicator])] = []
        for index in config.indices {
            let (definition, subset, treatment) = try indexInputs(index, prepared)
            if let treatment { treatments.append((index.name, treatment)) }
            let result = try timings.measure("index \(index.name)") {
                try definition.compute(values: subset, eligible: eligible, population: population, known: known?[index.name])
            }
            results.append(result)
            if config.report.diagnostics && index.indicators.count >= 2 {
                let scoredRows = (0..<n).filter { result.scored[$0] }
                if let d = try? IndicatorDiagnostics(values: subset.selectingRows(scoredRows)) {
                    diagnostics.append((index.name, d))
                }
            }
            if config.uncertainty.runs > 0 {
                let analysis = try timings.measure("uncertainty \(index.name)") {
                    try UncertaintyAnalysis(definition: definition, values: subset, eligible: eligible,
                                            runs: config.uncertainty.runs, seed: config.uncertainty.seed,
                                            weightConcentration: config.uncertainty.concentration)
                }
                uncertainty.append((index.name, analysis))
            }
            if index.sensitivity {
                let analysis = try timings.measure("sensitivity \(index.name)") {
                    do { return try LeaveOneOut(definition: definition, values: subset, eligible: eligible, population: population) }
                    catch { throw config.error(at: config.path(ofIndex: index.name) + ".sensitivity", "index '\(index.name)': sensitivity: \(error)") }
                }
                sensitivity.append((index.name, analysis))
            }
        }
        // Eligibility (who takes part) and scoring (who has what a class needs) are kept apart.
        let unscored: [UnscoredReason?] = (0..<n).map { i in
            guard results.contains(where: { !$0.scored[i] }) else { return nil }
            return eligible[i] ? .indicatorMissing : .notEligible
        }
        var combined: [CombinedClass?]?
        if let c = config.combined {
            let status = results.first { $0.definition.name == c.status }!
            let dynamik = results.first { $0.definition.name == c.dynamik }!
            combined = (0..<n).map { i in
                guard let s = status.classes[i], let d = dynamik.classes[i] else { return nil }
                return CombinedClass(status: s, dynamics: d)
            }
        }
        let countColumns = config.countColumns
        let sums = Set(names.indices.filter { countColumns.contains(names[$0]) })
        let summaries = try (0..<hierarchy.levelNames.count).reversed().map { level in
            try LevelSummary(areaIDs: panel.areaIDs, hierarchy: hierarchy, level: level, population: population,
                             values: values, counts: counts, sums: sums)
        }
        var edition = Edition(title: config.title, period: period, areaIDs: panel.areaIDs, areaNames: panel.areaNames,
                              levelNames: hierarchy.levelNames, parents: parents, population: population,
                              eligible: eligible, exclusionReasons: reasons, indicatorNames: names, indicatorValues: values,
                              missing: indicators.missing, indices: results, combined: combined, summaries: summaries,
                              diagnostics: diagnostics, uncertainty: uncertainty, previousClasses: inputs.previousClasses)
        edition.counts = counts
        edition.countColumns = countColumns.intersection(names)
        edition.sensitivity = sensitivity
        edition.treatments = treatments
        edition.unscoredReasons = unscored
        edition.unitNames = inputs.unitNames
        return edition
    }

    /// The index's indicators imputed (`impute`) and then winsorised (`winsorize`) over the eligible areas.
    func treat(_ values: Matrix, index: RunConfig.Index, eligible: [Bool], parents: [[String]]) throws
        -> (values: Matrix, record: [TreatedIndicator]) {
        var level = hierarchy.levelNames.count - 1
        if index.impute == .groupMedian {
            if let name = index.imputeLevel {
                guard let found = hierarchy.levelNames.firstIndex(of: name) else {
                    throw config.error(at: config.path(ofIndex: index.name) + ".impute_level", "index '\(index.name)': impute_level \"\(name)\" is not a level "
                                     + "of the hierarchy (\(hierarchy.levelNames.joined(separator: ", ")))")
                }
                level = found
            } else if level < 0 {
                throw config.error(at: config.path(ofIndex: index.name) + ".impute", "index '\(index.name)': impute = \"group-median\" needs a "
                                 + "hierarchy of the areas (input.hierarchy or input.parents)")
            }
        }
        let groups = index.impute == .groupMedian ? parents.map { $0[level] } : []
        var columns: [[Double]] = [], record: [TreatedIndicator] = []
        for (j, name) in index.indicators.enumerated() {
            let (filled, imputed) = index.impute.apply(Array(values.column(j)), reference: eligible, groups: groups)
            let winsorization = index.winsorize == .coinr
                ? Winsorization(filled, reference: eligible, maximumPoints: index.winsorizeMax) : nil
            columns.append(winsorization?.apply(filled) ?? filled)
            record.append(TreatedIndicator(indicator: name, imputed: imputed, winsorization: winsorization))
        }
        return (Matrix(columns: columns), record)
    }
}
