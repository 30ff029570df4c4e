/// What a cell of a table column holds, as a writer formats it and an exchange file reads it back.
public enum CellKind: Sendable {
    case text, number, integer, bool
}

/// The columns of a table kind in order: a row type's schema, so that the single run and the part runs write and read
/// the same columns by name, never by number.
public protocol TableSchema: CaseIterable, RawRepresentable, Sendable where RawValue == Int, AllCases == [Self] {
    /// The column's name in the CSV.
    var name: String { get }
    var kind: CellKind { get }
}

extension TableSchema {
    /// The names of all columns, in order.
    public static var names: [String] { allCases.map(\.name) }
}

/// `trends.csv`: one row per area, indicator and method.
public enum TrendColumn: Int, TableSchema {
    case areaID, indicator, method, from, to, n, slope, standardError, t, pValue, qValue, confidenceLow, confidenceHigh,
         rSquared, s, z, tau, senSlope, direction, deteriorating

    public var name: String {
        switch self {
        case .areaID: "area_id"
        case .standardError: "std_error"
        case .pValue: "p_value"
        case .qValue: "q_value"
        case .confidenceLow: "ci_low"
        case .confidenceHigh: "ci_high"
        case .rSquared: "r_squared"
        case .senSlope: "sen_slope"
        default: "\(self)"
        }
    }

    public var kind: CellKind {
        switch self {
        case .areaID, .indicator, .method, .from, .to, .direction: .text
        case .n: .integer
        case .deteriorating: .bool
        default: .number
        }
    }
}

/// `quarters.csv`: one row per area, indicator and period.
public enum QuarterColumn: Int, TableSchema {
    case areaID, districtID, indicator, period, value, previousPeriod, changePrevious, changePreviousPercent, yearEarlier,
         changeYear, changeYearPercent, seasonallyAdjusted, rankInDistrict, significantDeterioration

    public var name: String {
        switch self {
        case .areaID: "area_id"
        case .districtID: "district_id"
        case .previousPeriod: "previous_period"
        case .changePrevious: "change_prev"
        case .changePreviousPercent: "change_prev_pct"
        case .yearEarlier: "year_earlier"
        case .changeYear: "change_year"
        case .changeYearPercent: "change_year_pct"
        case .seasonallyAdjusted: "seasonally_adjusted"
        case .rankInDistrict: "rank_in_district"
        case .significantDeterioration: "significant_deterioration"
        default: "\(self)"
        }
    }

    public var kind: CellKind {
        switch self {
        case .areaID, .districtID, .indicator, .period, .previousPeriod, .yearEarlier: .text
        case .rankInDistrict: .integer
        case .seasonallyAdjusted, .significantDeterioration: .bool
        default: .number
        }
    }
}
