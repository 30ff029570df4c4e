import Foundation

extension Table {
    /// Rows formatted as one piece of work; pieces are formatted on all cores and written in order.
    static let rowsPerPiece = 8_192

    /// Writes the table as CSV (numbers at full precision; missing values as empty cells), formatting blocks of rows
    /// on all cores while holding only a few of them at a time.
    public func writeCSV(to handle: FileHandle, style: CSVWriter.Style) throws {
        let formatter = CSVFormatter(style: style)
        var header: [UInt8] = style == .excelGerman ? [0xEF, 0xBB, 0xBF] : []
        for (j, column) in columns.enumerated() {
            if j > 0 { header.append(formatter.separator) }
            formatter.appendText(column, to: &header)
        }
        header.append(UInt8(ascii: "\n"))
        try handle.write(contentsOf: header)
        let pieces = blocks.indices.flatMap { b in
            stride(from: 0, to: blocks[b].count, by: Self.rowsPerPiece).map { (block: b, first: $0) }
        }
        try forEachInOrder(pieces.count, make: { k in
            let block = blocks[pieces[k].block], first = pieces[k].first
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Self.rowsPerPiece * 16 * block.columns.count)
            for r in first..<min(first + Self.rowsPerPiece, block.count) {
                formatter.appendRecord(block, storedRow: block.storedRow(r), to: &bytes)
            }
            return bytes
        }, consume: { try handle.write(contentsOf: $0) })
    }
}
