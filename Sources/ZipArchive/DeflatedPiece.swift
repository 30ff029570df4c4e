import CDeflate

/// Part of a ZIP entry compressed on its own: raw deflate (RFC 1951) ending in a sync flush, so that pieces compressed
/// on several threads concatenate, in order, into one deflate stream (as pigz does), with the CRC-32 of its bytes.
/// The same bytes always give the same piece.
public struct DeflatedPiece: Sendable {
    public let compressed: [UInt8]
    public let crc: UInt32
    /// Uncompressed length.
    public let size: Int

    /// zlib level 1…9; 1 (the default here) writes the workbook of 10⁵ areas in 11 s instead of 14 s (level 3) for a
    /// file a fifth larger.
    public init(_ bytes: [UInt8], level: Int32 = 1) {
        size = bytes.count
        guard !bytes.isEmpty else { compressed = []; crc = 0; return }
        var stream = z_stream()
        let status = deflateInit2_(&stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                                   Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "zlib deflateInit2 failed (\(status))")
        defer { deflateEnd(&stream) }
        // The bound of a whole stream, plus the sync flush's empty stored block.
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
        var crc: UInt = 0
        bytes.withUnsafeBufferPointer { input in
            crc = crc32_z(0, input.baseAddress, input.count)
            output.withUnsafeMutableBufferPointer { out in
                var offset = 0
                while offset < input.count {
                    let chunk = min(input.count - offset, Int(UInt32.max / 2))
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + offset)
                    stream.avail_in = UInt32(chunk)
                    stream.next_out = out.baseAddress! + Int(stream.total_out)
                    stream.avail_out = UInt32(min(out.count - Int(stream.total_out), Int(UInt32.max / 2)))
                    let result = deflate(&stream, offset + chunk == input.count ? Z_SYNC_FLUSH : Z_NO_FLUSH)
                    precondition(result == Z_OK && stream.avail_in == 0, "zlib deflate failed (\(result))")
                    offset += chunk
                }
            }
        }
        output.removeSubrange(Int(stream.total_out)...)
        compressed = output
        self.crc = UInt32(crc)
    }

    /// The empty final block that ends a stream of sync-flushed pieces (fixed Huffman codes, BFINAL set).
    static let finalBlock: [UInt8] = [0x03, 0x00]

    /// The CRC-32 of bytes `a` followed by bytes `b` of length `lengthB`, from their own CRCs.
    static func combine(_ a: UInt32, _ b: UInt32, lengthB: Int) -> UInt32 {
        UInt32(crc32_combine(UInt(a), UInt(b), off_t(lengthB)))
    }
}
