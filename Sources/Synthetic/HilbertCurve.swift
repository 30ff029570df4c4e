/// The Hilbert curve on a 2^order × 2^order grid: consecutive positions are neighbouring cells, and every prefix
/// of the curve is a compact region. The synthetic city takes its first N cells, so that districts, regions and
/// planning areas (consecutive runs of the curve) are contiguous, as real ones are.
enum HilbertCurve {
    /// The cell at position `d` (0 ≤ d < 4^order), by the classic bit-twiddling walk (Hilbert 1891; as in
    /// Warren, Hacker's Delight §16).
    static func cell(at d: Int, order: Int) -> (x: Int, y: Int) {
        var x = 0, y = 0, t = d
        var s = 1
        while s < (1 << order) {
            let rx = 1 & (t / 2)
            let ry = 1 & (t ^ rx)
            if ry == 0 {
                if rx == 1 { x = s - 1 - x; y = s - 1 - y }
                swap(&x, &y)
            }
            x += s * rx
            y += s * ry
            t /= 4
            s *= 2
        }
        return (x, y)
    }
}
