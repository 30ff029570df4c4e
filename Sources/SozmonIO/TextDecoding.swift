/// Turns a field's bytes into text in the file's encoding.
enum TextDecoding {
    /// Windows-1252's 0x80–0x9F (the rest of the high half is Latin-1, i.e. the same code point);
    /// 0 marks the five bytes the code page leaves undefined.
    private static let windows1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
        0x0178,
    ]

    /// The text of `bytes`, or `nil` when they are not valid in `encoding`. A field `="…"` (a spreadsheet's formula
    /// for a text, as sozmon's `excel-de` CSV writes an id of digits: `CSVFormatter.appendID`) is the text inside.
    static func decode<C: BidirectionalCollection<UInt8>>(_ bytes: C, as encoding: CSVDialect.Encoding) -> String? {
        if bytes.count >= 3, bytes.starts(with: [UInt8(ascii: "="), UInt8(ascii: "\"")]), bytes.last == UInt8(ascii: "\""),
           !bytes.dropFirst(2).dropLast().contains(UInt8(ascii: "\"")) {
            return decode(Array(bytes.dropFirst(2).dropLast()), as: encoding)
        }
        switch encoding {
        case .utf8:
            // ASCII (most cells) needs no validation; the generic `String(validating:)` costs a metadata lookup a call.
            if let text = bytes.withContiguousStorageIfAvailable({ buffer in
                buffer.allSatisfy { $0 < 0x80 } ? String(decoding: buffer, as: UTF8.self) : String(validating: buffer, as: UTF8.self)
            }) {
                return text
            }
            return String(validating: bytes, as: UTF8.self)
        case .windows1252:
            if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            var scalars = String.UnicodeScalarView()
            for b in bytes {
                let value = (b >= 0x80 && b <= 0x9F) ? windows1252High[Int(b - 0x80)] : UInt32(b)
                guard value != 0 || b == 0, let scalar = Unicode.Scalar(value) else { return nil }
                scalars.append(scalar)
            }
            return String(scalars)
        }
    }
}
