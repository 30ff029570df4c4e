/// A reporting period: a year, half-year, quarter, month or reference date.
///
/// Periods of one frequency are ordered and can be shifted (`advanced(by:)`), which gives the lags of dynamics
/// indicators (`S(t) − S(t−2)`) and quarter comparisons (previous quarter, same quarter a year before).
public struct Period: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public enum Frequency: String, Sendable, Codable, CaseIterable {
        case annual, semiannual, quarterly, monthly, daily
        /// Periods per year (days: 0, dates are not grouped into years by count).
        public var periodsPerYear: Int {
            switch self { case .annual: 1; case .semiannual: 2; case .quarterly: 4; case .monthly: 12; case .daily: 0 }
        }
    }

    public let frequency: Frequency
    /// The position on the frequency's time line: the year for annual, `2·year + half − 1` for half-years,
    /// `4·year + quarter − 1`, `12·year + month − 1`, and days since 1970-01-01 for dates.
    public let ordinal: Int

    public init(frequency: Frequency, ordinal: Int) {
        self.frequency = frequency
        self.ordinal = ordinal
    }

    public static func year(_ year: Int) -> Period { Period(frequency: .annual, ordinal: year) }
    public static func half(_ year: Int, _ half: Int) -> Period {
        precondition((1...2).contains(half)); return Period(frequency: .semiannual, ordinal: 2 * year + half - 1)
    }
    public static func quarter(_ year: Int, _ quarter: Int) -> Period {
        precondition((1...4).contains(quarter)); return Period(frequency: .quarterly, ordinal: 4 * year + quarter - 1)
    }
    public static func month(_ year: Int, _ month: Int) -> Period {
        precondition((1...12).contains(month)); return Period(frequency: .monthly, ordinal: 12 * year + month - 1)
    }
    public static func date(_ year: Int, _ month: Int, _ day: Int) -> Period {
        Period(frequency: .daily, ordinal: daysSinceEpoch(year: year, month: month, day: day))
    }

    /// The calendar year the period falls in.
    public var year: Int {
        switch frequency {
        case .annual: ordinal
        case .semiannual, .quarterly, .monthly: floorDivide(ordinal, frequency.periodsPerYear)
        case .daily: civilDate(fromDays: ordinal).year
        }
    }

    /// The half, quarter or month within the year (1-based); 1 for years; the month for dates.
    public var subperiod: Int {
        switch frequency {
        case .annual: 1
        case .semiannual, .quarterly, .monthly: ordinal - floorDivide(ordinal, frequency.periodsPerYear)
            * frequency.periodsPerYear + 1
        case .daily: civilDate(fromDays: ordinal).month
        }
    }

    /// Whether this is a date on the last day of its month (a Stichtag such as 31.01.2015).
    public var isMonthEnd: Bool {
        guard frequency == .daily else { return false }
        let d = civilDate(fromDays: ordinal)
        return d.day == daysInMonth(year: d.year, month: d.month)
    }

    /// The period `steps` periods later (earlier for negative steps).
    public func advanced(by steps: Int) -> Period { Period(frequency: frequency, ordinal: ordinal + steps) }

    /// The same period one year earlier (for dates: the same day number a year before, 365 or 366 days).
    public var yearEarlier: Period {
        switch frequency {
        case .daily:
            let d = civilDate(fromDays: ordinal)
            return .date(d.year - 1, d.month, Swift.min(d.day, daysInMonth(year: d.year - 1, month: d.month)))
        default: return advanced(by: -frequency.periodsPerYear)
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ordinal)
        hasher.combine(frequency.periodsPerYear)
    }

    public static func < (a: Period, b: Period) -> Bool {
        a.frequency == b.frequency ? a.ordinal < b.ordinal : a.frequency.rawValue < b.frequency.rawValue
    }

    /// The canonical text: `2024`, `2024H1`, `2024Q1`, `2024-03`, `2024-12-31`.
    /// The period of a table without a period column whose config gives no Stichtag (`input.reference_period`): the
    /// year 0, which no real table has. Reports print it as nothing.
    public static let unknown = Period.year(0)

    /// The period as a reader sees it: its text, or nothing for `unknown`.
    public var shown: String { self == .unknown ? "" : description }

    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value); return String(repeating: "0", count: Swift.max(0, width - text.count)) + text
        }
        switch frequency {
        case .annual: return String(ordinal)
        case .semiannual: return "\(year)H\(subperiod)"
        case .quarterly: return "\(year)Q\(subperiod)"
        case .monthly: return "\(year)-\(pad(subperiod, 2))"
        case .daily:
            let d = civilDate(fromDays: ordinal)
            return "\(d.year)-\(pad(d.month, 2))-\(pad(d.day, 2))"
        }
    }

    /// Parses the forms docs/report.md §1 lists: `2024`; `2024H1`, `2024-H1`; `2024Q1`, `2024-Q1`, `Q1 2024`; `2024-03`;
    /// `2024-12-31`, `31.12.2024`; `202412` (year and month). Surrounding spaces are ignored.
    /// Returns `nil` when the text is none of these or names an impossible date.
    public init?(parsing raw: String) {
        let text = raw.trimmingCharacters(in: " \t")
        let chars = Array(text.uppercased())
        func number(_ s: ArraySlice<Character>) -> Int? {
            s.isEmpty || !s.allSatisfy(\.isASCII) || !s.allSatisfy(\.isNumber) ? nil : Int(String(s))
        }
        func validDate(_ y: Int, _ m: Int, _ d: Int) -> Bool {
            (1...12).contains(m) && d >= 1 && d <= daysInMonth(year: y, month: m)
        }
        // Year: four digits.
        if chars.count == 4, let y = number(chars[...]) { self = .year(y); return }
        // yyyyMM.
        if chars.count == 6, let y = number(chars[0..<4]), let m = number(chars[4..<6]), (1...12).contains(m) {
            self = .month(y, m); return
        }
        // Half-years and quarters: 2024H1, 2024-H1, 2024Q3, 2024-Q3, Q3 2024, Q3/2024.
        let compact = chars.filter { $0 != "-" && $0 != " " && $0 != "/" }
        if compact.count == 6, let y = number(compact[0..<4]), let k = number(compact[5..<6]) {
            if compact[4] == "H", (1...2).contains(k) { self = .half(y, k); return }
            if compact[4] == "Q", (1...4).contains(k) { self = .quarter(y, k); return }
        }
        if compact.count == 6, compact[0] == "Q", let k = number(compact[1..<2]), let y = number(compact[2..<6]),
           (1...4).contains(k) {
            self = .quarter(y, k); return
        }
        // 2024-03 and 2024-12-31.
        let dashed = text.split(separator: "-", omittingEmptySubsequences: false).map { Array($0) }
        if dashed.count == 2, dashed[0].count == 4, dashed[1].count == 2,
           let y = number(dashed[0][...]), let m = number(dashed[1][...]), (1...12).contains(m) {
            self = .month(y, m); return
        }
        if dashed.count == 3, dashed[0].count == 4, let y = number(dashed[0][...]), let m = number(dashed[1][...]),
           let d = number(dashed[2][...]), validDate(y, m, d) {
            self = .date(y, m, d); return
        }
        // 31.12.2024.
        let dotted = text.split(separator: ".", omittingEmptySubsequences: false).map { Array($0) }
        if dotted.count == 3, dotted[2].count == 4, let d = number(dotted[0][...]), let m = number(dotted[1][...]),
           let y = number(dotted[2][...]), validDate(y, m, d) {
            self = .date(y, m, d); return
        }
        return nil
    }
}

package func floorDivide(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }

func isLeapYear(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: isLeapYear(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = floorDivide(y, 400)
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
}

/// The inverse of `daysSinceEpoch` (Hinnant's `civil_from_days`).
func civilDate(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = floorDivide(z, 146_097)
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
}

extension String {
    package func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        guard let start = firstIndex(where: { !characters.contains($0) }),
              let end = lastIndex(where: { !characters.contains($0) }) else { return "" }
        return String(self[start...end])
    }
}
