@testable import Statistics
import Testing

/// Partial selection gives, at every asked rank, the value a full sort puts there, with smaller or equal values left
/// of it and larger or equal ones right of it.
@Suite struct SelectionTests {
    @Test func selectedRanksEqualTheSortedOnes() {
        var generator = RandomStream(seed: 11)
        for n in [1, 2, 3, 16, 17, 18, 40, 276, 1000, 5051] {
            for duplicates in [false, true] {
                let values = (0..<n).map { _ in
                    duplicates ? Double(generator.integer(below: 7)) : generator.uniform() * 200 - 100
                }
                let sorted = values.sorted()
                let ranks = [0, n / 2, (n - 1) / 2, n - 1, generator.integer(below: n), generator.integer(below: n)]
                var selected = values
                selectRanks(ranks, in: &selected)
                #expect(selected.sorted() == sorted, "a permutation of the values (n = \(n))")
                for r in ranks {
                    #expect(selected[r] == sorted[r], "rank \(r) of \(n), duplicates: \(duplicates)")
                    #expect(selected[..<r].allSatisfy { $0 <= selected[r] } && selected[(r + 1)...].allSatisfy { $0 >= selected[r] })
                }
            }
        }
        // All equal, and two values with many of each (a pivot that is its range's smallest value, again and again).
        for values in [[Double](repeating: 3, count: 5000), (0..<5000).map { Double($0 % 2) }, (0..<5000).map { $0 < 4990 ? 1.0 : 0 }] {
            var selected = values
            let sorted = values.sorted()
            selectRanks([0, 9, 10, 2500, 4999], in: &selected)
            #expect([0, 9, 10, 2500, 4999].allSatisfy { selected[$0] == sorted[$0] } && selected.sorted() == sorted)
        }
        // Already sorted and reversed input (the median-of-three pivot keeps them fast and correct).
        var ascending = (0..<1000).map(Double.init), descending = Array(ascending.reversed())
        selectRanks([10, 500, 990], in: &ascending)
        selectRanks([10, 500, 990], in: &descending)
        #expect([ascending[10], ascending[500], ascending[990]] == [10, 500, 990])
        #expect([descending[10], descending[500], descending[990]] == [10, 500, 990])
    }
}
