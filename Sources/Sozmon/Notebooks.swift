import Foundation
import Reporting
import SozmonIO

/// The worked analyses in `notebooks-exports/`: the annual index edition, the quarterly need report and the spatial
/// clusters and hot spots, each as Markdown and HTML with its figures (SVG), made from the demo data set by
/// `sozmon notebooks` (the benchmark results come from `Benchmarks/compare.sh`). A test regenerates them and fails
/// when the committed files are stale.
package enum Notebooks {
    static let notebooks = ["annual-index", "quarterly-need", "spatial-clusters"]
    static let figures = ["status-classes.svg", "dynamics-classes.svg", "attention-areas.svg", "deteriorating-trends.svg"]
    /// Every file `export` writes, relative to its folder.
    package static let files = notebooks.flatMap { ["\($0).md", "\($0).html"] } + figures.map { "figures/\($0)" }

    /// Runs the demo edition and writes the notebooks into `folder`, replacing earlier exports.
    /// - Throws: `OutputError` (exit status 73) when the folder holds any other file: nothing of the user's is
    ///   overwritten or mixed in (the rule of `sozmon demo`).
    package static func export(to folder: URL) throws -> [String] {
        let foreign = AtomicFolder.files(in: folder).filter { !files.contains($0) }
        guard foreign.isEmpty else {
            throw OutputError(path: folder.path, message: "holds files that sozmon notebooks does not write ("
                              + foreign.prefix(3).joined(separator: ", ") + (foreign.count > 3 ? ", …" : "")
                              + "); nothing was written — choose another folder")
        }
        let config = try DemoData.configURL()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-notebooks-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        _ = try RunJob(configURL: config).run(output: scratch)
        func table(_ name: String) throws -> CSVTable {
            try CSVTable(contentsOf: scratch.appendingPathComponent("tables/\(name).csv"))
        }
        let html = try String(contentsOf: scratch.appendingPathComponent("report.html"), encoding: .utf8)
        func svgs(_ part: String) -> [String] {
            part.components(separatedBy: "<svg").dropFirst().map { "<svg" + $0.components(separatedBy: "</svg>")[0] + "</svg>\n" }
        }
        // The class maps (status, dynamics, attention) open the maps; the trend chart follows its heading.
        let trendPart = html.components(separatedBy: "<h2>Trends</h2>").dropFirst().first ?? ""
        let svgs = Array(svgs(html).prefix(3)) + Array(svgs(trendPart).prefix(1))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("figures"), withIntermediateDirectories: true)
        for (name, svg) in zip(figures, svgs) {
            try Data(svg.utf8).write(to: folder.appendingPathComponent("figures/\(name)"))
        }

        let texts = [try annualIndex(table), try quarterlyNeed(table), try spatialClusters(table)]
        var written: [String] = []
        for (name, text) in zip(notebooks, texts) {
            try Data((text + "\n").utf8).write(to: folder.appendingPathComponent("\(name).md"))
            try Data(htmlPage(markdown: text).utf8).write(to: folder.appendingPathComponent("\(name).html"))
            written += ["\(name).md", "\(name).html"]
        }
        return written + figures.map { "figures/\($0)" }
    }

    /// `annual-index.md`: the classes, the areas of special attention, the indicators' consistency.
    static func annualIndex(_ table: (String) throws -> CSVTable) throws -> String {
        let areas = try table("areas")
        let status = try areas.columnIndex("status_class"), attention = try areas.columnIndex("attention")
        let classCounts = Dictionary(grouping: areas.rows.map { $0[status].isEmpty ? "ohne Zuordnung" : $0[status] }, by: { $0 })
            .mapValues(\.count)
        let attentionRows = areas.rows.filter { $0[attention] == "true" }
        let diagnostics = try table("diagnostics_status")
        let alpha = diagnostics.rows.first { $0[0] == "cronbach_alpha" }?[3] ?? ""
        let explained = diagnostics.rows.first { $0[0] == "explained_variance_ratio" && $0[1] == "PC1" }?[3] ?? ""
        return """
            # The annual Sozialindex edition (MSS method) on the synthetic Berlin-scale city

            Made by `sozmon notebooks` from `datasets/synthetic-berlin` (542 planning areas, reference year 2024).
            Status: z-scores of S1, S3, S4 over the eligible areas (at least 300 inhabitants; population standard
            deviation), summed, standardised again and classed at −1, 1 and 1.5; dynamics the same on the changes over
            two years. The full tables are in the demo report (`sozmon demo`).

            | status class | areas |
            |---|---|
            \(classCounts.keys.sorted().map { "| \($0) | \(classCounts[$0]!) |" }.joined(separator: "\n"))

            **\(attentionRows.count) areas of special attention** (status *sehr niedrig*, or *niedrig* with dynamics
            *negativ*). The indicators measure one thing: Cronbach's alpha \(rounded(alpha)), and the first principal
            component explains \(rounded(explained, percent: true)) of their variance.

            ![status classes](figures/status-classes.svg)
            ![dynamics classes](figures/dynamics-classes.svg)
            ![areas of special attention](figures/attention-areas.svg)

            First areas of special attention:

            \(markdown(areas, columns: ["area_id", "area_name", "population", "status_value", "status_class", "dynamik_class", "combined_class"],
                       rows: attentionRows.prefix(10).map { $0 }))
            """
    }

    /// `quarterly-need.md`: the significant rises, and the area of each district with the largest rise of S4.
    static func quarterlyNeed(_ table: (String) throws -> CSVTable) throws -> String {
        let trends = try table("trends"), quarters = try table("quarters")
        let method = try trends.columnIndex("method"), worse = try trends.columnIndex("deteriorating"),
            indicator = try trends.columnIndex("indicator")
        let deteriorating = Dictionary(grouping: trends.rows.filter { $0[method] == "mann-kendall" && $0[worse] == "true" },
                                       by: { $0[indicator] }).mapValues(\.count)
        let rank = try quarters.columnIndex("rank_in_district")
        let topRows = quarters.rows.filter { $0[rank] == "1" && $0[2] == "S4" }
        return """
            # The quarterly need report on the synthetic city

            Made by `sozmon notebooks`: the quarterly shares 2019Q1–2024Q4 of S1, S3 and S4 per planning area. For each
            area and indicator: OLS, Mann–Kendall, Theil–Sen and seasonal Mann–Kendall trends; significant
            deteriorations after Benjamini–Hochberg control of the false discovery rate (q < 0.05).

            | indicator | areas with a significant rise (Mann–Kendall) |
            |---|---|
            \(["S1", "S3", "S4"].map { "| \($0) | \(deteriorating[$0] ?? 0) |" }.joined(separator: "\n"))

            ![deteriorating trends](figures/deteriorating-trends.svg)

            The area of each district with the largest rise of child poverty (S4) against the same quarter a year
            before:

            \(markdown(quarters, columns: ["district_id", "area_id", "period", "value", "change_year", "change_year_pct", "significant_deterioration"],
                       rows: topRows))
            """
    }

    /// `spatial-clusters.md`: global Moran's I, the local clusters of S4, the quality of the area types.
    static func spatialClusters(_ table: (String) throws -> CSVTable) throws -> String {
        let global = try table("spatial_global"), local = try table("spatial_local"), quality = try table("clusters_quality")
        let type = try local.columnIndex("cluster_type"), variable = try local.columnIndex("variable")
        let hotspots = Dictionary(grouping: local.rows.filter { $0[variable] == "S4" }.map { $0[type] }, by: { $0 }).mapValues(\.count)
        return """
            # Spatial clusters and hot spots on the synthetic city

            Made by `sozmon notebooks`: queen contiguity from the polygons, row-standardised; global and local Moran's I
            with 999 permutations (seeded), local clusters at q < 0.05 (Benjamini–Hochberg); area types by k-means,
            Ward and contiguity-constrained Ward (regions) on the standardised S1, S3, S4.

            \(markdown(global, columns: ["variable", "n", "value", "z_rand", "p_rand", "p_sim"], rows: global.rows))

            Local clusters of S4: \(hotspots.keys.sorted().map { "\($0) \(hotspots[$0]!)" }.joined(separator: ", ")).

            \(markdown(quality, columns: quality.header, rows: quality.rows))
            """
    }

    static func rounded(_ text: String, percent: Bool = false) -> String {
        guard let value = Double(text) else { return text }
        return percent ? String(format: "%.0f %%", value * 100) : String(format: "%.2f", value)
    }

    static func markdown(_ table: CSVTable, columns: [String], rows: [[String]]) -> String {
        let indices = columns.compactMap { table.header.firstIndex(of: $0) }
        var out = "| " + indices.map { table.header[$0] }.joined(separator: " | ") + " |\n"
        out += "|" + indices.map { _ in "---|" }.joined() + "\n"
        for row in rows {
            out += "| " + indices.map { i -> String in
                Double(row[i]).map { $0 == $0.rounded() ? row[i] : String(format: "%.3g", $0) } ?? row[i]
            }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// A minimal Markdown → HTML page (headings, paragraphs, tables, images) for the exports.
    static func htmlPage(markdown: String) -> String {
        var body = "", paragraph: [String] = [], inTable = false
        func flush() {
            if !paragraph.isEmpty { body += "<p>\(inline(paragraph.joined(separator: " ")))</p>\n"; paragraph = [] }
        }
        for line in markdown.components(separatedBy: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("|") {
                flush()
                let cells = trimmed.dropFirst().dropLast().components(separatedBy: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                if cells.allSatisfy({ $0.allSatisfy { $0 == "-" } }) { continue }
                if !inTable { body += "<table>\n"; inTable = true; body += "<tr>" + cells.map { "<th>\(inline($0))</th>" }.joined() + "</tr>\n"; continue }
                body += "<tr>" + cells.map { "<td>\(inline($0))</td>" }.joined() + "</tr>\n"
                continue
            }
            if inTable { body += "</table>\n"; inTable = false }
            if trimmed.hasPrefix("# ") { flush(); body += "<h1>\(inline(String(trimmed.dropFirst(2))))</h1>\n" }
            else if trimmed.hasPrefix("![") {
                flush()
                let alt = trimmed.dropFirst(2).prefix { $0 != "]" }
                let src = trimmed.components(separatedBy: "(").last?.dropLast() ?? ""
                body += "<img src=\"\(src)\" alt=\"\(alt)\">\n"
            } else if trimmed.isEmpty { flush() } else { paragraph.append(trimmed) }
        }
        flush()
        if inTable { body += "</table>\n" }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>sozmon</title>
            <style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em}table{border-collapse:collapse}
            td,th{border:1px solid #ccc;padding:2px 6px}img{max-width:45%;margin:0.5em}</style></head><body>
            \(body)</body></html>

            """
    }

    static func inline(_ text: String) -> String {
        var out = HTMLReport.escape(text)
        for (marker, tag) in [("**", "b"), ("*", "i"), ("`", "code")] {
            let parts = out.components(separatedBy: marker)
            guard parts.count >= 3 else { continue }
            out = parts.enumerated().map { k, part in k == 0 ? part : (k % 2 == 1 ? "<\(tag)>" : "</\(tag)>") + part }.joined()
        }
        return out
    }
}
