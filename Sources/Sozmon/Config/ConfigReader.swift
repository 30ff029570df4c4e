import Foundation
import SozmonIO

/// Reads one TOML table strictly: every key it is asked for is typed and checked, and every key it is not asked for
/// is an error naming the key and its line. Problems are collected, so that `validate` can list them all.
final class ConfigReader {
    let file: String
    private let lines: [Substring]
    private let root: TOMLTable
    private(set) var problems: [InputError] = []

    init(file: String, text: String, root: TOMLTable) {
        self.file = file
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        self.root = root
    }

    /// A reader for one table, named by its path (`input`, `index[2]`); `nil` for the root.
    func table(_ table: TOMLTable, path: String?) -> Table { Table(reader: self, table: table, path: path) }

    /// A problem at `line`, at the column where the line's text begins (the key, or the table header).
    func problem(_ message: String, line: Int = 0, kind: InputError.Kind = .badData) {
        let column = line > 0 && line <= lines.count ? lines[line - 1].prefix { $0 == " " || $0 == "\t" }.count + 1 : 0
        problems.append(InputError(kind, file: file, line: line, column: column, message: message))
    }

    /// A problem found with the config's help (a column the input table lacks), already placed at its key.
    func add(_ problem: InputError) { problems.append(problem) }

    /// Where `key` stands in the table at `path` (`input`, `index[2]`, `input.counts`; `nil`: the root), or the
    /// table's header for a `nil` key; `nil` when the text has neither (a default).
    func position(of key: String?, in path: String?) -> TOMLPosition? { root.position(of: key, in: path) }

    /// The line of `key` in the table at `path` (0 when it is not in the text).
    func line(of key: String?, in path: String?) -> Int { position(of: key, in: path)?.line ?? 0 }

    struct Table {
        let reader: ConfigReader
        let table: TOMLTable
        let path: String?
        private let used = UsedKeys()

        init(reader: ConfigReader, table: TOMLTable, path: String?) {
            self.reader = reader
            self.table = table
            self.path = path
        }

        private func name(_ key: String) -> String { path.map { "\($0).\(key)" } ?? key }
        private func fail(_ key: String, _ expected: String) {
            reader.problem("'\(name(key))' must be \(expected)", line: reader.line(of: key, in: path))
        }

        func has(_ key: String) -> Bool { table[key] != nil }

        func string(_ key: String) -> String? {
            used.insert(key)
            guard let value = table[key] else { return nil }
            guard let text = value.string else { fail(key, "a string"); return nil }
            return text
        }

        /// One of an enum's values by its raw value; a problem naming the choices otherwise.
        func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, default value: Choice) -> Choice
            where Choice.RawValue == String {
            optionalChoice(key) ?? value
        }

