import Foundation

/// SozmonFuzz: a seeded mutation fuzzer for the three readers (CSV → panel, GeoJSON, config).
///
///     swift run -c release SozmonFuzz [csv|geojson|config|all] [--runs N] [--seed S]
///     swift run -c release SozmonFuzz runs [--runs N] [--seed S]      (whole `sozmon run`s on mutated inputs)
///
/// The inputs are a function of the seed and their number alone, so a trap is reported with the number of its input
/// ("crashed on input N"), and `--replay N` writes that input to `fuzz-findings/<reader>-N` to reproduce it. An input
/// that takes over a second is saved as `fuzz-findings/hang-<reader>-<n>`. The last line per reader gives
/// executions, accepted inputs, hangs and the slowest execution.
struct Options {
    var readers = Reader.allCases
    var runs = 100_000
    var seed: UInt64 = 1
    var replay: Int?
    var wholeRuns = false

    init(_ arguments: [String]) {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--runs": runs = rest.popFirst().flatMap { Int($0) } ?? runs
            case "--seed": seed = rest.popFirst().flatMap { UInt64($0) } ?? seed
            case "--replay": replay = rest.popFirst().flatMap { Int($0) }
            case "all": readers = Reader.allCases
            case "runs": wholeRuns = true
            default:
                guard let reader = Reader(rawValue: argument) else {
                    FileHandle.standardError.write(Data("usage: SozmonFuzz [csv|geojson|config|all] [--runs N] [--seed S] [--replay N]\n".utf8))
                    exit(64)
                }
                readers = [reader]
            }
        }
    }
}

/// The input being read, for the crash message (a signal handler may only read plain memory).
nonisolated(unsafe) var currentInput = 0

/// On a trap, says which input caused it (with write(2) only, as a signal handler must), then dies of the signal.
func reportCrashes() {
    for signal in [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE] {
        Foundation.signal(signal) { received in
            var text = Array("\nSozmonFuzz: crashed on input ".utf8)
            var digits: [UInt8] = [], n = currentInput
            repeat { digits.append(UInt8(48 + n % 10)); n /= 10 } while n > 0
            text += digits.reversed() + Array(" (reproduce with --replay and the same seed)\n".utf8)
            _ = text.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count) }
            Foundation.signal(received, SIG_DFL)
            raise(received)
        }
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let findings = URL(fileURLWithPath: "fuzz-findings")
try FileManager.default.createDirectory(at: findings, withIntermediateDirectories: true)
reportCrashes()
if options.wholeRuns {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sozmon")
    let campaign = RunCampaign(binary: binary, dataset: checkout.appendingPathComponent("datasets/synthetic-berlin"))
    let (found, statuses) = try campaign.run(count: options.runs, seed: options.seed) { print($0); fflush(nil) }
    let counts = statuses.keys.sorted().map { "\($0): \(statuses[$0]!)" }.joined(separator: ", ")
    print("runs: \(options.runs) mutated editions (seed \(options.seed)), exit statuses \(counts); \(found.count) findings")
    exit(found.isEmpty ? 0 : 1)
}
for reader in options.readers {
    let seeds = reader.seeds(checkout: checkout)
    guard !seeds.isEmpty else { print("\(reader): no seeds found under \(checkout.path)"); continue }
    var mutator = Mutator(seeds: seeds, seed: options.seed)
    func input(_ run: Int) -> [UInt8] { run < seeds.count ? seeds[run] : mutator.next() }
    if let replay = options.replay {
        for run in 0..<replay { _ = input(run) }
        let file = findings.appendingPathComponent("\(reader)-\(replay)")
        try Data(input(replay)).write(to: file)
        print("\(reader): input \(replay) of seed \(options.seed) written to \(file.path)")
        continue
    }
    var accepted = 0, hangs = 0, slowest = 0.0
    let start = Date()
    for run in 0..<options.runs {
        let bytes = input(run)
        currentInput = run
        let begin = DispatchTime.now().uptimeNanoseconds
        if reader.read(bytes) { accepted += 1 }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
        slowest = max(slowest, seconds)
        if seconds > 1 {
            hangs += 1
            try Data(bytes).write(to: findings.appendingPathComponent("hang-\(reader)-\(run)"))
        }
    }
    let elapsed = Date().timeIntervalSince(start)
    FileHandle.standardOutput.write(Data(("\(reader): \(options.runs) executions (seed \(options.seed), \(seeds.count) seed "
        + String(format: "inputs) in %.1f s (%.0f/s)", elapsed, Double(options.runs) / elapsed)
        + ", \(accepted) accepted, 0 crashes, \(hangs) hangs > 1 s, slowest " + String(format: "%.3f s\n", slowest)).utf8))
}
