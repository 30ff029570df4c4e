import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a ZIP archive (PKWARE APPNOTE 6.3) entry by entry from deflated pieces, so that no entry is ever held
/// whole: each entry's sizes and CRC follow its data in a data descriptor, and the central directory is written at
/// the end (with ZIP64 records once offsets pass 4 GiB). Entries carry a fixed date (1980-01-01), so the same
/// content gives the same bytes.
public final class ZipWriter {
    struct Entry {
        var name: [UInt8]
        var offset: UInt64
        var crc: UInt32 = 0
        var compressed: UInt64 = 0
        var size: UInt64 = 0
    }

    private let handle: FileHandle
    private var offset: UInt64 = 0
    private var entries: [Entry] = []
    private var current: Entry?
    private var buffer: [UInt8] = []

    /// Creates the archive at `url`, which must not exist.
    public init(url: URL) throws {
        // Opened directly: `FileManager.createFile` writes atomically through a folder it leaves behind in /tmp.
        let descriptor = Glibc.open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    deinit { try? handle.close() }

    /// Starts an entry called `name` (a path inside the archive, `/` between folders).
    public func begin(_ name: String) throws {
        precondition(current == nil, "an entry is open")
        let entry = Entry(name: Array(name.utf8), offset: offset)
        put32(0x0403_4B50)
        put16(20)                       // version needed: 2.0 (deflate)
        put16(0x0808)                   // flags: sizes in a data descriptor; UTF-8 names
        put16(8)                        // deflate
        put16(0); put16(0x21)           // 00:00, 1980-01-01
        put32(0); put32(0); put32(0)    // CRC and sizes follow the data
        put16(UInt16(entry.name.count)); put16(0)
        buffer += entry.name
        current = entry
        try flush()
    }

    /// Appends the next piece of the open entry.
    public func append(_ piece: DeflatedPiece) throws {
        guard var entry = current else { preconditionFailure("no entry is open") }
        entry.crc = entry.size == 0 ? piece.crc : DeflatedPiece.combine(entry.crc, piece.crc, lengthB: piece.size)
        entry.size += UInt64(piece.size)
        entry.compressed += UInt64(piece.compressed.count)
        current = entry
        buffer += piece.compressed
        if buffer.count >= 1 << 22 { try flush() }
    }

    /// Ends the open entry.
    /// - Throws: `EntryTooLarge` for an entry of 4 GiB or more (its sizes would need ZIP64 in the local header).
    public func end() throws {
        guard var entry = current else { preconditionFailure("no entry is open") }
        buffer += DeflatedPiece.finalBlock
        entry.compressed += UInt64(DeflatedPiece.finalBlock.count)
        guard entry.size < 0xFFFF_FFFF && entry.compressed < 0xFFFF_FFFF else {
            throw EntryTooLarge(name: String(decoding: entry.name, as: UTF8.self), size: entry.size)
        }
        put32(0x0807_4B50); put32(entry.crc); put32(UInt32(entry.compressed)); put32(UInt32(entry.size))
        entries.append(entry)
        current = nil
        try flush()
    }

    /// Writes the central directory and closes the file.
    public func finish() throws {
        precondition(current == nil, "an entry is open")
        let directoryStart = offset
        for entry in entries {
            let zip64 = entry.offset >= 0xFFFF_FFFF
            put32(0x0201_4B50)
            put16(zip64 ? 45 : 20); put16(zip64 ? 45 : 20)
            put16(0x0808); put16(8); put16(0); put16(0x21)
            put32(entry.crc); put32(UInt32(entry.compressed)); put32(UInt32(entry.size))
            put16(UInt16(entry.name.count)); put16(zip64 ? 12 : 0); put16(0)
            put16(0); put16(0); put32(0)  // disk, internal and external attributes
            put32(zip64 ? 0xFFFF_FFFF : UInt32(entry.offset))
            buffer += entry.name
            if zip64 { put16(0x0001); put16(8); put64(entry.offset) }
            try flush()
        }
        let directorySize = offset - directoryStart
        if directoryStart >= 0xFFFF_FFFF || entries.count >= 0xFFFF {
            let record = offset
            put32(0x0606_4B50); put64(44); put16(45); put16(45); put32(0); put32(0)
            put64(UInt64(entries.count)); put64(UInt64(entries.count)); put64(directorySize); put64(directoryStart)
            put32(0x0706_4B50); put32(0); put64(record); put32(1)
        }
        put32(0x0605_4B50); put16(0); put16(0)
        put16(UInt16(min(entries.count, 0xFFFF))); put16(UInt16(min(entries.count, 0xFFFF)))
        put32(UInt32(min(directorySize, 0xFFFF_FFFF))); put32(UInt32(min(directoryStart, 0xFFFF_FFFF))); put16(0)
        try flush()
        try handle.close()
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        offset += UInt64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    private func put16(_ v: UInt16) { buffer += [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private func put32(_ v: UInt32) { put16(UInt16(v & 0xFFFF)); put16(UInt16(v >> 16)) }
    private func put64(_ v: UInt64) { put32(UInt32(v & 0xFFFF_FFFF)); put32(UInt32(v >> 32)) }
}

/// An entry of 4 GiB or more.
public struct EntryTooLarge: LocalizedError, CustomStringConvertible {
    public let name: String
    public let size: UInt64
    public var description: String { "\(name) would hold \(size) bytes, more than a ZIP entry without ZIP64 can (4 GiB)" }
    public var errorDescription: String? { description }
}
