import Foundation

extension Table {
    /// Writes the table as CSV (numbers at full precision; missing values as empty cells; text neutralised against
    /// formula injection, `CSVFormatter.appendPublishedText`; in `excel-de` ids of digits as `="0101"`, which a
    /// spreadsheet keeps as text, `CSVFormatter.appendID`), formatting pieces of rows on all cores while holding
    /// only a few of them at a time.
    /// - Parameter header: false to append the rows to a file that has the header already (a table written in pieces).
    /// Whether column `j` holds ids: an area's, a unit's, a related area's, or a column named `…_id`.
    public func isIDColumn(_ j: Int) -> Bool {
        switch roles[j] {
        case .areaID, .unit, .relatedArea: true
        default: columns[j].hasSuffix("_id")
        }
    }

    public func writeCSV(to handle: FileHandle, style: CSVWriter.Style, header writesHeader: Bool = true) throws {
        let formatter = CSVFormatter(style: style, idColumns: Set(columns.indices.filter(isIDColumn)))
        if writesHeader {
            var header: [UInt8] = style == .excelGerman ? [0xEF, 0xBB, 0xBF] : []
            for (j, column) in columns.enumerated() {
                if j > 0 { header.append(formatter.separator) }
                formatter.appendPublishedText(column, to: &header)
            }
            header.append(UInt8(ascii: "\n"))
            try handle.write(contentsOf: header)
        }
        let pieces = pieces(of: 0..<rowCount)
        try forEachInOrder(pieces.count, make: { k in
            let piece = pieces[k], block = blocks[piece.block]
            var bytes: [UInt8] = []
            bytes.reserveCapacity(piece.count * 16 * block.columns.count)
            for r in piece.first..<(piece.first + piece.count) {
                formatter.appendRecord(block, storedRow: block.storedRow(r), to: &bytes)
            }
            return bytes
        }, consume: { try handle.write(contentsOf: $0) })
    }
}
