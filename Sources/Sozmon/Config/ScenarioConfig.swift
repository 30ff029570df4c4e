import Foundation

extension RunConfig {
    /// A facility a scenario adds (`add = [{ id, type, capacity, area_id }]` or with `x`, `y` in `supply.crs`).
    package struct NewFacility: Sendable, Encodable, Equatable {
        package var id: String
        package var type: String
        package var capacity: Double
        package var location: Location
        package enum Location: Sendable, Encodable, Equatable {
            case area(String)
            case point(x: Double, y: Double)
        }
    }

    /// `[[scenario]]`: a change of supply (facilities added, closed, changed in capacity) and optionally of the target
    /// population (a forecast table), evaluated against the status quo of `[supply]`.
    package struct Scenario: Sendable, Encodable {
        package var name: String
        package var add: [NewFacility] = []
        /// Ids of facilities that close.
        package var close: [String] = []
        /// New capacities by facility id (`capacity = { E3 = 120 }`).
        package var capacity: [String: Double] = [:]
        /// A table with the target population per area in the scenario (`population`), its area id column
        /// (`population_area_id`, default `input.area_id`) and count column (`population_column`, default
        /// `supply.target` or `input.population`).
        package var population: String?
        package var populationAreaID: String?
        package var populationColumn: String?

        init(reading t: ConfigReader.Table) {
            let reader = t.reader
            func problem(_ message: String, at key: String? = nil) { reader.problem(message, line: reader.line(of: key, in: t.path)) }
            name = t.string("name") ?? ""
            if name.trimmingCharacters(in: .whitespaces).isEmpty { problem("'\(t.path ?? "scenario").name' is required: what the scenario is called") }
            for (k, entry) in t.subtables("add").enumerated() {
                defer { entry.finish() }
                let id = entry.string("id") ?? "", type = entry.string("type") ?? ""
                let capacity = entry.double("capacity", in: .closed(0, 1e9))
                let areaID = entry.string("area_id"), x = entry.double("x", in: .finite), y = entry.double("y", in: .finite)
                guard !id.isEmpty, !type.isEmpty, let capacity else {
                    problem("added facility \(k + 1) needs id, type and capacity (≥ 0)", at: "add"); continue
                }
                switch (areaID, x, y) {
                case (let area?, nil, nil): add.append(NewFacility(id: id, type: type, capacity: capacity, location: .area(area)))
                case (nil, let x?, let y?): add.append(NewFacility(id: id, type: type, capacity: capacity, location: .point(x: x, y: y)))
                default: problem("added facility \(id) is placed by area_id or by x and y, exactly one of them", at: "add")
                }
            }
            if let repeated = firstDuplicate(add.map(\.id), by: { $0 }) { problem("two added facilities have the id \(repeated)", at: "add") }
            close = t.strings("close") ?? []
            if let changed = t.subtable("capacity") {
                for id in changed.table.keys.sorted() {
                    guard let value = changed.double(id, in: .closed(0, 1e9)) else { continue }
                    capacity[id] = value
                }
                changed.finish()
            }
            population = t.string("population")
            populationAreaID = t.string("population_area_id")
            populationColumn = t.string("population_column")
            if add.isEmpty && close.isEmpty && capacity.isEmpty && population == nil {
                problem("scenario \"\(name)\" changes nothing: give add, close, capacity or population")
            }
            t.finish()
        }
    }

    /// `[locate]`: where `sites` new facilities of `type` serve the demand best (docs/methods.md, "Location–allocation").
    package struct Locate: Sendable, Encodable {
        package var kind: LocationKind
        /// The type of the new facilities; the existing facilities of this type stay open (fixed sites).
        package var type: String
        package var sites: Int?
        /// Metres within which a site covers an area (maximal covering, set covering).
        package var radius: Double?
        /// Capacity of each new site, for its scenario.
        package var capacity: Double
        /// Candidate sites: a table of points (`id`, `x`, `y` in `supply.crs`), or every area's centroid (nil).
        package var candidates: String?
        /// Demand: the areas of high need (`[supply]`'s definition) or all areas.
        package var demand: LocateDemand = .highNeed
        /// Demand weight: the target population, times this indicator where given.
        package var weightIndicator: String?
        /// Only areas (and candidates in areas) within this unit of a level (e.g. Bezirk "05").
        package var within: String?
        package var method: LocateMethod = .auto
        /// Seconds the exact solver may take before it returns its best solution, not proven optimal.
        package var timeLimit: Double = 60
        /// The scenario the chosen sites make (default: "Standortwahl").
        package var scenarioName: String

        init(reading t: ConfigReader.Table) {
            let reader = t.reader
            func complain(_ message: String, at key: String? = nil) { reader.problem(message, line: reader.line(of: key, in: "locate")) }
            kind = t.choice("problem", default: .maximalCovering)
            type = t.string("type") ?? ""
            if type.isEmpty { complain("'locate.type' is required: the type of the new facilities (as in the facilities table)") }
            sites = t.has("sites") ? t.int("sites", default: 1, range: 1...10_000) : nil
            radius = t.double("radius", in: .above(0, atMost: 1e6))
            capacity = t.double("capacity", in: .closed(0, 1e9)) ?? 0
            if !t.has("capacity") { complain("'locate.capacity' is required: the capacity of each new site (for its scenario)") }
            candidates = t.string("candidates")
            demand = t.choice("demand", default: demand)
            weightIndicator = t.string("weight_indicator")
            within = t.string("within")
            method = t.choice("method", default: method)
            timeLimit = t.double("time_limit", in: .above(0, atMost: 86_400)) ?? timeLimit
            scenarioName = t.string("scenario") ?? "Standortwahl"
            switch kind {
            case .maximalCovering:
                if sites == nil || radius == nil { complain("'locate' with problem = \"mclp\" needs sites and radius") }
            case .pMedian:
                if sites == nil { complain("'locate' with problem = \"p-median\" needs sites") }
                if radius != nil { complain("'locate.radius' has no meaning for the p-median (it minimises distance)", at: "radius") }
            case .setCovering:
                if radius == nil { complain("'locate' with problem = \"lscp\" needs radius") }
                if sites != nil { complain("'locate.sites' has no meaning for set covering (it finds the fewest sites)", at: "sites") }
            }
            t.finish()
        }
    }
}
