/// A trend method, by its name in the config (`[trends] methods`) and in `trends.csv`.
public enum TrendMethod: String, Sendable, Encodable, CaseIterable {
    case ols
    case mannKendall = "mann-kendall"
    case theilSen = "theil-sen"
    case seasonalMannKendall = "seasonal-mann-kendall"
}
