import Foundation

/// Whole runs on mutated inputs: the shipped data set with one file mutated (the config, an indicator table, the
/// facilities, the neighbour list or the GeoJSON), through `sozmon run` in its own process. A finding is a trap (a
/// signal), a run over `timeout` seconds, a partial folder left behind or a file written outside the report folder.
struct RunCampaign {
    let binary: URL
    let dataset: URL
    let timeout: Double = 120

    static let files = ["sozialindex.toml", "indicators_annual.csv", "indicators_quarterly.csv", "einrichtungen.csv",
                        "neighbours.csv", "planungsraeume.geojson"]

    /// Runs `count` mutated editions; returns the findings, one line each, and how often each exit status came.
    func run(count: Int, seed: UInt64, log: (String) -> Void) throws -> (findings: [String], statuses: [Int32: Int]) {
        var findings: [String] = [], statuses: [Int32: Int] = [:]
        var mutators = try Self.files.enumerated().map { k, name in
            Mutator(seeds: [Array(try Data(contentsOf: dataset.appendingPathComponent(name)))], seed: seed &+ UInt64(k))
        }
        let fm = FileManager.default
        for run in 0..<count {
            let k = run % Self.files.count
            let scratch = fm.temporaryDirectory.appendingPathComponent("sozmon-campaign-\(seed)-\(run)")
            try? fm.removeItem(at: scratch)
            try fm.copyItem(at: dataset, to: scratch)
            // Quicker editions: fewer permutations (the readers and steps are what is under test).
            let config = scratch.appendingPathComponent("sozialindex.toml")
            let text = try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "permutations = 999", with: "permutations = 9")
            try text.write(to: config, atomically: false, encoding: .utf8)
            let target = scratch.appendingPathComponent(Self.files[k])
            try Data(mutators[k].next()).write(to: target)
            let before = Set(try fm.contentsOfDirectory(atPath: scratch.path))
            let process = Process()
            process.executableURL = binary
            process.arguments = ["run", config.path, "--out", scratch.appendingPathComponent("out").path, "--quiet"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let start = Date()
            try process.run()
            while process.isRunning && Date().timeIntervalSince(start) < timeout { usleep(10_000) }
            let place = "run \(run) (\(Self.files[k]) mutated; kept in \(scratch.path))"
            var found: String?
            if !process.isRunning && process.terminationReason == .exit { statuses[process.terminationStatus, default: 0] += 1 }
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
                found = "hang over \(Int(timeout)) s: \(place)"
            } else if process.terminationReason == .uncaughtSignal {
                found = "trap (signal \(process.terminationStatus)): \(place)"
            } else if ![0, 64, 65, 66, 73].contains(process.terminationStatus) {
                found = "exit status \(process.terminationStatus): \(place)"
            } else {
                let after = Set(try fm.contentsOfDirectory(atPath: scratch.path)).subtracting(before).subtracting(["out"])
                if !after.isEmpty { found = "left behind or written outside the report folder: \(after.sorted()): \(place)" }
            }
            if let found {
                findings.append(found)
                log(found)
            } else {
                try? fm.removeItem(at: scratch)
            }
            if run % 50 == 49 { log("\(run + 1) runs, \(findings.count) findings") }
        }
        return (findings, statuses)
    }
}
