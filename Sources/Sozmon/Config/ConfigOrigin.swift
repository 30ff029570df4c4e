import SozmonIO

/// Where a config came from — its file, or a program that built it — and its parsed text, so that a problem found
/// long after reading (a column the table lacks, a level that does not exist) still points at the key's line.
struct ConfigOrigin: Sendable {
    /// The config file's path, or `ConfigOrigin.inCode` for a config a program built.
    let file: String
    let root: TOMLTable

    /// What problems name as the file of a config built in code.
    static let inCode = "(config built in code)"

    /// A problem with the key at `path` (`supply.target`, `index[2].impute_level`, `spatial`), at the key's line and
    /// column; where the key was left to its default, at the header of the nearest table that is written, else
    /// without a line.
    func error(at path: String?, _ message: String) -> InputError {
        var components = path?.split(separator: ".").map(String.init) ?? []
        // The key itself, then the headers of the tables around it, innermost first.
        var places: [(key: String?, table: String?)] = components.last.map { [($0, components.dropLast().joined(separator: "."))] } ?? []
        while !components.isEmpty {
            places.append((nil, components.joined(separator: ".")))
            components.removeLast()
        }
        for (key, table) in places {
            if let place = root.position(of: key, in: table) {
                return InputError(file: file, line: place.line, column: place.column, message: message)
            }
        }
        return InputError(file: file, message: message)
    }
}
