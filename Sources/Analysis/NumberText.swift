/// Short decimal renderings of numbers for the reasons a human reads.
enum NumberText {
    /// `value` with exactly `places` decimals, rounded half away from zero ("0.37", "1.00").
    static func fixed(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * Double(scale)).rounded()
        guard scaled < 1e15 else { return "\(value)" }
        let units = Int(scaled)
        let sign = value < 0 && units != 0 ? "-" : ""
        guard places > 0 else { return sign + String(units) }
        let fraction = String(units % scale)
        let padding = String(repeating: "0", count: places - fraction.count)
        return sign + String(units / scale) + "." + padding + fraction
    }

    /// `value` with at most `places` decimals and no trailing zeros ("0.37", "120"); tiny non-zero values keep their
    /// exponent form ("1e-07") rather than turning into "0".
    static func trimmed(_ value: Double, places: Int = 4) -> String {
        var text = fixed(value, places: places)
        guard value.isFinite, text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        if value != 0, text == "0" || text == "-0" { return "\(value)" }
        return text
    }

    /// A p-value: four decimals at most, and "<0.0001" below that.
    static func pValue(_ p: Double) -> String {
        p < 0.0001 ? "<0.0001" : "=" + trimmed(p, places: 4)
    }
}
