import Dispatch
import Foundation

/// What reads the records of one piece of a CSV file on one core (see `CSVReader.readInPieces`).
protocol PieceReader: SendableMetatype {
    /// Reads one data record; its `line` counts from the start of the piece (1 = the piece's first line).
    mutating func read(_ record: CSVRecord) throws(InputError)
    /// Called on the worker's thread when its piece has been read, before any merge.
    mutating func finishPiece()
    /// Forgets what `read` kept of the current piece (its cut turned out to be inside a quoted field).
    mutating func discardPiece()
}

/// One worker's reader and its outcome for the current piece; only one thread touches it at a time.
private final class Worker<Reader: PieceReader>: @unchecked Sendable {
    /// The reader; nil while its piece is read (moved out, so that the per-record calls go to a local value).
    var reader: Reader?
    var error: InputError?
    var lines = 0
    var sawQuote = false
    init(_ reader: Reader) { self.reader = reader }
}

extension CSVReader {
    /// Reads the data records on several cores, in file order where it matters.
    ///
    /// The file streams through in chunks of whole records (memory stays at a few chunks whatever its size). Each
    /// chunk is cut at line breaks into one piece per worker, and worker w reads piece w of every chunk; then, in file
    /// order, `merge(&reader, firstLine)` receives each worker's reader with the file line its piece began on. A cut is
    /// first made at the nearest line break, assuming no quoted field spans it; if any piece holds a quote character
    /// that is checked by counting quotes from the chunk's start, and the chunk is read again with exact cuts (as is
    /// the rest of the file). Errors name the file's line and column, as `forEachRecord` does.
    func readInPieces<Reader: PieceReader>(workers count: Int, _ makeReader: () -> Reader,
                                           merge: (inout Reader, Int) throws(InputError) -> Void) throws(InputError) {
        let workers = (0..<max(count, 1)).map { _ in Worker(makeReader()) }
        let separator = dialect.separator.byte, width = header.count, file = self.file, leading = leadingRecords
        var line = 1, atFileStart = true, exactCuts = false
        /// Reads `chunk` (whole records) in pieces ending at `ends`; false when a speculative cut must be redone.
        func readChunk(_ chunk: [UInt8], ends: [Int], exact: Bool) throws(InputError) -> Bool {
            let skipHeader = atFileStart
            DispatchQueue.concurrentPerform(iterations: workers.count) { w in
                let worker = workers[w], start = w == 0 ? 0 : ends[w - 1]
                worker.error = nil
                var tokenizer = CSVTokenizer(separator: separator, atFileStart: skipHeader && w == 0)
                var sink = RecordSink(reader: worker.reader.take()!, width: width, file: file, skip: skipHeader && w == 0 ? leading : 0)
                do {
                    // Closures written in place (not a local function), so the sink is checked for exclusive
                    // access at compile time rather than at every record.
                    try tokenizer.consume(chunk, start..<ends[w]) { try sink.take($0) }
                    try tokenizer.finish { try sink.take($0) }
                } catch {
                    worker.error = Self.inputError(error, file: file)
                }
                var reader = sink.reader
                defer { worker.reader = reader }
                reader.finishPiece()
                worker.lines = tokenizer.line - 1
                worker.sawQuote = tokenizer.sawQuote
            }
            // A quote anywhere may mean a cut inside a quoted field: then nothing of this chunk is merged.
            if !exact && workers.contains(where: \.sawQuote) {
                for worker in workers { worker.reader!.discardPiece() }
                return false
            }
            var first = line
            for worker in workers {
                if var error = worker.error {
                    error.line += first - 1
                    throw error
                }
                try merge(&worker.reader!, first)
                first += worker.lines
            }
            line = first
            atFileStart = false
            return true
        }
        var buffer: [UInt8] = []
        var atEnd = false
        var stream: FileHandle? = nil
        switch source {
        case .bytes(let bytes): buffer = bytes; atEnd = true
        case .file(let url):
            guard let handle = FileHandle(forReadingAtPath: url.path) else {
                throw InputError(.missingFile, file: file, message: "cannot open the file for reading")
            }
            stream = handle
        }
        defer { try? stream?.close() }
        while true {
            if let handle = stream, !atEnd { atEnd = try appendChunk(from: handle, to: &buffer) }
            if buffer.isEmpty { break }
            guard let (end, ends) = Self.cuts(buffer.span, pieces: workers.count, atEnd: atEnd, exact: exactCuts) else {
                continue  // no line break yet: read on
            }
            guard try readChunk(buffer, ends: ends, exact: exactCuts) else {
                exactCuts = true  // a cut fell inside a quoted field: read this chunk and the rest with exact cuts
                continue
            }
            buffer.removeFirst(end)
            if atEnd && buffer.isEmpty { break }
        }
    }

