import ArgumentParser
import Release

/// A command-line duration: plain seconds (`30`, `2.5`) or a written duration (`500ms`, `2m`, `1m30s`),
/// as playbooks write them.
struct DurationArgument: ExpressibleByArgument, Sendable {
    let duration: Duration

    init(_ duration: Duration) {
        self.duration = duration
    }

    init?(argument: String) {
        if let seconds = Double(argument), seconds.isFinite, seconds >= 0 {
            duration = .milliseconds(Int64(seconds * 1000))
        } else if let parsed = DurationSyntax.parse(argument) {
            duration = parsed
        } else {
            return nil
        }
    }

    var defaultValueDescription: String {
        let (seconds, attoseconds) = duration.components
        return attoseconds == 0 ? "\(seconds)s" : "\(Double(seconds) + Double(attoseconds) / 1e18)s"
    }
}
