import Statistics
import TestSupport
import Testing

/// Normal and Student-t against scipy.stats, relative precision in the tails.
@Suite struct DistributionTests {
    let fixture = try! FixtureValue.load("statistics.json")

    @Test func normalMatchesScipy() throws {
        let f = fixture["normal"]
        let x = f["x"].doubles
        #expect(WorstError(x.map(StandardNormal.cdf), f["cdf"].doubles, floor: 1e-300).error < 1e-13)
        #expect(WorstError(x.map(StandardNormal.survival), f["sf"].doubles, floor: 1e-300).error < 1e-13)
        #expect(WorstError(x.map(StandardNormal.density), f["pdf"].doubles, floor: 1e-300).error < 1e-13)
        let ppf = try f["p"].doubles.map { p throws(StatisticsError) in try StandardNormal.quantile(p) }
        let worst = WorstError(ppf, f["ppf"].doubles, floor: 1e-300)
        #expect(worst.error < 1e-13, "\(worst)")
    }

    @Test func normalEdgeCases() throws {
        #expect(try StandardNormal.quantile(0) == -.infinity)
        #expect(try StandardNormal.quantile(1) == .infinity)
        #expect(throws: StatisticsError.self) { try StandardNormal.quantile(.nan) }
        #expect(abs(StandardNormal.twoSidedPValue(-1.959963984540054) - 0.05) < 1e-15)
    }

    @Test func studentTMatchesScipy() throws {
        for f in fixture["student_t"].array {
            let df = f["df"].double
            let t = try StudentT(degreesOfFreedom: df)
            let ts = f["t"].doubles
            let cdf = WorstError(ts.map(t.cdf), f["cdf"].doubles, floor: 1e-300)
            let sf = WorstError(ts.map(t.survival), f["sf"].doubles, floor: 1e-300)
            let pdf = WorstError(ts.map(t.density), f["pdf"].doubles, floor: 1e-300)
            // ν = 10⁵: the continued fraction's rounding over its longer run costs a digit.
            let tolerance = df > 1000 ? 1e-11 : 1e-12
            #expect(cdf.error < tolerance, "df \(df) cdf: \(cdf)")
            #expect(sf.error < tolerance, "df \(df) sf: \(sf)")
            #expect(pdf.error < tolerance, "df \(df) pdf: \(pdf)")
            let ppf = try f["p"].doubles.map { p throws(StatisticsError) in try t.quantile(p) }
            let quantile = WorstError(ppf, f["ppf"].doubles, floor: 1e-300)
            #expect(quantile.error < tolerance, "df \(df) ppf: \(quantile)")
        }
    }

    /// Integer ν take the series of A&S 26.7.3–4 (centre and tail); ν nudged up by one ulp takes the
    /// continued fraction. Both must agree to 1e-12 relative over the whole range of t, tails included.
    @Test func seriesAndContinuedFractionAgree() throws {
        for nu in [1, 2, 3, 4, 5, 7, 10, 26, 27, 38, 39, 60, 119, 500, 1000] {
            let series = try StudentT(degreesOfFreedom: Double(nu))
            let fraction = try StudentT(degreesOfFreedom: Double(nu).nextUp)
            var t = 0.0
            while t < 400 {
                let a = series.twoSidedPValue(t), b = fraction.twoSidedPValue(t)
                if b > 1e-290 { #expect(abs(a - b) <= 1e-12 * b, "ν = \(nu), t = \(t): \(a) vs \(b)") }
                t = t < 6 ? t + 0.01 : t * 1.05
            }
        }
    }

    @Test func studentTHandCases() throws {
        // ν = 1 is Cauchy: P(T > 1) = 1/4. ν = 2: cdf(t) = ½ + t / (2√(2 + t²)).
        let cauchy = try StudentT(degreesOfFreedom: 1)
        #expect(abs(cauchy.survival(1) - 0.25) < 1e-15)
        let two = try StudentT(degreesOfFreedom: 2)
        #expect(abs(two.cdf(3) - (0.5 + 3 / (2 * (11.0).squareRoot()))) < 1e-15)
        #expect(abs(two.twoSidedPValue(-3) - 2 * two.survival(3)) < 1e-16)
        #expect(throws: StatisticsError.self) { try StudentT(degreesOfFreedom: 0) }
    }
}
