import AreaData
import Foundation
import SozmonIO

extension RunConfig {
    /// `[input]`: the indicator table, its columns and the area hierarchy.
    package struct Input: Sendable, Encodable {
        package var table: String
        package var layout: PanelSpec.Layout = .wide
        package var areaID: String
        package var areaName: String?
        package var population: String?
        package var period: String?
        /// The period the edition is computed for (default: the latest in the table).
        package var referencePeriod: Period?
        package var geometry: String?
        package var geometryID: String?
        package var duplicateIds: GeoJSON.DuplicateIDs = .error
        package var neighbours: String?
        package var hierarchy: [Int] = [2, 4, 6]
        package var levelNames: [String] = ["Bezirk", "Prognoseraum", "Bezirksregion"]
        /// Whether `level_names` was given (an explicit parent table names its levels by its header otherwise).
        package var levelNamesGiven = false
        /// An explicit parent table (CSV: area id, then the parent ids from the top level down) instead of prefixes.
        package var parents: String?
        /// Overrides of the detected dialect of `table` (each table is detected on its own).
        package var dialect = DialectOverride()
        package var resampling = Resampling()
        /// Indicator columns to read and report besides those the analyses name (default: none). Columns that
        /// neither names are not read at all (a validity flag, a district name, a comment).
        package var indicators: [String] = []
        /// Shares given by counts, by the share's name; higher levels are aggregated from the counts.
        package var counts: [String: CountShare] = [:]
        /// Ids of rows that hold the totals of units of the hierarchy (a Bezirk's row beside its areas'): left out
        /// of the areas and compared with their sums.
        package var totals: [String] = []
        /// The id of the row that holds the city's total ("Berlin insgesamt", "Hamburg"), likewise.
        package var cityTotal: String?

        /// Every id of a totals row.
        var totalRows: Set<String> { Set(totals + [cityTotal].compactMap { $0 }) }

        init(reading t: ConfigReader.Table) {
            let reader = t.reader
            table = t.string("table") ?? ""
            if table.isEmpty {
                reader.problem("'input.table' is required: the indicator table to read", line: reader.line(of: nil, in: "input"))
            }
            areaID = t.string("area_id") ?? ""
            if areaID.isEmpty {
                reader.problem("'input.area_id' is required: the id column", line: reader.line(of: nil, in: "input"))
            }
            layout = t.choice("layout", default: layout)
            areaName = t.string("area_name")
            population = t.string("population")
            period = t.string("period")
            if let p = t.string("reference_period") {
                referencePeriod = Period(parsing: p)
                if referencePeriod == nil {
                    reader.problem("'input.reference_period' must be a period such as 2024 or 2024Q4, not \"\(p)\"",
                                   line: reader.line(of: "reference_period", in: "input"))
                }
            }
            geometry = t.string("geometry")
            geometryID = t.string("geometry_id")
            duplicateIds = t.choice("duplicate_ids", default: duplicateIds)
            neighbours = t.string("neighbours")
            hierarchy = t.integers("hierarchy", in: 1...64) ?? hierarchy
            if let names = t.safeNames("level_names") { levelNames = names; levelNamesGiven = true }
            parents = t.string("parents")
            // The default names belong to the default hierarchy: another one without names gets "Ebene 1", … (none
            // for a flat list, `hierarchy = []`).
            if !levelNamesGiven && levelNames.count != hierarchy.count {
                levelNames = hierarchy.indices.map { "Ebene \($0 + 1)" }
            }
            if parents == nil && levelNames.count != hierarchy.count {
                reader.problem("'input.level_names' has \(levelNames.count) names for \(hierarchy.count) levels",
                               line: reader.line(of: "level_names", in: "input"))
            }
            indicators = t.strings("indicators") ?? []
            totals = t.strings("totals") ?? []
            cityTotal = t.string("city_total")
            dialect = DialectOverride(reading: t)
            resampling = Resampling(reading: t)
            if let table = t.subtable("counts") {
                for key in table.table.keys.sorted() {
                    guard let pair = table.strings(key), pair.count == 2 else {
                        reader.problem("'input.counts.\(key)' must be [\"numerator column\", \"denominator column\"]",
                                       line: reader.line(of: key, in: "input.counts"))
                        continue
                    }
                    counts[key] = CountShare(numerator: pair[0], denominator: pair[1])
                }
                table.finish()
            }
            t.finish()
        }
    }

    /// A share given by two count columns of the table (`input.counts`): 100 · numerator / denominator.
    package struct CountShare: Sendable, Encodable, Equatable {
        package var numerator: String
        package var denominator: String
        package var columns: [String] { [numerator, denominator] }
    }

    /// A table's periods brought to a coarser frequency before the analyses (`frequency`, `aggregate`,
    /// `incomplete`), e.g. monthly unemployment to quarterly means.
    package struct Resampling: Sendable, Encodable, Equatable {
        /// `nil`: the table's own frequency.
        package var frequency: ResamplingFrequency?
        package var aggregate: ResamplingAggregate = .mean
        package var incomplete: IncompletePeriods = .drop

        package init() {}

        /// The period keys of a section that names a table.
        init(reading t: ConfigReader.Table) {
            frequency = t.optionalChoice("frequency")
            aggregate = t.choice("aggregate", default: aggregate)
            incomplete = t.choice("incomplete", default: incomplete)
        }
    }

    /// What a section says about the CSV dialect of its table, overriding what is detected in that file (and only
    /// there): `separator`, `decimal`, `thousands`, `encoding`.
    package struct DialectOverride: Sendable, Encodable, Equatable {
        package var separator: CSVDialect.Separator?
        package var decimal: CSVDialect.DecimalMark?
        package var thousands: CSVDialect.ThousandsSeparator?
        package var encoding: CSVDialect.Encoding?

        package init() {}

        /// The dialect keys of a section that names a table.
        init(reading t: ConfigReader.Table) {
            separator = t.optionalChoice("separator")
            decimal = t.optionalChoice("decimal")
            thousands = t.optionalChoice("thousands")
            encoding = t.optionalChoice("encoding")
        }

        var isEmpty: Bool { self == DialectOverride() }

        /// `detected` with the overrides applied.
        func applied(to detected: CSVDialect) -> CSVDialect {
            var d = detected
            d.separator = separator ?? d.separator
            d.decimalMark = decimal ?? d.decimalMark
            d.thousandsSeparator = thousands ?? d.thousandsSeparator
            d.encoding = encoding ?? d.encoding
            return d
        }
    }

    /// `[eligibility]`: which areas take part in the indices.
    package struct Eligibility: Sendable, Encodable {
        package var minPopulation: Double? = 300
        package var exclude: [String] = []

        init() {}

        init(reading t: ConfigReader.Table) {
            minPopulation = t.double("min_population", in: .closed(0, 1e9)) ?? minPopulation
            exclude = t.strings("exclude") ?? []
            t.finish()
        }
    }
}