        /// One of an enum's values by its raw value, or nil when the key is absent (or not one of them: a problem).
        func optionalChoice<Choice: RawRepresentable & CaseIterable>(_ key: String) -> Choice? where Choice.RawValue == String {
            guard let text = string(key) else { return nil }
            guard let value = Choice(rawValue: text) else {
                fail(key, "one of \(Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")), not \"\(text)\"")
                return nil
            }
            return value
        }

        /// A list of named choices (an enum's raw values), each known one once, in the order given; an unknown one
        /// and an empty list (a section that would do nothing) are problems naming what is expected.
        func choices<Choice: RawRepresentable & CaseIterable>(_ key: String, default value: [Choice]) -> [Choice]
            where Choice.RawValue == String {
            guard let texts = strings(key) else { return value }
            let known = Choice.allCases.map(\.rawValue)
            if texts.isEmpty { fail(key, "a list of at least one of \(known.joined(separator: ", "))") }
            for text in texts where Choice(rawValue: text) == nil {
                reader.problem("'\(name(key))' has \"\(text)\"; expected some of \(known.joined(separator: ", "))",
                               line: reader.line(of: key, in: path))
            }
            return texts.compactMap(Choice.init(rawValue:))
        }

        func int(_ key: String, default value: Int, range: ClosedRange<Int>) -> Int {
            used.insert(key)
            guard let raw = table[key] else { return value }
            guard let number = raw.int, range.contains(number) else {
                fail(key, "an integer in \(range.lowerBound)…\(range.upperBound)"); return value
            }
            return number
        }

        /// A number in its documented `range` (finite, with the sign and upper bound the key needs).
        func double(_ key: String, in range: NumberRange) -> Double? {
            used.insert(key)
            guard let raw = table[key] else { return nil }
            guard let number = raw.double ?? raw.int.map(Double.init), range.contains(number) else {
                fail(key, "a number \(range)"); return nil
            }
            return number
        }

        func bool(_ key: String, default value: Bool) -> Bool {
            used.insert(key)
            guard let raw = table[key] else { return value }
            guard let flag = raw.bool else { fail(key, "true or false"); return value }
            return flag
        }

        /// A list of strings; a list that names things (the default) refuses a name given twice.
        func strings(_ key: String, allowingDuplicates: Bool = false) -> [String]? {
            used.insert(key)
            guard let raw = table[key] else { return nil }
            guard let array = raw.array, let texts = Optional(array.compactMap { $0.string }),
                  texts.count == array.count else {
                fail(key, "an array of strings"); return nil
            }
            if !allowingDuplicates, let twice = firstDuplicate(texts, by: { $0 }) {
                fail(key, "a list without repeats; \"\(twice)\" is given twice"); return nil
            }
            return texts
        }

        /// A list of strings that a section cannot do without: empty or absent is a problem ("must list `what`").
        func requiredStrings(_ key: String, _ what: String) -> [String] {
            let texts = strings(key)
            // Empty or absent (a list that is not one, or has a repeat, was said by `strings`).
            if texts?.isEmpty ?? (table[key] == nil) {
                reader.problem("'\(name(key))' must list \(what)", line: reader.line(of: nil, in: path))
            }
            return texts ?? []
        }

        /// The seed of a random procedure: a non-negative integer.
        func seed(_ key: String, default value: UInt64) -> UInt64 { UInt64(int(key, default: Int(value), range: 0...Int.max)) }

        /// A name that becomes part of file, column and sheet names: it must follow `SafeName`.
        func safeName(_ key: String) -> String? {
            guard let text = string(key) else { return nil }
            if let problem = SafeName.problem(text) { fail(key, "a safe name: \(problem)"); return nil }
            return text
        }

        /// A list of such names, none given twice, also not in other upper or lower case (they would share a file
        /// on a case-insensitive file system).
        func safeNames(_ key: String) -> [String]? {
            guard let texts = strings(key) else { return nil }
            for text in texts {
                if let problem = SafeName.problem(text) { fail(key, "a list of safe names: \(problem)"); return nil }
            }
            if let twice = firstDuplicate(texts, by: { $0.lowercased() }) {
                fail(key, "a list of names that differ in more than case; \"\(twice)\" is given twice"); return nil
            }
            return texts
        }

        /// A list of finite numbers (integers or floats).
        func numbers(_ key: String) -> [Double]? {
            used.insert(key)
            guard let raw = table[key] else { return nil }
            let values = raw.array?.compactMap { $0.double ?? $0.int.map(Double.init) }
            guard let values, values.count == raw.array?.count, values.allSatisfy(\.isFinite) else {
                fail(key, "an array of numbers"); return nil
            }
            return values
        }

        /// Integers that are all in `range`.
        func integers(_ key: String, in range: ClosedRange<Int>) -> [Int]? {
            used.insert(key)
            guard let raw = table[key] else { return nil }
            let values = raw.array?.compactMap { $0.int }
            guard let values, values.count == raw.array?.count, values.allSatisfy(range.contains) else {
                fail(key, "an array of integers in \(range.lowerBound)…\(range.upperBound)"); return nil
            }
            return values
        }

        /// A value per indicator, given as an array in the order of `indicators` or as an inline table by indicator
        /// name (`{ S1 = "higher_is_better" }`; indicators it does not name take `fallback`).
        /// - Parameter expected: what each value must be, for the message ("higher_is_worse or higher_is_better").
        func perIndicator<T>(_ key: String, indicators: [String], fallback: T, expected: String,
                             _ convert: (TOMLValue) -> T?) -> [T]? {
            used.insert(key)
            guard let raw = table[key] else { return nil }
            if let array = raw.array {
                let values = array.compactMap(convert)
                guard values.count == array.count, values.count == indicators.count else {
                    fail(key, "\(expected) for each of the \(indicators.count) indicators, in their order, or a table by indicator name")
                    return nil
                }
                return values
            }
            guard let byName = raw.table else { fail(key, "an array or a table by indicator name"); return nil }
            var values = indicators.map { _ in fallback }
            for name in byName.keys {
                guard let j = indicators.firstIndex(of: name) else {
                    fail(key, "a table of the index's indicators (\(indicators.joined(separator: ", "))); '\(name)' is none of them")
                    return nil
                }
                guard let value = byName[name].flatMap(convert) else { fail(key, "\(expected) for \(name)"); return nil }
                values[j] = value
            }
            return values
        }

        func subtable(_ key: String) -> Table? {
            used.insert(key)
            guard let raw = table[key] else { return nil }
            guard let sub = raw.table else { fail(key, "a table ([\(name(key))])"); return nil }
            return Table(reader: reader, table: sub, path: name(key))
        }

        func subtables(_ key: String) -> [Table] {
            used.insert(key)
            guard let raw = table[key] else { return [] }
            guard let array = raw.array else { fail(key, "an array of tables ([[\(name(key))]])"); return [] }
            return array.enumerated().compactMap { index, element in
                guard let sub = element.table else { fail(key, "an array of tables"); return nil }
                return Table(reader: reader, table: sub, path: "\(name(key))[\(index + 1)]")
            }
        }

        /// Reports every key of this table that was never asked for.
        func finish() {
            for key in table.keys.sorted() where !used.contains(key) {
                let line = reader.line(of: key, in: path)
                let hint = Suggestion.closest(to: key, among: used.all).map { "did you mean '\(name($0))'? " } ?? ""
                reader.problem("unknown key '\(name(key))'; \(hint)see the config reference in README", line: line)
            }
        }
    }
}

