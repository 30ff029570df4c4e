import Foundation
import SozmonIO

/// Where `sozmon demo` finds the shipped data set: `datasets/synthetic-berlin` under the current folder, else in
/// the source checkout this binary was built from.
package enum DemoData {
    static let relativeConfig = "datasets/synthetic-berlin/sozialindex.toml"

    package static func configURL() throws -> URL {
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(relativeConfig)
        if FileManager.default.fileExists(atPath: here.path) { return here }
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(relativeConfig)
        if FileManager.default.fileExists(atPath: checkout.path) { return checkout }
        throw InputError(.missingFile, file: here.path, message: "the demo data set is missing; run sozmon demo in the repository folder")
    }
}
