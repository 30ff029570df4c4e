import AreaData
import Testing

@Suite struct PeriodTests {
    @Test(arguments: [
        ("2024", "2024"), ("2024H1", "2024H1"), ("2024-H2", "2024H2"), ("2024Q1", "2024Q1"), ("2024-Q3", "2024Q3"),
        ("Q4 2023", "2023Q4"), ("2024-03", "2024-03"), ("202412", "2024-12"), ("2024-12-31", "2024-12-31"),
        (" 31.12.2024", "2024-12-31"), ("29.02.2024", "2024-02-29"),
    ])
    func parsesEveryFormOfSpec(_ text: String, _ canonical: String) throws {
        let period = try #require(Period(parsing: text), "\(text)")
        #expect(period.description == canonical)
        #expect(Period(parsing: canonical) == period, "the canonical form reads back")
    }

    @Test(arguments: ["", "24", "2024Q5", "2024H3", "2024-13", "30.02.2023", "2023-02-29", "abcd", "2024-1-1x"])
    func rejectsWhatIsNoPeriod(_ text: String) {
        #expect(Period(parsing: text) == nil)
    }

    @Test func arithmeticAndOrder() {
        #expect(Period.quarter(2024, 1).advanced(by: -1) == .quarter(2023, 4))
        #expect(Period.quarter(2024, 2).yearEarlier == .quarter(2023, 2))
        #expect(Period.month(2024, 1).advanced(by: -13) == .month(2022, 12))
        #expect(Period.half(2020, 2).advanced(by: 1) == .half(2021, 1))
        #expect(Period.year(2021).advanced(by: -2) == .year(2019))
        #expect(Period.date(2024, 2, 29).yearEarlier == .date(2023, 2, 28))
        #expect(Period.date(1970, 1, 1).ordinal == 0 && Period.date(2000, 3, 1).ordinal == 11_017)
        #expect(Period.quarter(-1, 4).year == -1 && Period.quarter(-1, 4).subperiod == 4)
        #expect([Period.quarter(2024, 2), .quarter(2023, 4), .quarter(2024, 1)].sorted()
                == [.quarter(2023, 4), .quarter(2024, 1), .quarter(2024, 2)])
    }
}

@Suite struct AreaHierarchyTests {
    @Test func lorPrefixes() throws {
        let lor = AreaHierarchy.berlinLOR
        #expect(lor.shortestIdLength == 7)
        #expect(try (0..<3).map { try lor.parent(of: "01100101", level: $0) } == ["01", "0110", "011001"])
        #expect(throws: AreaDataError.self) { try lor.parent(of: "01", level: 2) }
    }

    @Test func explicitTableAndValidation() throws {
        let h = try AreaHierarchy(parents: ["A1": ["Nord", "N1"]], levelNames: ["Bezirk", "Region"])
        #expect(try h.parent(of: "A1", level: 1) == "N1")
        #expect(h.shortestIdLength == nil)
        #expect(throws: AreaDataError.unknownArea(id: "B", expected: "an id listed in the parent table")) {
            try h.parent(of: "B", level: 0)
        }
        #expect(throws: AreaDataError.self) { try AreaHierarchy(prefixLengths: [4, 2]) }
        #expect(throws: AreaDataError.self) { try AreaHierarchy(parents: ["A": ["x"]], levelNames: ["a", "b"]) }
    }
}

/// Reference dates (Stichtage) read as the periods they close.
@Suite struct StichtagTests {
    func panel(_ dates: [Period]) throws -> Panel {
        var builder = Panel.Builder(indicators: ["x"], hasPopulation: false)
        for (k, date) in dates.enumerated() { try builder.add(area: "A", period: date, cells: [.value(Double(k))]) }
        return try builder.build()
    }

    @Test func monthQuarterAndYearEnds() throws {
        let months = try panel([.date(2014, 11, 30), .date(2014, 12, 31), .date(2015, 1, 31), .date(2016, 2, 29)])
        #expect(months.readingStichtage()?.periods == [.month(2014, 11), .month(2014, 12), .month(2015, 1), .month(2016, 2)])
        let quarters = try panel([.date(2014, 9, 30), .date(2014, 12, 31), .date(2015, 3, 31)])
        #expect(quarters.readingStichtage()?.periods == [.quarter(2014, 3), .quarter(2014, 4), .quarter(2015, 1)])
        let years = try panel([.date(2013, 12, 31), .date(2014, 12, 31)])
        #expect(years.readingStichtage()?.periods == [.year(2013), .year(2014)])
        #expect(try panel([.date(2014, 12, 30), .date(2014, 12, 31)]).readingStichtage() == nil, "days stay days")
        #expect(try panel([.date(2015, 2, 28)]).readingStichtage()?.periods == [.month(2015, 2)])
        #expect(try panel([.date(2016, 2, 28)]).readingStichtage() == nil, "2016 is a leap year")
    }
}
