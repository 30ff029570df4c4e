import LinearAlgebra

/// Ordered classes on an index, each with an upper bound and whether the bound belongs to it.
///
/// A value falls in the first class whose upper bound it does not exceed (or, for an exclusive bound, stays
/// below); the last class is open above. The MSS schemes are defined here exactly as published.
public struct ClassScheme: Sendable, Equatable {
    public struct Class: Sendable, Equatable {
        /// The output label, e.g. `hoch` or `negativ`.
        public let label: String
        /// The numeric code, e.g. 1…4 for status, 1/3/5 for dynamics.
        public let code: Int
        /// A short symbol used in combined labels (`+`, `+/-`, `-`), or the code as text.
        public let symbol: String
        /// The upper bound (`+∞` for the last class).
        public let upperBound: Double
        /// Whether a value equal to `upperBound` belongs to this class.
        public let upperInclusive: Bool

        public init(label: String, code: Int, symbol: String? = nil, upperBound: Double, upperInclusive: Bool) {
            self.label = label
            self.code = code
            self.symbol = symbol ?? String(code)
            self.upperBound = upperBound
            self.upperInclusive = upperInclusive
        }
    }

    public let classes: [Class]

    /// - Precondition: bounds increase and the last is +∞.
    public init(_ classes: [Class]) {
        precondition(!classes.isEmpty && classes.last!.upperBound == .infinity, "the last class is open above")
        precondition(zip(classes, classes.dropFirst()).allSatisfy { $0.upperBound < $1.upperBound },
                     "class bounds must increase")
        self.classes = classes
    }

    /// The class of `value`, or `nil` for NaN (no classification).
    public func classify(_ value: Double) -> Class? { ClassAssignments([value], scheme: self, include: [true])[0] }

    /// MSS Status-Index (docs/methods.md §2): hoch x < −1 (1), mittel −1 ≤ x ≤ 1 (2), niedrig 1 < x ≤ 1.5 (3),
    /// sehr niedrig x > 1.5 (4). A positive index means more disadvantage.
    public static let mssStatus = ClassScheme([
        Class(label: "hoch", code: 1, upperBound: -1, upperInclusive: false),
        Class(label: "mittel", code: 2, upperBound: 1, upperInclusive: true),
        Class(label: "niedrig", code: 3, upperBound: 1.5, upperInclusive: true),
        Class(label: "sehr niedrig", code: 4, upperBound: .infinity, upperInclusive: false),
    ])

    /// MSS Dynamik-Index: positiv x < −1 (1, `+`), stabil −1 ≤ x ≤ 1 (3, `+/-`), negativ x > 1 (5, `-`).
    public static let mssDynamics = ClassScheme([
        Class(label: "positiv", code: 1, symbol: "+", upperBound: -1, upperInclusive: false),
        Class(label: "stabil", code: 3, symbol: "+/-", upperBound: 1, upperInclusive: true),
        Class(label: "negativ", code: 5, symbol: "-", upperBound: .infinity, upperInclusive: false),
    ])
}

/// The class of every area under one scheme, as a collection of `Class?`, stored as one small number per area
/// (a million areas cost a megabyte, and no copies of the classes' labels).
public struct ClassAssignments: RandomAccessCollection, Sendable, Equatable {
    public let scheme: ClassScheme?
    /// Per area the position of its class in `scheme.classes`, −1 for none.
    public let positions: [Int8]

    /// Classifies `values`; `nil` where `include` is false, the value is NaN or there is no scheme.
    public init(_ values: [Double], scheme: ClassScheme?, include: [Bool]) {
        precondition(include.count == values.count, "one flag per value")
        self.scheme = scheme
        precondition((scheme?.classes.count ?? 0) < 128, "at most 127 classes")
        // A value falls in the first class whose upper bound it stays below, or equals where the bound is
        // inclusive: since the bounds increase, that is the number of bounds it passes.
        let bounds = scheme?.classes.dropLast() ?? []
        positions = intervalPositions(of: values, bounds: bounds.map(\.upperBound),
                                      exclusive: bounds.map { !$0.upperInclusive },
                                      include: scheme == nil ? include.map { _ in false } : include)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { positions.count }
    public subscript(i: Int) -> ClassScheme.Class? {
        positions[i] < 0 ? nil : scheme!.classes[Int(positions[i])]
    }
}
