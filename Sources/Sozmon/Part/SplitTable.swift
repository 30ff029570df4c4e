import AreaData
import Foundation
import SozmonIO

/// A table that `sozmon part split` cuts into parts: read in its dialect, its rows counted per top-level unit (ids
/// that lost their leading zeros in a spreadsheet grouped as the panel reader repairs them: padded to the length
/// most ids have), and written into parts byte for byte.
struct SplitTable {
    let reader: CSVReader
    let dialect: CSVDialect
    let id: Int
    let hierarchy: AreaHierarchy
    /// The length most ids have.
    let common: Int
    let rows: Int
    let rowsPerGroup: [String: Int]
    /// The ids of `lookingFor` the table has.
    let found: Set<String>

    init(_ url: URL, override: RunConfig.DialectOverride, areaID: String, hierarchy: AreaHierarchy,
         lookingFor: Set<String> = []) throws {
        let detected = try CSVReader(contentsOf: url)
        dialect = override.applied(to: detected.dialect)
        reader = dialect == detected.dialect ? detected : try CSVReader(contentsOf: url, dialect: dialect)
        id = try reader.columnIndex(areaID)
        self.hierarchy = hierarchy
        // Two reads: the ids' lengths, then the rows of each group.
        var lengths: [Int: Int] = [:], rows = 0, found: Set<String> = []
        let reader = reader, id = id
        try reader.forEachRecord { (record: CSVRecord) throws(InputError) in
            lengths[record.range(id).count, default: 0] += 1
            rows += 1
            if !lookingFor.isEmpty {
                let text = try reader.text(record, id)
                if lookingFor.contains(text) { found.insert(text) }
            }
        }
        guard rows > 0 else { throw InputError(file: url.path, message: "the table has no data rows") }
        self.rows = rows
        self.found = found
        common = lengths.max { ($0.value, $0.key) < ($1.value, $1.key) }!.key
        var rowsPerGroup: [String: Int] = [:]
        if !hierarchy.levelNames.isEmpty {
            let common = common
            try reader.forEachRecord { (record: CSVRecord) throws(InputError) in
                rowsPerGroup[try Self.group(record, reader: reader, id: id, common: common, hierarchy: hierarchy), default: 0] += 1
            }
        }
        self.rowsPerGroup = rowsPerGroup
    }

    /// The top-level unit of a record's area.
    func group(_ record: CSVRecord) throws(InputError) -> String {
        try Self.group(record, reader: reader, id: id, common: common, hierarchy: hierarchy)
    }

    private static func group(_ record: CSVRecord, reader: CSVReader, id: Int, common: Int,
                              hierarchy: AreaHierarchy) throws(InputError) -> String {
        var areaID = try reader.text(record, id)
        if areaID.utf8.count < common && areaID.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            areaID = String(repeating: "0", count: common - areaID.utf8.count) + areaID
        }
        do { return try hierarchy.parent(of: areaID, level: 0) } catch {
            throw InputError(file: reader.file, line: record.line, column: id + 1, message: "\(error)")
        }
    }

    /// The dialect as `split.json` records it.
    var dialectRecord: SplitRecord.Dialect { SplitRecord.Dialect(dialect) }

    /// Writes the records into the files `names` of `folder`, record r of the table into part `part(record, r)`, each
    /// file with the header; with `order`, a file of that name with the runs of parts in which new areas first appear
    /// (`part,areas`: the single run's order of areas is the order of first appearance).
    func write(into folder: AtomicFolder, names: [String], order: String?,
               part: (CSVRecord, Int) throws(InputError) -> Int) throws {
        let separator = UInt8(ascii: dialect.separator.rawValue.unicodeScalars.first!), quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n")
        func append(_ field: ArraySlice<UInt8>, to buffer: inout [UInt8]) {
            if field.contains(where: { $0 == separator || $0 == quote || $0 == newline || $0 == 13 }) {
                buffer.append(quote)
                for byte in field { if byte == quote { buffer.append(quote) }; buffer.append(byte) }
                buffer.append(quote)
            } else {
                buffer.append(contentsOf: field)
            }
        }
        var header: [UInt8] = []
        for (k, name) in reader.header.enumerated() {
            if k > 0 { header.append(separator) }
            let bytes = dialect.encoding == .utf8 ? Data(name.utf8) : name.data(using: .windowsCP1252) ?? Data(name.utf8)
            append(ArraySlice(bytes), to: &header)
        }
        header.append(newline)
        let handles = try names.map { try folder.create($0) }
        defer { for handle in handles { try? handle.close() } }
        var buffers = [[UInt8]](repeating: header, count: names.count)
        var failure: Error?, r = 0
        var seen = Set<ArraySlice<UInt8>>(), runs: [(part: Int, areas: Int)] = []
        try reader.forEachRecord { (record: CSVRecord) throws(InputError) in
            let p = try part(record, r)
            r += 1
            if order != nil && seen.insert(record.field(id)).inserted {
                if runs.last?.part == p { runs[runs.count - 1].areas += 1 } else { runs.append((p, 1)) }
            }
            for k in 0..<record.count {
                if k > 0 { buffers[p].append(separator) }
                append(record.field(k), to: &buffers[p])
            }
            buffers[p].append(newline)
            if buffers[p].count > 1 << 22 && failure == nil {
                do { try handles[p].write(contentsOf: buffers[p]) } catch { failure = error }
                buffers[p].removeAll(keepingCapacity: true)
            }
        }
        if let failure { throw OutputError(path: folder.staging.path, writing: failure, action: "write a part") }
        for (handle, buffer) in zip(handles, buffers) { try handle.write(contentsOf: buffer) }
        if let order {
            try folder.writeExchange(order) { writer in
                try writer.row([.text("part"), .text("areas")])
                for run in runs { try writer.row([.number(Double(run.part + 1)), .number(Double(run.areas))]) }
            }
        }
    }
}