    /// The next chunk of the file appended to `buffer`; true at the end of the file. Text has no NUL byte: it reads
    /// no further than the first one, whose record the tokenizer then reports at its line (a table followed by
    /// gigabytes of zeros fails at once).
    private func appendChunk(from handle: FileHandle, to buffer: inout [UInt8]) throws(InputError) -> Bool {
        do {
            guard let data = try handle.read(upToCount: chunkSize), !data.isEmpty else { return true }
            // Searched in the array: `Data.firstIndex` checks exclusive access at every byte.
            let start = buffer.count
            buffer.append(contentsOf: data)
            guard let nul = buffer[start...].firstIndex(of: 0) else { return false }
            buffer.removeSubrange((nul + 1)...)
            return true
        } catch {
            throw InputError(file: file, message: "cannot read the file (\(error.localizedDescription))")
        }
    }

    /// Whether a record may end just after offset i: a line feed, or a carriage return not followed by one (a CR
    /// at the very end is not a cut: its LF may come with the next read).
    private static func isCut(_ bytes: Span<UInt8>, _ i: Int) -> Bool {
        bytes[i] == 0x0A || (bytes[i] == 0x0D && i + 1 < bytes.count && bytes[i + 1] != 0x0A)
    }

    /// Where the chunk in `bytes` ends (after its last line break, or at the end of the file) and where each of its
    /// `pieces` pieces ends: after the first line break at or after an equal share of the bytes. With `exact`, only
    /// line breaks outside quoted fields count (quotes counted from the start). Nil when there is no line break yet.
    private static func cuts(_ bytes: Span<UInt8>, pieces: Int, atEnd: Bool,
                             exact: Bool) -> (end: Int, ends: [Int])? {
        let targets = (1..<max(pieces, 1)).map { $0 * bytes.count / pieces }
        var end = bytes.count, ends: [Int] = []
        if exact {
            var inQuotes = false, last = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                if b == 0x22 { inQuotes.toggle(); continue }
                guard !inQuotes, b == 0x0A || b == 0x0D, isCut(bytes, i) else { continue }
                last = i + 1
                while ends.count < targets.count && targets[ends.count] <= i { ends.append(last) }
            }
            if !atEnd { end = last }
        } else {
            if !atEnd {
                end = 0
                var i = bytes.count - 1
                while i >= 0 { if isCut(bytes, i) { end = i + 1; break }; i -= 1 }
            }
            for target in targets {
                var i = target
                while i < end && !isCut(bytes, i) { i += 1 }
                ends.append(min(i + 1, end))
            }
        }
        guard end > 0 else { return nil }
        ends = ends.map { min($0, end) }
        while ends.count < targets.count { ends.append(end) }
        return (end, ends + [end])
    }
}

/// Hands a piece's records to its reader, after the header and once their width is checked.
private struct RecordSink<Reader: PieceReader> {
    var reader: Reader
    let width: Int
    let file: String
    /// The records still to pass over (the header, and a `sep=` line before it).
    var skip: Int

    mutating func take(_ record: CSVRecord) throws {
        if skip > 0 { skip -= 1; return }
        guard record.count == width else {
            throw InputError(file: file, line: record.line, column: min(record.count, width) + 1,
                             message: "\(record.count) fields, expected \(width) as in the header")
        }
        try reader.read(record)
    }
}
