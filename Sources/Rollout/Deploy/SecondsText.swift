/// A duration as the engine's messages say it: `2.5 s`, one decimal.
enum SecondsText {
    static func describe(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return "\((value * 10).rounded() / 10) s"
    }
}
