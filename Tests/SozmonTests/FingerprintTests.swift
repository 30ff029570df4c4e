import Foundation
@testable import Sozmon
import SozmonIO
import Testing

/// The fingerprints in run.json are of the bytes the run analysed: an input changed during the run is refused at the
/// end, before anything is written.
@Suite struct FingerprintTests {
    @Test func anInputChangedDuringTheRunIsRefused() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sozmon-fp-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try "a,b\n1,2\n".write(to: url, atomically: false, encoding: .utf8)
        let unchanged = Fingerprints([("t.csv", url)], timings: Timings())
        #expect(try unchanged.verified()["t.csv"] == SHA256.hex(Array("a,b\n1,2\n".utf8)))
        let changed = Fingerprints([("t.csv", url)], timings: Timings())
        _ = try changed.verified()
        try "a,b\n1,3,4\n".write(to: url, atomically: false, encoding: .utf8)
        #expect(throws: InputError.self) { try changed.verified() }
    }
}
