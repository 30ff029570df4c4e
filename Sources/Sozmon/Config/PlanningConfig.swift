extension RunConfig {
    /// `[profiles]`: region profiles (`profiles/<id>.html` and `.md`, and a `profiles_<level>` table per level).
    package struct Profiles: Sendable, Encodable {
        /// Level names (`nil`: the lowest level above the areas that the hierarchy has, e.g. Bezirksregion, resolved
        /// when the hierarchy is read; an explicit parent table names its own levels).
        package var levels: [String]?

        init(reading t: ConfigReader.Table, input: Input?) {
            let reader = t.reader
            levels = t.safeNames("levels")
            defer { t.finish() }
            guard let input else { return }
            if input.parents == nil && input.levelNames.isEmpty {
                reader.problem("'profiles' needs a level above the areas; 'input.level_names' has none",
                               line: reader.line(of: nil, in: "profiles"))
            }
            if input.parents == nil, let levels {
                for level in levels where !input.levelNames.contains(level) {
                    reader.problem("'profiles.levels' has \"\(level)\"; the levels are \(input.levelNames.joined(separator: ", "))",
                                   line: reader.line(of: "levels", in: "profiles"))
                }
            }
        }
    }

    /// `[crosswalk]`: earlier periods in another area system, carried over so that series continue.
    package struct CrosswalkInput: Sendable, Encodable {
        /// CSV with the columns `old_id`, `new_id`, `weight` (names configurable).
        package var table: String
        package var oldID: String = "old_id"
        package var newID: String = "new_id"
        package var weight: String = "weight"
        package var tolerance: Double = 1e-3
        /// The table in the old system (read with the `[input]` columns and dialect).
        package var data: String
        /// Indicator columns that are counts (allocated), not shares (population-weighted); the columns of
        /// `input.counts` and the population always are counts.
        package var counts: [String] = []
        /// Dialect overrides of `data` (the crosswalk table itself is detected).
        package var dialect = DialectOverride()

        init(reading t: ConfigReader.Table) {
            let reader = t.reader
            table = t.string("table") ?? ""
            data = t.string("data") ?? ""
            if table.isEmpty || data.isEmpty {
                reader.problem("'crosswalk' needs table (the crosswalk) and data (the table in the old area system)",
                               line: reader.line(of: nil, in: "crosswalk"))
            }
            oldID = t.string("old_id") ?? oldID
            newID = t.string("new_id") ?? newID
            weight = t.string("weight") ?? weight
            tolerance = t.double("tolerance", in: .from(0, below: 0.5)) ?? tolerance
            counts = t.strings("counts") ?? []
            dialect = DialectOverride(reading: t)
            t.finish()
        }
    }

    /// `[supply] area_id` or `x`, `y`.
    package enum FacilityLocation: Sendable, Encodable, Equatable {
        case area(column: String)
        case point(x: String, y: String)
    }

    /// `[supply] need_index` with `need_classes`, or `need_indicator` with `need_threshold`.
    package enum HighNeed: Sendable, Encodable, Equatable {
        /// The areas in these classes of the index.
        case indexClasses(index: String, classes: [String])
        /// The areas where the indicator is at or above the threshold.
        case indicator(name: String, threshold: Double)
    }

    /// `[supply]`: need against supply (`supply_areas.csv`, `supply_<level>.csv`, `facilities.csv`).
    package struct Supply: Sendable, Encodable {
        package var facilities: String
        package var id: String = "id"
        package var type: String = "type"
        package var capacity: String = "capacity"
        /// Where each facility is: in the area its area id column names (`area_id`), or at its coordinates (`x`, `y`).
        package var location: FacilityLocation = .area(column: "")
        /// The system of `x` and `y`.
        package var crs: FacilityCoordinates = .wgs84
        /// Only facilities of these types (default: all).
        package var types: [String]?
        /// The target group: a count column of the table (default: the population).
        package var target: String?
        /// Which areas are of high need.
        package var need: HighNeed = .indicator(name: "", threshold: 0)
        /// Capacity per 1 000 of the target group below which supply is low (default: the city-wide rate).
        package var lowSupply: Double?
        /// `method`: supply of the area a facility stands in (`area`), or reachable within `radius` metres by the
        /// two-step floating catchment (`2sfca`), with Gaussian decay (`e2sfca`).
        package var method: SupplyMethod = .area
        package var radius: Double?
        /// Dialect overrides of the facilities table.
        package var dialect = DialectOverride()

        init(reading t: ConfigReader.Table, indices: [Index]) {
            let reader = t.reader
            func problem(_ message: String, at key: String? = nil) {
                reader.problem(message, line: reader.line(of: key, in: "supply"))
            }
            facilities = t.string("facilities") ?? ""
            if facilities.isEmpty { problem("'supply.facilities' is required: the facilities table") }
            id = t.string("id") ?? id
            type = t.string("type") ?? type
            capacity = t.string("capacity") ?? capacity
            let areaID = t.string("area_id"), x = t.string("x"), y = t.string("y")
            switch (areaID, x, y) {
            case (let column?, nil, nil): location = .area(column: column)
            case (nil, let x?, let y?): location = .point(x: x, y: y)
            default: problem("'supply' locates facilities by area_id or by x and y, exactly one of them")
            }
            crs = t.choice("crs", default: crs)
            types = t.strings("types")
            target = t.string("target")
            let needIndex = t.string("need_index"), needClasses = t.strings("need_classes") ?? []
            let needIndicator = t.string("need_indicator"), needThreshold = t.double("need_threshold", in: .finite)
            if let needIndex { need = .indexClasses(index: needIndex, classes: needClasses) }
            if let needIndicator, let needThreshold { need = .indicator(name: needIndicator, threshold: needThreshold) }
            if let index = needIndex {
                if !indices.contains(where: { $0.name == index }) {
                    problem("'supply.need_index' must name an [[index]], not \"\(index)\"", at: "need_index")
                }
                if needClasses.isEmpty {
                    problem("'supply.need_classes' must list the classes of high need, e.g. [\"niedrig\", \"sehr niedrig\"]",
                            at: "need_index")
                }
            }
            if (needIndex == nil) == (needIndicator == nil) {
                problem("'supply' defines high need by need_index (with need_classes) or by need_indicator "
                        + "(with need_threshold), exactly one of them")
            }
            if needIndicator != nil && needThreshold == nil {
                problem("'supply.need_threshold' is needed with need_indicator", at: "need_indicator")
            }
            lowSupply = t.double("low_supply", in: .closed(0, 1e9))
            method = t.choice("method", default: method)
            radius = t.double("radius", in: .above(0, atMost: 1e6))
            if (method != .area) != (radius != nil) {
                problem("'supply.radius' (metres, > 0) goes with method = \"2sfca\" or \"e2sfca\", and only with them",
                        at: radius != nil ? "radius" : "method")
            }
            dialect = DialectOverride(reading: t)
            t.finish()
        }
    }
}
