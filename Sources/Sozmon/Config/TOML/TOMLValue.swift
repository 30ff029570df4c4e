/// A value of a TOML document (TOML 1.0, without dates and times: no sozmon key takes one).
indirect enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([TOMLValue])
    case table(TOMLTable)

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var int: Int? { if case .integer(let i) = self { i } else { nil } }
    var double: Double? { if case .float(let d) = self { d } else { nil } }
    var bool: Bool? { if case .boolean(let b) = self { b } else { nil } }
    var array: [TOMLValue]? { if case .array(let a) = self { a } else { nil } }
    var table: TOMLTable? { if case .table(let t) = self { t } else { nil } }
}

/// A TOML table: its keys in the order written, with the line and column where each was defined.
struct TOMLTable: Equatable, Sendable {
    /// Where the table's header (`[name]`, `[[name]]`) stands, for a table that has one.
    var header: TOMLPosition?
    private(set) var values: [String: TOMLValue] = [:]
    private(set) var keys: [String] = []
    private(set) var positions: [String: TOMLPosition] = [:]

    subscript(key: String) -> TOMLValue? { values[key] }

    /// Sets `key`, remembering where it was first defined.
    mutating func set(_ key: String, _ value: TOMLValue, at position: TOMLPosition) {
        if values[key] == nil { keys.append(key); positions[key] = position }
        values[key] = value
    }
}

/// A place in the text: 1-based line and column (in characters).
struct TOMLPosition: Equatable, Sendable {
    let line: Int
    let column: Int
}

/// Text that is not TOML, with its place.
struct TOMLSyntaxError: Error, Equatable {
    let position: TOMLPosition
    let message: String
}

extension TOMLTable {
    /// Where `key` stands in the table at `path` (`input`, `index[2]`, `input.counts`; `nil`: this table), or that
    /// table's header for a `nil` key; `nil` when the text has neither (a default, or a table built in code).
    func position(of key: String?, in path: String?) -> TOMLPosition? {
        var table = self
        for component in (path ?? "").split(separator: ".") where !component.isEmpty {
            let name = String(component.prefix { $0 != "[" })
            if let open = component.firstIndex(of: "["), let k = Int(component[component.index(after: open)...].dropLast()) {
                guard let elements = table[name]?.array, elements.indices.contains(k - 1), let element = elements[k - 1].table
                else { return nil }
                table = element
            } else {
                guard let inner = table[name]?.table else { return nil }
                table = inner
            }
        }
        guard let key else { return table.header }
        return table.positions[key]
    }
}
