import Dispatch
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
        let batch = 4 * ProcessInfo.processInfo.activeProcessorCount
        for start in stride(from: 0, to: pieces.count, by: batch) {
            let work = Array(pieces[start..<min(start + batch, pieces.count)])
            let output = PieceBuffers(count: work.count)
            DispatchQueue.concurrentPerform(iterations: work.count) { k in
                let block = blocks[work[k].block]
                var bytes: [UInt8] = []
                bytes.reserveCapacity(Self.rowsPerPiece * 16 * block.columns.count)
                for r in work[k].first..<min(work[k].first + Self.rowsPerPiece, block.count) {
                    formatter.appendRecord(block, storedRow: block.storedRow(r), to: &bytes)
                }
                output.set(k, bytes)
            }
            for bytes in output.take() { try handle.write(contentsOf: bytes) }
        }
    }
}

/// The formatted pieces of one batch, filled from several threads.
private final class PieceBuffers: @unchecked Sendable {
    private var pieces: [[UInt8]]
    private let lock = NSLock()
    init(count: Int) { pieces = Array(repeating: [], count: count) }
    func set(_ k: Int, _ bytes: [UInt8]) { lock.withLock { pieces[k] = bytes } }
    func take() -> [[UInt8]] { lock.withLock { pieces } }
}
