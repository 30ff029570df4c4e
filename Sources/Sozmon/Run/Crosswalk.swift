import AreaData
import Foundation
import Indicators
import Reporting
import SozmonIO
import Spatial

extension InputStep {
    /// The panel extended by the periods of `[crosswalk].data` (old area system) that it lacks, and the table of how
    /// much of each carried value came through split old areas (`crosswalk.csv`).
    func extendedByCrosswalk(_ panel: Panel, warnings: inout [String])
        throws -> (Panel, Table?) {
        guard let c = config.crosswalk else { return (panel, nil) }
        let url = config.url(c.table)
        let table = try CSVTable(contentsOf: url, requiringRows: "crosswalk rows")
        let (old, new) = (try table.columnIndex(c.oldID), try table.columnIndex(c.newID))
        let weights = try table.numericColumn(c.weight)
        var entries: [Crosswalk.Entry] = []
        for (k, row) in table.rows.enumerated() {
            guard case .value(let w) = weights[k] else {
                throw InputError(file: url.path, line: table.lines[k], column: try table.columnIndex(c.weight) + 1,
                                 message: "the crosswalk weight of \(row[old]) → \(row[new]) is missing; expected a share in [0, 1]")
            }
            entries.append(.init(old: row[old], new: row[new], weight: w))
        }
        let crosswalk: Crosswalk
        do { crosswalk = try Crosswalk(entries, tolerance: c.tolerance) } catch {
            throw InputError(file: url.path, message: "\(error)")
        }
        let dataURL = config.url(c.data)
        let earlier = try readPanel(dataURL, dialect: c.dialect, repairingIDs: false)  // the old system's ids need not have today's length
        warnings += earlier.warnings
        let known = Set(crosswalk.oldIDs)
        let unknown = earlier.panel.areaIDs.filter { !known.contains($0) }
        if !unknown.isEmpty {
            warnings.append("\(url.path): \(unknown.count) areas of \(c.data) are not in the crosswalk; their values are "
                            + "not carried over (e.g. \(unknown.prefix(3).joined(separator: ", ")))")
        }
        let lacking = crosswalk.oldIDs.filter { earlier.panel.index(ofArea: $0) == nil }
        if !lacking.isEmpty {
            warnings.append("\(dataURL.path): \(lacking.count) old areas of the crosswalk are not in the data; the new "
                            + "areas they feed are missing (e.g. \(lacking.prefix(3).joined(separator: ", ")))")
        }
        let newKnown = Set(crosswalk.newIDs)
        let uncovered = panel.areaIDs.filter { !newKnown.contains($0) }
        if !uncovered.isEmpty {
            warnings.append("\(url.path): \(uncovered.count) areas of the table are not reached by the crosswalk; "
                            + "their earlier periods are missing (e.g. \(uncovered.prefix(3).joined(separator: ", ")))")
        }
        let counts = Set(c.counts + config.input.counts.values.flatMap(\.columns))
        let translation: Crosswalk.Translation
        let extended: Panel
        do {
            translation = try crosswalk.translate(earlier.panel, counts: counts)
            extended = try panel.extended(with: translation.panel)
        } catch { throw InputError(file: dataURL.path, message: "crosswalk: \(error)") }
        var report = Table(name: "crosswalk", columns: ["area_id", "period", "population", "share_through_split"],
                           roles: ["area_id": .areaID, "period": .period, "population": .count(of: "population")])
        let own = Set(panel.periods)
        for (t, period) in translation.panel.periods.enumerated() where !own.contains(period) {
            for (j, id) in translation.panel.areaIDs.enumerated() where panel.index(ofArea: id) != nil {
                report.append([.text(id), .text(period.description),
                               .value(translation.panel.population?[t][j] ?? .nan), .value(translation.throughSplit[t][j])])
            }
        }
        return (extended, report)
    }
}
