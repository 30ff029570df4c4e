import Foundation
import SozmonIO

/// A file the passes of a part run hand each other (`values.csv`, `order.csv`, `part-000K.weights.csv`,
/// `local.csv`): CSV in sozmon's plain dialect, numbers as the shortest text that reads back to the same double,
/// a missing number as nothing.
struct ExchangeWriter {
    enum Cell { case text(String), number(Double) }

    let handle: FileHandle
    private var buffer: [UInt8] = []
    private let formatter = CSVFormatter(style: .plain)

    init(handle: FileHandle) { self.handle = handle }

    mutating func row(_ cells: [Cell]) throws {
        for (k, cell) in cells.enumerated() {
            if k > 0 { buffer.append(formatter.separator) }
            switch cell {
            case .text(let text): formatter.appendText(text, to: &buffer)
            case .number(let value): formatter.appendNumber(value, to: &buffer)
            }
        }
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count > 1 << 22 { try flush() }
    }

    /// The rows of `table` (those `keep` takes, by row number), each with the cells of `extra` at the same row
    /// appended (the header first).
    mutating func write(_ table: Table, extra: [String: [Bool]] = [:], keep: (Int) -> Bool = { _ in true }) throws {
        let added = extra.keys.sorted()
        try row((table.columns + added).map { .text($0) })
        var r = 0
        for block in table.blocks {
            for k in 0..<block.count {
                defer { r += 1 }
                guard keep(r) else { continue }
                var cells: [Cell] = table.columns.indices.map { j in
                    switch block[k, j] {
                    case .text(let text): .text(text)
                    case .number(let value): .number(value)
                    case .integer(let value): .number(Double(value))
                    case .bool(let value): .text(value ? "true" : "false")
                    case .empty: .text("")
                    }
                }
                cells += added.map { .text(extra[$0]![r] ? "true" : "false") }
                try row(cells)
            }
        }
    }

    mutating func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

extension AtomicFolder {
    /// Writes the exchange file `name` through `body`, whole (flushed and closed after it).
    func writeExchange(_ name: String, _ body: (inout ExchangeWriter) throws -> Void) throws {
        let handle = try create(name)
        defer { try? handle.close() }
        var writer = ExchangeWriter(handle: handle)
        try body(&writer)
        try writer.flush()
    }
}

/// An exchange file read whole: its text columns as strings, the others as numbers (empty: NaN).
struct ExchangeTable {
    let file: String
    private var texts: [Int: [String]] = [:]
    private var numbers: [Int: [Double]] = [:]

    /// - Parameters:
    ///   - header: the columns the file must have, in order.
    ///   - textColumns: the columns read as text.
    ///   - keeping: only the rows whose text in column `column` is `value` (one piece of a large file at a time).
    init(_ url: URL, header: [String], textColumns: Set<Int>, keeping: (column: Int, value: String)? = nil) throws {
        file = url.path
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw InputError(file: url.path, message: "is missing (written by an earlier pass of sozmon part)")
        }
        let reader = try CSVReader(contentsOf: url, dialect: .plain)
        guard reader.header == header else {
            throw InputError(file: url.path, line: 1, message: "expected the columns \(header.joined(separator: ", "))")
        }
        for k in header.indices { if textColumns.contains(k) { texts[k] = [] } else { numbers[k] = [] } }
        try reader.forEachRecord { (record: CSVRecord) throws(InputError) in
            guard record.count == header.count else {
                throw InputError(file: url.path, line: record.line, message: "expected \(header.count) fields, found \(record.count)")
            }
            if let keeping, try reader.text(record, keeping.column) != keeping.value { return }
            for k in header.indices {
                let text = try reader.text(record, k)
                if textColumns.contains(k) { texts[k]!.append(text); continue }
                guard let value = text.isEmpty ? .nan : Double(text) else {
                    throw InputError(file: url.path, line: record.line, column: k + 1, message: "'\(text)' is not a number")
                }
                numbers[k]!.append(value)
            }
        }
    }

    func texts(_ column: Int) -> [String] { texts[column]! }
    func numbers(_ column: Int) -> [Double] { numbers[column]! }
}

/// The single run's order of the parts' areas, from an order file of split (`part,areas`: runs of parts in which new
/// areas first appear in the table) and the number of areas of each part (in its own order).
struct Interleaving {
    /// For each area in the single run's order: its part (0-based) and its place in the part.
    let places: [(part: Int, index: Int)]

    init(_ order: URL, counts: [Int], parts: [URL]) throws {
        let runs = try ExchangeTable(order, header: ["part", "areas"], textColumns: [])
        var places: [(part: Int, index: Int)] = [], next = [Int](repeating: 0, count: counts.count)
        places.reserveCapacity(counts.reduce(0, +))
        for (r, (p, n)) in zip(runs.numbers(0), runs.numbers(1)).enumerated() {
            guard let part = Int(exactly: p), part >= 1, part <= counts.count, let n = Int(exactly: n), n >= 0,
                  next[part - 1] + n <= counts[part - 1] else {
                throw InputError(file: order.path, line: r + 2, message: "does not match the parts given (part \(p), \(n) areas)")
            }
            places += (next[part - 1]..<(next[part - 1] + n)).map { (part - 1, $0) }
            next[part - 1] += n
        }
        if let p = next.indices.first(where: { next[$0] != counts[$0] }) {
            throw InputError(file: order.path, message: "names \(next[p]) areas of \(parts[p].path), which has \(counts[p])")
        }
        self.places = places
    }
}
