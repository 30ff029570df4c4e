/// A problem with an input file, with its place: file, line and column (1-based; 0 when not applicable).
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The file does not exist or cannot be read (exit status 66).
        case missingFile
        /// The file is there but its content is not what was expected (exit status 65).
        case badData
    }

    public var kind: Kind
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(_ kind: Kind = .badData, file: String, line: Int = 0, column: Int = 0, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, the form editors and compilers use.
    public var description: String {
        var place = file
        if line > 0 { place += ":\(line)" }
        if column > 0 { place += ":\(column)" }
        return "\(place): \(message)"
    }
}
