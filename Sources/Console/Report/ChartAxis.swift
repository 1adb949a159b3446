import Foundation

/// Evenly spaced, round tick values for an axis.
enum ChartAxis {
    /// Ticks from `low` to `high` at a 1, 2 or 5 × 10ⁿ step, at most about `count` of them.
    static func ticks(low: Double, high: Double, count: Int) -> [Double] {
        let span = high - low
        guard span > 0, span.isFinite, count > 0 else { return [low] }
        let raw = span / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var values: [Double] = []
        var value = (low / step).rounded(.up) * step
        while value <= high + step * 1e-9 {
            values.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return values
    }

    /// Seconds as an axis label: "0 s", "1.5 s", "2 min", "2 min 30 s".
    static func seconds(_ value: Double) -> String {
        if value < 60 { return HTMLText.number((value * 10).rounded() / 10) + " s" }
        let minutes = Int(value) / 60
        let rest = Int(value) % 60
        return rest == 0 ? "\(minutes) min" : "\(minutes) min \(rest) s"
    }
}
