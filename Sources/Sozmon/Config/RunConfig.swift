import AreaData
import Foundation
import Indicators
import SozmonIO
import Spatial
import Trends

/// The configuration of a run (`sozmon run CONFIG`), as read from TOML with every default filled in. Its keys are
/// documented in README ("Config reference"); `run.json` records it as read.
public struct RunConfig: Sendable, Encodable {
    package var title: String
    package var input: Input
    /// `[indicators.<code>]`: labels, units, decimals of the indicator columns, by code.
    package var indicators: [String: IndicatorInfo]
    package var eligibility: Eligibility
    package var indices: [Index]
    package var combined: Combined?
    package var uncertainty: Uncertainty
    package var previous: String?
    package var trends: Trends?
    package var quarters: Quarters?
    package var hotspots: Hotspots?
    package var spatial: Spatial?
    package var clusters: Clusters?
    package var profiles: Profiles?
    package var maps: Maps?
    package var similar: Similar?
    package var history: History?
    package var crosswalk: CrosswalkInput?
    package var supply: Supply?
    /// `[[scenario]]`: changes of supply evaluated against `[supply]`.
    package var scenarios: [Scenario] = []
    /// `[locate]`: where new facilities serve the demand best.
    package var locate: Locate?
    package var names: Names?
    package var report: Report
    /// The folder the config lies in: paths are relative to it.
    package var baseFolder: String
    /// Its file (or the program that built it) and text, for problems found later that name a key.
    var origin: ConfigOrigin

    enum CodingKeys: String, CodingKey {
        case title, input, indicators, eligibility, indices, combined, uncertainty, previous, trends, quarters, hotspots,
             spatial, clusters, profiles, maps, similar, history, crosswalk, supply, scenarios, locate, names, report, baseFolder
    }

    /// The significance level of `[trends]` and `[spatial]` where the config gives none (`alpha`).
    static let defaultAlpha = 0.05

    /// A problem with the key at `path` (`supply.target`, `index[2].lag`), at its line in the config.
    func error(at path: String?, _ message: String) -> InputError { origin.error(at: path, message) }

    /// The path of the `[[index]]` named `name` (`index[2]`), for `error(at:)`.
    func path(ofIndex name: String) -> String {
        "index[\((indices.firstIndex { $0.name == name } ?? 0) + 1)]"
    }

    /// Reads and checks `url`.
    /// - Throws: `ConfigProblems` listing every problem with its line; `InputError` when the file is missing.
    public static func read(_ url: URL) throws -> RunConfig { try read(url, checkingFiles: true) }

