import Foundation
import Indicators
import LinearAlgebra
import Reporting
import SozmonIO

/// Comparable areas (`[similar]`): the areas most alike each area in the chosen indicators of the reference period.
struct SimilarStep: RunStep {
    let context: RunContext

    func run(_ edition: Edition) throws -> SimilarReport? {
        guard let settings = config.similar else { return nil }
        let columns = try settings.variables.map { name -> [Double] in
            guard let j = edition.indicatorNames.firstIndex(of: name) else {
                throw config.error(at: "similar.variables", "[similar] names '\(name)', which is not an indicator "
                                 + "(\(edition.indicatorNames.joined(separator: ", ")))")
            }
            return Array(edition.indicatorValues.column(j))
        }
        let district = edition.parents.map { $0.first ?? "" }
        do {
            let similar = try SimilarAreas(Matrix(columns: columns), k: settings.k, metric: settings.metric) { i, j in
                settings.scope == .city || district[i] != district[j]
            }
            return SimilarReport(areaIDs: edition.areaIDs, neighbours: similar.neighbours, distances: similar.distances,
                                 basis: basis(settings, catalogue: config.catalogue(period: edition.period)))
        } catch {
            throw config.error(at: "similar", "[similar]: \(error)")
        }
    }

    /// What a reader is told the areas are alike in: "Arbeitslosigkeit (SGB II), Kinderarmut …; euklidischer Abstand der
    /// standardisierten Werte".
    func basis(_ settings: RunConfig.Similar, catalogue: IndicatorCatalogue) -> String {
        let metric = switch settings.metric {
        case .euclidean: tr("euklidischer Abstand der standardisierten Werte")
        case .mahalanobis: tr("Mahalanobis-Abstand")
        }
        return settings.variables.map { catalogue.entries[$0]?.shownLabel ?? $0 }.joined(separator: ", ") + "; " + metric
    }
}
