@testable import Sozmon
import Testing

/// The config's TOML reader against hand-derived cases from the TOML 1.0 specification (toml.io/en/v1.0.0).
@Suite struct TOMLParserTests {
    func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable { try TOMLParser.parse(text) }

    @Test func valuesOfEveryKind() throws {
        let t = try parse(#"""
            # comment
            s = "a\tb \"q\" \u00e4 \U0001F600"
            l = 'C:\path'
            m = """
            one \
              two"""
            ml = '''x
            y'''
            i = +1_000
            h = 0xff
            o = 0o17
            b = 0b101
            f = -2.5e-3
            e = 1e9
            big = 9223372036854775807
            inf = -inf
            yes = true
            a = [1, [2, "x"], { k = 1 }, ]
            "quoted key" = 1
            dotted.inner = 2
            """#)
        #expect(t["s"]?.string == "a\tb \"q\" ä 😀")
        #expect(t["l"]?.string == #"C:\path"#)
        #expect(t["m"]?.string == "one two")
        #expect(t["ml"]?.string == "x\ny")
        #expect(t["i"]?.int == 1000 && t["h"]?.int == 255 && t["o"]?.int == 15 && t["b"]?.int == 5)
        #expect(t["f"]?.double == -2.5e-3 && t["e"]?.double == 1e9 && t["big"]?.int == Int.max)
        #expect(t["inf"]?.double == -.infinity && t["yes"]?.bool == true)
        #expect(t["a"]?.array?.count == 3 && t["a"]?.array?[1].array?[1].string == "x")
        #expect(t["a"]?.array?[2].table?["k"]?.int == 1)
        #expect(t["quoted key"]?.int == 1 && t["dotted"]?.table?["inner"]?.int == 2)
        #expect(t.keys.first == "s", "keys in the order written")
    }

    @Test func tablesAndArraysOfTables() throws {
        let t = try parse("""
            title = "x"
            [input]
            table = "t.csv"
            [input.counts]
            S1 = ["a", "b"]
            [[index]]
            name = "status"
            [index.extra]
            k = 0
            [[index]]
            name = "dynamik"
            [index.extra]
            k = 1
            """)
        #expect(t["input"]?.table?["table"]?.string == "t.csv")
        #expect(t["input"]?.table?["counts"]?.table?["S1"]?.array?.count == 2)
        let indices = try #require(t["index"]?.array)
        #expect(indices.map { $0.table?["name"]?.string } == ["status", "dynamik"])
        #expect(indices[1].table?["extra"]?.table?["k"]?.int == 1, "a subtable of the last array element")
        #expect(indices[0].table?["extra"]?.table?["k"]?.int == 0, "each element its own [index.extra]")
        #expect(t.positions["input"] == TOMLPosition(line: 2, column: 1))
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        let text: String, line: Int, column: Int, message: String
        var testDescription: String { text.debugDescription }
    }

    /// Inputs that made the former TOML library abort the process, and other malformed ones: each a message
    /// with its place.
    @Test(arguments: [
        Bad(text: "[[[[[[]", line: 1, column: 3, message: "expected a key"),
        Bad(text: "[\u{FFFD}[index]]", line: 1, column: 2, message: "expected a key (ASCII letters, digits, _ and -, or quoted), found U+FFFD"),
        Bad(text: "[\religibility]", line: 1, column: 2, message: "found U+D"),
        Bad(text: "formats = [}\"csv\"]", line: 1, column: 12, message: "expected a value, found '}'"),
        Bad(text: "a = 1\na = 2", line: 2, column: 1, message: "key 'a' is defined twice"),
        Bad(text: "[t]\n[t]", line: 2, column: 1, message: "table [t] is defined twice"),
        Bad(text: "a = \"open", line: 1, column: 10, message: "unfinished string"),
        Bad(text: "a = 01", line: 1, column: 5, message: "'01' is not a number"),
        Bad(text: "a = 1__0", line: 1, column: 5, message: "'1__0' is not a number"),
        Bad(text: "a = 99999999999999999999", line: 1, column: 5, message: "outside the integers"),
        Bad(text: "a = 2024-12-31", line: 1, column: 5, message: "dates and times are not used"),
        Bad(text: "a = \"\\x\"", line: 1, column: 6, message: "unknown escape sequence \\x"),
        Bad(text: "a = 1 b = 2", line: 1, column: 7, message: "expected the end of the line"),
        Bad(text: "a = " + String(repeating: "[", count: 200), line: 1, column: 105, message: "nest deeper than 100"),
        Bad(text: "a = 1\na.b = 2", line: 2, column: 1, message: "'a' is already a value, not a table"),
        Bad(text: "a = [{ x = 1 }]\na.y = 2", line: 2, column: 1, message: "'a' is already a value, not a table"),
    ])
    func malformedTextIsAnErrorWithItsPlace(_ bad: Bad) {
        do throws(TOMLSyntaxError) {
            _ = try parse(bad.text)
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains(bad.message), "\(error.message)")
            #expect(error.position == TOMLPosition(line: bad.line, column: bad.column), "\(error.position)")
        }
    }
}