    /// Reads and checks `url`; without `checkingFiles`, a file it names need not exist (a pass of a part run reads
    /// its part, not the config's table).
    package static func read(_ url: URL, checkingFiles: Bool) throws -> RunConfig {
        let handle = try InputFile.open(url, what: "the config file")
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd() ?? Data() else {
            throw InputError(file: url.path, message: "the config file cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: url.path, message: "the config is not UTF-8 text")
        }
        return try parse(text, file: url.path, baseFolder: url.deletingLastPathComponent().path, checkingFiles: checkingFiles)
    }

    /// Reads and checks the TOML text of a config.
    /// - Parameters:
    ///   - text: the config's TOML.
    ///   - file: what problems name as its file.
    ///   - baseFolder: the folder its paths are relative to.
    ///   - checkingFiles: whether a file it names that does not exist is one of its problems (as `read` and a config
    ///     built in code have it); without, such a file is refused when the run reads it.
    public static func parse(_ text: String, file: String, baseFolder: String, checkingFiles: Bool = false) throws -> RunConfig {
        let root: TOMLTable
        do { root = try TOMLParser.parse(text) } catch {
            throw ConfigProblems(problems: [InputError(file: file, line: error.position.line,
                                                       column: error.position.column, message: error.message)])
        }
        return try parse(root, text: text, file: file, baseFolder: baseFolder, checkingFiles: checkingFiles)
    }

    /// Checks the parsed config `root` (from a file's `text`, or built in code) and fills in the defaults.
    static func parse(_ root: TOMLTable, text: String, file: String, baseFolder: String, checkingFiles: Bool) throws -> RunConfig {
        let reader = ConfigReader(file: file, text: text, root: root)
        let top = reader.table(root, path: nil)
        let title = top.string("title") ?? "sozmon"
        let input = top.subtable("input").map(Input.init(reading:))
        if input == nil { reader.problem("the [input] table is required (table, area_id, …)") }
        let eligibility = top.subtable("eligibility").map(Eligibility.init(reading:)) ?? Eligibility()
        var indicators: [String: IndicatorInfo] = [:]
        if let catalogue = top.subtable("indicators") {
            for code in catalogue.table.keys.sorted() {
                guard let entry = catalogue.subtable(code) else { continue }
                indicators[code] = IndicatorInfo(reading: entry)
            }
            catalogue.finish()
        }
        var indices: [Index] = []
        for t in top.subtables("index") {
            let index = Index(reading: t, catalogue: indicators)
            if indices.contains(where: { $0.name.lowercased() == index.name.lowercased() }) {
                reader.problem("two indices are named '\(index.name)'", line: reader.line(of: nil, in: t.path))
            }
            indices.append(index)
        }
        let combined = top.subtable("combined").map { Combined(reading: $0, indices: indices) }
        let uncertainty = top.subtable("uncertainty").map(Uncertainty.init(reading:)) ?? Uncertainty()
        let previous = top.subtable("previous").flatMap { t in
            defer { t.finish() }
            return t.string("table")
        }
        let trends = top.subtable("trends").map(Trends.init(reading:))
        let quarters = top.subtable("quarters").map(Quarters.init(reading:))
        let hotspots = top.subtable("hotspots").map(Hotspots.init(reading:))
        let spatial = top.subtable("spatial").map(Spatial.init(reading:))
        let clusters = top.subtable("clusters").map(Clusters.init(reading:))
        let profiles = top.subtable("profiles").map { Profiles(reading: $0, input: input) }
        let maps = top.subtable("maps").map(Maps.init(reading:))
        let similar = top.subtable("similar").map(Similar.init(reading:))
        let history = top.subtable("history").map(History.init(reading:))
        let crosswalk = top.subtable("crosswalk").map(CrosswalkInput.init(reading:))
        let supply = top.subtable("supply").map { Supply(reading: $0, indices: indices) }
        let scenarios = top.subtables("scenario").map(Scenario.init(reading:))
        let locate = top.subtable("locate").map(Locate.init(reading:))
        if supply == nil && (!scenarios.isEmpty || locate != nil) {
            reader.problem("[[scenario]] and [locate] need [supply] (the facilities, the target group and high need)",
                           line: reader.line(of: nil, in: locate != nil ? "locate" : "scenario[1]"))
        }
        let scenarioNames = scenarios.map(\.name) + (locate.map { [$0.scenarioName] } ?? [])
        if let repeated = firstDuplicate(scenarioNames, by: { $0.lowercased() }) {
            // At the second scenario of that name (the [locate] one, when it is that).
            let second = scenarioNames.indices.filter { scenarioNames[$0].lowercased() == repeated.lowercased() }[1]
            reader.problem("two scenarios are named \"\(repeated)\" (the [locate] one is \"\(locate?.scenarioName ?? "")\", "
                           + "set by locate.scenario)",
                           line: reader.line(of: nil, in: second < scenarios.count ? "scenario[\(second + 1)]" : "locate"))
        }
        let names = top.subtable("names").map { Names(reading: $0, input: input) }
        if profiles != nil && indices.isEmpty {
            reader.problem("[profiles] needs an [[index]] (a profile shows the classes of its areas)",
                           line: reader.line(of: nil, in: "profiles"))
        }
        let report = top.subtable("report").map(Report.init(reading:)) ?? Report()
        top.finish()
        if indices.isEmpty && trends == nil && quarters == nil && hotspots == nil && spatial == nil && clusters == nil && supply == nil {
            reader.problem("nothing to compute: give at least one [[index]], [trends], [quarters], [hotspots], [spatial], "
                           + "[clusters] or [supply]")
        }
        let config = input.map {
            RunConfig(title: title, input: $0, indicators: indicators, eligibility: eligibility, indices: indices, combined: combined,
                      uncertainty: uncertainty, previous: previous, trends: trends, quarters: quarters, hotspots: hotspots,
                      spatial: spatial, clusters: clusters, profiles: profiles, maps: maps, similar: similar, history: history,
                      crosswalk: crosswalk, supply: supply, scenarios: scenarios, locate: locate, names: names, report: report,
                      baseFolder: baseFolder, origin: ConfigOrigin(file: file, root: root))
        }
        if checkingFiles { config?.checkFilesExist(reader); config?.checkInputColumns(reader) }
        guard reader.problems.isEmpty, let config else { throw ConfigProblems(problems: reader.problems) }
        return config
    }

    /// Every input file the config names that does not exist, as a problem at its key, with the file of the folder
    /// nearest its name (a typo, or `.CSV` for `.csv`): listed with the config's other problems, before any is read.
    func checkFilesExist(_ reader: ConfigReader) {
        let named: [(String, String?)] = [
            ("input.table", input.table), ("input.geometry", input.geometry), ("input.neighbours", input.neighbours),
            ("input.parents", input.parents), ("previous.table", previous), ("trends.table", trends?.table),
            ("quarters.table", quarters?.table), ("hotspots.table", hotspots?.table), ("crosswalk.table", crosswalk?.table),
            ("crosswalk.data", crosswalk?.data), ("supply.facilities", supply?.facilities),
            ("spatial.weights_file", spatial?.weightsFilePath), ("names.table", names?.table),
            ("locate.candidates", locate?.candidates),
        ] + (history?.tables ?? []).map { ("history.tables", $0) }
            + scenarios.enumerated().map { ("scenario[\($0.offset + 1)].population", $0.element.population) }
        for case let (key, path?) in named where !path.isEmpty && !FileManager.default.fileExists(atPath: url(path).path) {
            let folder = url(path).deletingLastPathComponent()
            let near = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))
                .flatMap { Suggestion.closest(to: url(path).lastPathComponent, among: $0) }
            let parts = key.split(separator: ".").map(String.init)
            reader.problem("'\(key)': \(url(path).path) does not exist" + (near.map { "; did you mean \"\($0)\"?" } ?? ""),
                           line: reader.line(of: parts.last, in: parts.dropLast().joined(separator: ".")), kind: .missingFile)
        }
    }

    /// The columns `[input]` names that the indicator table lacks, as problems listed with the config's own (its header
    /// read now, where the file exists and reads; else the run finds them).
    func checkInputColumns(_ reader: ConfigReader) {
        let url = url(input.table)
        guard FileManager.default.fileExists(atPath: url.path), let detected = try? CSVReader(contentsOf: url) else { return }
        let dialect = input.dialect.applied(to: detected.dialect)
        guard let header = dialect == detected.dialect ? detected.header : (try? CSVReader(contentsOf: url, dialect: dialect))?.header
        else { return }
        inputColumnProblems(header, file: url).forEach(reader.add)
    }

    /// Every column `[input]` names that the indicator table lacks, each a problem at its key with the column of the
    /// header nearest its name.
    func inputColumnProblems(_ header: [String], file: URL) -> [InputError] {
        let named: [(String, String)] = [("input.area_id", input.areaID)]
            + [("input.area_name", input.areaName), ("input.population", input.population), ("input.period", input.period)]
                .compactMap { key, column in column.map { (key, $0) } }
            // (A long table names its indicators in a column, not in the header.)
            + (input.layout == .wide ? input.indicators.map { ("input.indicators", $0) }
                + input.counts.sorted { $0.key < $1.key }.flatMap { share, pair in pair.columns.map { ("input.counts.\(share)", $0) } } : [])
        return named.filter { !header.contains($0.1) }.map { key, column in
            error(at: key, "'\(key)' names column '\(column)', which \(file.lastPathComponent) does not have"
                  + (Suggestion.closest(to: column, among: header).map { "; did you mean '\($0)'?" } ?? "")
                  + " (its columns: \(header.joined(separator: ", ")))")
        }
    }

    /// The data columns this config reads: `input.indicators`, the indicators of the indices (and the S-column a
    /// derived change `D<n>` comes from), counts, the variables of trends, quarters, spatial statistics and
    /// clusters, and the supply's target and need indicator. Any other column of a table is ignored.
    package var namedColumns: Set<String> {
        var names = Set(input.indicators)
        for index in indices {
            names.formUnion(index.indicators)
            names.formUnion(index.indicators.compactMap(DerivedIndicator.changeBase))
        }
        names.formUnion(input.counts.values.flatMap(\.columns))
        names.formUnion((trends?.indicators ?? []) + (quarters?.indicators ?? []) + (hotspots?.variables ?? []))
        names.formUnion((spatial?.variables ?? []) + (clusters?.variables ?? []) + (maps?.variables ?? []) + (similar?.variables ?? []))
        names.formUnion([supply?.target].compactMap { $0 })
        if case .indicator(let name, _)? = supply?.need { names.insert(name) }
        names.formUnion([locate?.weightIndicator].compactMap { $0 })
        names.formUnion(crosswalk?.counts ?? [])
        return names
    }

    /// The columns that count people: the numerators and denominators of `input.counts`, `crosswalk.counts` and the
    /// supply's target group. They are summed at higher levels and protected by disclosure control.
    package var countColumns: Set<String> {
        Set(input.counts.values.flatMap(\.columns) + (crosswalk?.counts ?? []) + [supply?.target].compactMap { $0 })
    }

    /// Every input file the config names (as written in it), each once.
    package var inputFiles: [String] {
        let paths = [input.table, input.geometry, input.neighbours, input.parents, previous, trends?.table, quarters?.table, hotspots?.table,
                     crosswalk?.table, crosswalk?.data, supply?.facilities, spatial?.weightsFilePath, names?.table, locate?.candidates]
            + (history?.tables ?? []) + scenarios.map(\.population)
        var seen: Set<String> = []
        return paths.compactMap { $0 }.filter { seen.insert($0).inserted }
    }

    /// A path from the config, relative to its folder.
    package func url(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: baseFolder).appendingPathComponent(path)
    }
}

/// Every problem found in a config or its inputs, one per line.
public struct ConfigProblems: Error, CustomStringConvertible {
    public let problems: [InputError]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
