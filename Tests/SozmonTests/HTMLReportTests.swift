@testable import Reporting
import SozmonIO
import Testing

/// report.html reads in German: numbers with decimal comma and thin spaces between thousands, classes in class order.
@Suite struct HTMLReportTests {
    @Test(arguments: [(11.18, "11,18"), (10679, "10\u{202F}679"), (-0.5, "-0,5"), (1_234_567.891, "1\u{202F}234\u{202F}567,891"),
                      (0, "0"), (0.0000123, "1,2e-5"), (-0.0001, "-1e-4"), (2.0004, "2"), (-0.0004, "-4e-4"), (999.9996, "1\u{202F}000")])
    func germanNumbers(_ value: Double, _ text: String) {
        #expect(HTMLReport.germanNumber(value) == text)
    }

    @Test func classCountsInClassOrder() {
        var areas = Table(name: "areas", columns: ["area_id", "status_class"])
        for (id, label) in [("1", "niedrig"), ("2", "hoch"), ("3", ""), ("4", "sehr niedrig"), ("5", "mittel"), ("6", "hoch")] {
            areas.append([.text(id), label.isEmpty ? .empty : .text(label)])
        }
        #expect(HTMLReport.summary(areas).contains("<b>status</b>: hoch 2, mittel 1, niedrig 1, sehr niedrig 1, ohne Zuordnung 1"))
    }
}
