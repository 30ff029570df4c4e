import Foundation
import Reporting
import SozmonIO

/// The class history (`[history]`): the classes of earlier editions read from their `areas.csv`, and the current
/// edition's.
struct HistoryStep: RunStep {
    let context: RunContext

    func run(_ edition: Edition) throws -> (history: ClassHistory, warnings: [String])? {
        guard let settings = config.history else { return nil }
        let classed = edition.indices.filter { $0.definition.classes != nil }
        guard let index = settings.index.map({ name in classed.first { $0.definition.name == name } }) ?? classed.first,
              let scheme = index.definition.classes else {
            throw config.error(at: "history", "[history] needs a classified [[index]]"
                             + (settings.index.map { " named '\($0)'" } ?? ""))
        }
        let name = index.definition.name
        var editions: [ClassHistory.Edition] = [], warnings: [String] = []
        let current = Set(edition.areaIDs)
        for (path, label) in zip(settings.tables, settings.labels) {
            let url = config.url(path)
            let table = try CSVTable(contentsOf: url, requiringRows: "areas of an earlier edition")
            let id = try table.columnIndex("area_id"), column = try table.columnIndex("\(name)_class")
            let attention = table.header.firstIndex(of: "attention")
            var classes: [String: String?] = [:], flags: [String: Bool] = [:]
            for (row, line) in zip(table.rows, table.lines) {
                let text = row[column]
                guard text.isEmpty || scheme.classes.contains(where: { $0.label == text }) else {
                    throw InputError(file: url.path, line: line, column: column + 1,
                                     message: "'\(text)' is not a class of \(name) (\(scheme.classes.map(\.label).joined(separator: ", ")))")
                }
                classes[row[id]] = text.isEmpty ? .some(nil) : .some(text)
                if let attention { flags[row[id]] = ["true", "wahr"].contains(row[attention].lowercased()) }
            }
            let unmatched = classes.keys.filter { !current.contains($0) }
            if !unmatched.isEmpty {
                warnings.append("\(url.path): \(unmatched.count) areas are not in the current edition (re-cut or renamed; "
                                + "[crosswalk] carries data, not classes), e.g. \(unmatched.sorted().prefix(3).joined(separator: ", "))")
            }
            editions.append(ClassHistory.Edition(label: label, classes: classes, attention: flags))
        }
        var now: [String: String?] = [:], attention: [String: Bool] = [:]
        for (i, id) in edition.areaIDs.enumerated() {
            now[id] = .some(index.classes[i]?.label)
            if let combined = edition.combined { attention[id] = combined[i]?.attention == true }
        }
        editions.append(ClassHistory.Edition(label: edition.period.description, classes: now, attention: attention))
        return (ClassHistory(editions: editions, classLabels: scheme.classes.map(\.label), index: name), warnings)
    }
}
