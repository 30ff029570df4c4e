import Foundation

/// SozmonFuzz: a seeded mutation fuzzer for the three readers (CSV → panel, GeoJSON, config).
///
///     swift run -c release SozmonFuzz [csv|geojson|config|all] [--runs N] [--seed S]
///
/// Each input is written to `fuzz-findings/current-<reader>` before it runs, so a trap leaves the input that caused
/// it; an input that takes over a second is saved as `fuzz-findings/hang-<reader>-<n>`. The last line per reader
/// gives executions, accepted inputs, hangs and the slowest execution.
struct Options {
    var readers = Reader.allCases
    var runs = 100_000
    var seed: UInt64 = 1

    init(_ arguments: [String]) {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--runs": runs = rest.popFirst().flatMap { Int($0) } ?? runs
            case "--seed": seed = rest.popFirst().flatMap { UInt64($0) } ?? seed
            case "all": readers = Reader.allCases
            default:
                guard let reader = Reader(rawValue: argument) else {
                    FileHandle.standardError.write(Data("usage: sozmon-fuzz [csv|geojson|config|all] [--runs N] [--seed S]\n".utf8))
                    exit(64)
                }
                readers = [reader]
            }
        }
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let findings = URL(fileURLWithPath: "fuzz-findings")
try FileManager.default.createDirectory(at: findings, withIntermediateDirectories: true)
for reader in options.readers {
    let seeds = reader.seeds(checkout: checkout)
    guard !seeds.isEmpty else { print("\(reader): no seeds found under \(checkout.path)"); continue }
    var mutator = Mutator(seeds: seeds, seed: options.seed)
    let current = findings.appendingPathComponent("current-\(reader)")
    var accepted = 0, hangs = 0, slowest = 0.0
    let start = Date()
    for run in 0..<options.runs {
        let input = run < seeds.count ? seeds[run] : mutator.next()
        try Data(input).write(to: current)
        let begin = DispatchTime.now().uptimeNanoseconds
        if reader.read(input) { accepted += 1 }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
        slowest = max(slowest, seconds)
        if seconds > 1 {
            hangs += 1
            try Data(input).write(to: findings.appendingPathComponent("hang-\(reader)-\(run)"))
        }
    }
    try? FileManager.default.removeItem(at: current)
    let elapsed = Date().timeIntervalSince(start)
    FileHandle.standardOutput.write(Data(("\(reader): \(options.runs) executions (seed \(options.seed), \(seeds.count) seed inputs) in "
          + String(format: "%.1f s (%.0f/s)", elapsed, Double(options.runs) / elapsed)
          + ", \(accepted) accepted, 0 crashes, \(hangs) hangs > 1 s, slowest " + String(format: "%.3f s", slowest) + "\n").utf8))
}
