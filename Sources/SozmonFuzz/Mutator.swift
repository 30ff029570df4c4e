import Statistics

/// Seeded byte-level mutations of a seed input, as a fuzzer makes them: flipped bits, inserted and deleted bytes,
/// repeated and spliced ranges, and tokens that readers of CSV, JSON and TOML must survive (quotes, separators,
/// line breaks, NUL, huge and odd numbers, invalid UTF-8). The same seed gives the same inputs.
struct Mutator {
    private var random: RandomStream
    let seeds: [[UInt8]]

    static let tokens: [[UInt8]] = [
        "\"", ",", ";", "\t", "\n", "\r\n", "\r", "\0", "-", ".", "..", "...", "1e308", "-1e308", "1e-320", "NaN",
        "inf", "-0", "9223372036854775807", "-9223372036854775808", "18446744073709551616", "0x1p3", "1,5", "1.000,5",
        "\u{FEFF}", "ä", "\u{FFFD}", "[", "]", "[[", "{", "}", "=", "\"\"", "null", "true", "[]", "{}", "[[[[[[", ":",
        "\"type\":\"Polygon\"", "\"coordinates\":[]", "2024Q5", "2024-13", "31.02.2024", "2024H3", "000", " ",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0x80, 0x80], [0xED, 0xA0, 0x80]]

    init(seeds: [[UInt8]], seed: UInt64) {
        self.seeds = seeds.filter { !$0.isEmpty }
        random = RandomStream(seed: seed)
    }

    /// The next input: a seed with 1 to 8 mutations.
    mutating func next() -> [UInt8] {
        var bytes = seeds[random.integer(below: seeds.count)]
        for _ in 0...random.integer(below: 8) { mutate(&bytes) }
        return bytes
    }

    private mutating func position(in bytes: [UInt8]) -> Int { bytes.isEmpty ? 0 : random.integer(below: bytes.count + 1) }

    private mutating func range(in bytes: [UInt8]) -> Range<Int> {
        let start = position(in: bytes)
        let length = random.integer(below: min(bytes.count - start, 64) + 1)
        return start..<(start + length)
    }

    private mutating func mutate(_ bytes: inout [UInt8]) {
        switch random.integer(below: 8) {
        case 0 where !bytes.isEmpty:  // flip a bit
            let i = random.integer(below: bytes.count)
            bytes[i] ^= UInt8(1) << UInt8(random.integer(below: 8))
        case 1:  // insert a random byte
            bytes.insert(UInt8(random.integer(below: 256)), at: position(in: bytes))
        case 2:  // delete a range
            bytes.removeSubrange(range(in: bytes))
        case 3:  // repeat a range
            let r = range(in: bytes)
            bytes.insert(contentsOf: Array(bytes[r]), at: position(in: bytes))
        case 4, 5:  // insert or overwrite with a token
            let token = Self.tokens[random.integer(below: Self.tokens.count)]
            let r = range(in: bytes)
            bytes.replaceSubrange(random.integer(below: 2) == 0 ? r.lowerBound..<r.lowerBound : r, with: token)
        case 6:  // splice in a piece of another seed
            let other = seeds[random.integer(below: seeds.count)]
            bytes.insert(contentsOf: Array(other[range(in: other)]), at: position(in: bytes))
        default:  // change a digit (numbers are what the readers parse most)
            if let i = bytes.indices.filter({ bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }).randomElement(using: &random) {
                bytes[i] = 0x30 + UInt8(random.integer(below: 10))
            }
        }
    }
}
