import Foundation
import Synchronization
import Transport

/// Watches a switch-then-hook script's stdout as it arrives and calls `onMarker` once, with
/// the output before it, when ``RemoteScripts/hookMarker`` appears on a line of its own: the
/// switch is done and the hook starts. The step events then time the switch and the hook
/// apart although both run in one round trip.
final class HookMarkerWatch: Sendable {
    private struct State {
        var seen: [UInt8] = []
        var fired = false
    }

    private let state = Mutex(State())
    private let onMarker: @Sendable (String) -> Void
    /// Output before the marker is small (the switch script's few lines); beyond this much
    /// without one, the watch stops looking and the caller reports after the round trip.
    private static let limit = 64 << 10

    init(onMarker: @escaping @Sendable (String) -> Void) {
        self.onMarker = onMarker
    }

    /// Whether the marker was seen (and `onMarker` called).
    var fired: Bool { state.withLock { $0.fired } }

    var handler: OutputHandler {
        { [self] stream, bytes in
            guard stream == .stdout else { return }
            let before: String? = state.withLock { state in
                guard !state.fired, state.seen.count < Self.limit else { return nil }
                state.seen += bytes
                let text = "\n" + String(decoding: state.seen, as: UTF8.self)
                guard let range = text.range(of: "\n" + RemoteScripts.hookMarker + "\n") else { return nil }
                state.fired = true
                return String(text[..<range.lowerBound].dropFirst())
            }
            if let before { onMarker(before) }
        }
    }
}
