import Foundation
import SozmonIO

/// A CSV table compared with its golden file: text cells exactly, numbers to a relative tolerance.
///
/// Floating point differs in the last bits between CPUs (OpenBLAS picks its kernels by CPU), so a golden file
/// recorded on one machine cannot be matched byte for byte on another. Two cells agree when their texts are equal,
/// or when both are numbers with `|made − golden| ≤ tolerance · max(|golden|, floor)`: relative above `floor`,
/// absolute below it (a correlation of 1e-17 is 0 in the last bits of a sum of ones).
struct GoldenTableComparison: CustomStringConvertible {
    /// Cells that differ beyond the tolerance, or in text, as "line L, column 'c': made ≠ golden".
    private(set) var mismatches: [String] = []
    /// The largest scaled numeric difference seen, and where.
    private(set) var worst = (error: 0.0, place: "no numeric difference")

    init(made: CSVTable, golden: CSVTable, tolerance: Double, floor: Double = 1e-6) {
        guard made.header == golden.header else {
            mismatches = ["header \(made.header) ≠ golden \(golden.header)"]
            return
        }
        guard made.rows.count == golden.rows.count else {
            mismatches = ["\(made.rows.count) rows ≠ golden \(golden.rows.count)"]
            return
        }
        for (r, (madeRow, goldenRow)) in zip(made.rows, golden.rows).enumerated() {
            for (c, (m, g)) in zip(madeRow, goldenRow).enumerated() where m != g {
                let place = "line \(golden.lines[r]), column '\(golden.header[c])': \(m) ≠ golden \(g)"
                guard let a = Double(m), let b = Double(g), a.isFinite, b.isFinite else {
                    mismatches.append(place)
                    continue
                }
                let error = abs(a - b) / max(abs(b), floor)
                if error > worst.error { worst = (error, place) }
                if error > tolerance { mismatches.append(place) }
            }
        }
    }

    var description: String {
        let listed = mismatches.prefix(5).joined(separator: "; ")
        return "\(mismatches.count) cells differ (\(listed)); worst scaled error \(worst.error) at \(worst.place)"
    }
}
