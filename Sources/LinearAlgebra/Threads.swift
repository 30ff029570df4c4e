import Dispatch
import COpenBLAS

/// The number of threads OpenBLAS uses for one call. It is process-wide state of the library: set it once, early
/// (benchmarks and the CLI's `--threads`); results do not depend on it beyond the last bits of floating point.
public enum BLASThreads {
    /// The current thread count.
    public static var count: Int { Int(openblas_get_num_threads()) }

    /// Sets the thread count (at least 1).
    public static func set(_ count: Int) {
        precondition(count >= 1, "BLAS thread count must be at least 1, got \(count)")
        openblas_set_num_threads(blasInt(count))
    }

    /// The OpenBLAS build and kernel in use, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64".
    public static var configuration: String {
        guard let config = openblas_get_config() else { return "unknown" }
        return String(cString: config) + " " + (openblas_get_corename().map { String(cString: $0) } ?? "")
    }
}

/// `body(0) … body(count − 1)` computed over the cores in chunks of consecutive indices, written straight into the
/// result (no per-chunk arrays, no copy). Each result depends only on its index, so the output does not depend on the
/// number of threads.
package func parallelMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 1 else { return (0..<count).map(body) }
    let chunks = min(count, 64)
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        let base = UncheckedSendable(buffer.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            for i in (c * count / chunks)..<((c + 1) * count / chunks) { (base.value + i).initialize(to: body(i)) }
        }
        initialized = count
    }
}

/// `parallelMap` of a body that may throw: every index is computed, then the error of the first failing index (in
/// index order, so the same error whatever the threads did) is thrown.
package func parallelMap<T: Sendable>(_ count: Int, throwing body: @Sendable (Int) throws -> T) throws -> [T] {
    try parallelMap(count) { k in Result { try body(k) } }.map { try $0.get() }
}
