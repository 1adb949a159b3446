/// Durations the way people read them: "850 ms", "4.2 s", "3 min 12 s".
enum DurationText {
    static func describe(_ duration: Duration) -> String {
        let ms = Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        if ms < 1000 { return "\(ms) ms" }
        if ms < 60_000 { return "\(ms / 1000).\((ms % 1000) / 100) s" }
        return "\(ms / 60_000) min \((ms % 60_000) / 1000) s"
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
