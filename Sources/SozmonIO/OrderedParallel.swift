import Dispatch
import Foundation

/// Makes results `0..<count` on all cores, a few batches' worth at a time, and hands them to `consume` in order: the
/// writers' way to format pieces of a large table in parallel while holding only a few of them.
func forEachInOrder<T>(_ count: Int, make: @Sendable (Int) -> T, consume: (T) throws -> Void) rethrows {
    let batch = 2 * ProcessInfo.processInfo.activeProcessorCount
    for start in stride(from: 0, to: count, by: batch) {
        let results = Results<T>(count: min(batch, count - start))
        DispatchQueue.concurrentPerform(iterations: results.count) { k in results.set(k, make(start + k)) }
        for result in results.take() { try consume(result) }
    }
}

/// The results of one batch, filled from several threads.
private final class Results<T>: @unchecked Sendable {
    let count: Int
    private var values: [T?]
    private let lock = NSLock()
    init(count: Int) { self.count = count; values = Array(repeating: nil, count: count) }
    func set(_ k: Int, _ value: T) { lock.withLock { values[k] = value } }
    func take() -> [T] { lock.withLock { values.map { $0! } } }
}