/// The first element of `items` whose key repeats an earlier one.
func firstDuplicate<Key: Hashable>(_ items: [String], by key: (String) -> Key) -> String? {
    var seen: Set<Key> = []
    return items.first { !seen.insert(key($0)).inserted }
}

/// The documented range of a numeric config key: every number must be finite and inside it.
struct NumberRange: CustomStringConvertible {
    let lower: Double, upper: Double
    let lowerIncluded: Bool, upperIncluded: Bool

    /// `[lower, upper]`.
    static func closed(_ lower: Double, _ upper: Double) -> NumberRange {
        NumberRange(lower: lower, upper: upper, lowerIncluded: true, upperIncluded: true)
    }
    /// `(lower, upper)`.
    static func open(_ lower: Double, _ upper: Double) -> NumberRange {
        NumberRange(lower: lower, upper: upper, lowerIncluded: false, upperIncluded: false)
    }
    /// `(lower, upper]`.
    static func above(_ lower: Double, atMost upper: Double) -> NumberRange {
        NumberRange(lower: lower, upper: upper, lowerIncluded: false, upperIncluded: true)
    }
    /// `[lower, upper)`.
    static func from(_ lower: Double, below upper: Double) -> NumberRange {
        NumberRange(lower: lower, upper: upper, lowerIncluded: true, upperIncluded: false)
    }
    /// Any number of at most 10¹⁵ in magnitude (thresholds in the units of an indicator).
    static let finite = closed(-1e15, 1e15)

    func contains(_ x: Double) -> Bool {
        x.isFinite && (lowerIncluded ? x >= lower : x > lower) && (upperIncluded ? x <= upper : x < upper)
    }

    var description: String {
        "in \(lowerIncluded ? "[" : "(")\(format(lower)), \(format(upper))\(upperIncluded ? "]" : ")")"
    }

    private func format(_ x: Double) -> String { x == x.rounded() && abs(x) <= 1e15 ? String(Int(x)) : "\(x)" }
}

/// The keys a table reader has been asked for (a reference type, so that the table value can stay a `let`).
final class UsedKeys {
    private var keys: Set<String> = []
    func insert(_ key: String) { keys.insert(key) }
    func contains(_ key: String) -> Bool { keys.contains(key) }
    /// Every key the table was asked for: the keys it knows.
    var all: Set<String> { keys }
}
