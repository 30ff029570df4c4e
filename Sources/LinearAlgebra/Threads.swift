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
