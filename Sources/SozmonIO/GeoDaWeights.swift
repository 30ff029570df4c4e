import Foundation

/// Spatial weights in GeoDa's text formats, as GeoDa and PySAL write them (Anselin & Rey 2014, ch. 4; libpysal.io):
/// - `.gal`: a header `n` or `0 n layer key`, then per area a line `id k` and a line with its k neighbour ids;
/// - `.gwt`: a header `0 n layer key`, then a line `id neighbour weight` per link.
public enum GeoDaWeights {
    /// One link: from an area to a neighbour, with its weight (1 in a `.gal`) and where it stands in the file.
    public struct Link: Sendable, Equatable {
        public let from: String
        public let to: String
        public let weight: Double
        public let line: Int
    }

    /// The links of `url` (`.gal` or `.gwt` by its extension).
    /// - Throws: `InputError` with the line: a header without the number of areas, a record whose count does not
    ///   match its neighbours, a weight that is not a positive number, an unknown extension.
    public static func read(_ url: URL) throws(InputError) -> [Link] {
        let handle = try InputFile.open(url, what: "the weights file")
        defer { try? handle.close() }
        // An empty file reads as no data (nil), which the header check below reports.
        let data: Data
        do { data = try handle.readToEnd() ?? Data() } catch {
            throw InputError(file: url.path, message: "the weights file cannot be read (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: url.path, message: "the weights file cannot be read as UTF-8 text")
        }
        // Any line end (a Windows "\r\n" is one Character, which splitting at "\n" would not see).
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map {
            $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "," }).map(String.init)
        }
        func fail(_ line: Int, _ message: String) -> InputError { InputError(file: url.path, line: line, message: message) }
        guard let header = lines.first, let count = Int(header.count == 1 ? header[0] : header.count >= 2 ? header[1] : ""),
              count >= 0 else {
            throw fail(1, "expected a header with the number of areas (`n` or `0 n layer key`)")
        }
        switch url.pathExtension.lowercased() {
        case "gal":
            var links: [Link] = [], k = 1, records = 0
            while k < lines.count {
                let record = lines[k]
                if record.isEmpty { k += 1; continue }
                guard record.count == 2, let n = Int(record[1]), n >= 0 else {
                    throw fail(k + 1, "expected `id count` (an area and its number of neighbours)")
                }
                let neighbours = k + 1 < lines.count ? lines[k + 1] : []
                records += 1
                // An island's neighbour line may be empty or left out (the next record follows at once).
                if n == 0 { k += neighbours.isEmpty ? 2 : 1; continue }
                guard neighbours.count == n else {
                    throw fail(k + 2, "area \(record[0]) has \(n) neighbours by line \(k + 1), but \(neighbours.count) are listed")
                }
                links += neighbours.map { Link(from: record[0], to: $0, weight: 1, line: k + 2) }
                k += 2
            }
            guard records == count else { throw fail(1, "the header says \(count) areas; \(records) are listed") }
            return links
        case "gwt":
            var links: [Link] = []
            for (k, fields) in lines.enumerated().dropFirst() where !fields.isEmpty {
                guard fields.count == 3, let weight = Double(fields[2]) else {
                    throw fail(k + 1, "expected `id neighbour weight`")
                }
                guard weight > 0 && weight.isFinite else {
                    throw fail(k + 1, "weight \(fields[2]) of \(fields[0])–\(fields[1]); expected a positive number")
                }
                links.append(Link(from: fields[0], to: fields[1], weight: weight, line: k + 1))
            }
            return links
        default:
            throw InputError(file: url.path, message: "a weights file must be GeoDa's .gal or .gwt")
        }
    }

    /// `.gal` text: a header `0 n layer key`, then each area's id and count, and its neighbours' ids.
    public static func gal(ids: [String], neighbours: [[Int]], layer: String, key: String) -> String {
        var out = "0 \(ids.count) \(layer) \(key)\n"
        for (i, list) in neighbours.enumerated() {
            out += "\(ids[i]) \(list.count)\n" + list.map { ids[$0] }.joined(separator: " ") + "\n"
        }
        return out
    }

    /// `.gwt` text: a header `0 n layer key`, then a line `id neighbour weight` per link (weights at full precision).
    public static func gwt(ids: [String], neighbours: [[Int]], weights: [[Double]], layer: String, key: String) -> String {
        var out = "0 \(ids.count) \(layer) \(key)\n"
        for (i, list) in neighbours.enumerated() {
            for (j, w) in zip(list, weights[i]) { out += "\(ids[i]) \(ids[j]) \(w)\n" }
        }
        return out
    }
}
