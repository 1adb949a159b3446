#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The upper tail of the standard normal distribution.
enum NormalTail {
    /// P(Z > z) for a standard normal Z.
    static func probability(above z: Double) -> Double {
        0.5 * erfc(z / 2.0.squareRoot())
    }
}
