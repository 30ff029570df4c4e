import Foundation

/// A JSON value from a fixture file made by `Tests/Fixtures/make_fixtures.py`. `null` stands for NaN (missing).
public enum FixtureValue: Decodable, Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null
    case array([FixtureValue])
    case object([String: FixtureValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([FixtureValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: FixtureValue].self)) }
    }

    /// The fixtures folder beside the test targets.
    public static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Loads `Tests/Fixtures/<name>`.
    public static func load(_ name: String) throws -> FixtureValue {
        try JSONDecoder().decode(FixtureValue.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
    }

    public subscript(key: String) -> FixtureValue {
        guard case .object(let object) = self, let value = object[key] else {
            fatalError("fixture has no key '\(key)'")
        }
        return value
    }

    public var double: Double {
        switch self {
        case .number(let value): value
        case .null: .nan
        case .string(let text): Double(text) ?? .nan
        default: fatalError("fixture value is not a number: \(self)")
        }
    }

    public var string: String {
        guard case .string(let text) = self else { fatalError("fixture value is not a string: \(self)") }
        return text
    }

    public var array: [FixtureValue] {
        guard case .array(let values) = self else { fatalError("fixture value is not an array: \(self)") }
        return values
    }

    /// An array of numbers (`null` → NaN).
    public var doubles: [Double] { array.map(\.double) }

    /// An array of row arrays.
    public var rows: [[Double]] { array.map(\.doubles) }

    public var object: [String: FixtureValue] {
        guard case .object(let object) = self else { fatalError("fixture value is not an object: \(self)") }
        return object
    }
}

/// The real public data sets in `../shared/data` beside the checkout (see each SOURCE.md), or `nil` where the
/// folder is absent; tests that need them skip with a message saying so.
public enum SharedData {
    public static let folder: URL? = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }()

    public static var isAvailable: Bool { folder != nil }

    /// `../shared/data/<path>`; only call when `isAvailable`.
    public static func url(_ path: String) -> URL { folder!.appendingPathComponent(path) }

    public static let skipMessage = "../shared/data is absent beside the checkout: real-data test skipped"
}
