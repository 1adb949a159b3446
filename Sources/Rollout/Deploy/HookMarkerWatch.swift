import Foundation
import Synchronization
import Transport

/// Watches a combined script's stdout as it arrives for its marker lines, in order, and calls
/// each marker's action once, with the output since the marker before it, when the marker
/// appears on a line of its own: ``RemoteScripts/hookMarker`` says the switch is done and the
/// hook starts, ``InlineChecks/startMarker`` that the hook passed and the checks start. The
/// step events then time the steps apart although they run in one round trip.
final class HookMarkerWatch: Sendable {
    /// A line the script prints between two steps, and what to do when it arrives.
    struct Marker: Sendable {
        let line: String
        let action: @Sendable (String) -> Void
    }

    private struct State {
        var seen: [UInt8] = []
        var next = 0
    }

    private let state = Mutex(State())
    private let markers: [Marker]
    /// Output between two markers is small (the switch script's few lines, a hook's output);
    /// beyond this much without the next one, the watch stops looking and the caller reports
    /// after the round trip.
    private static let limit = 64 << 10

    init(_ markers: [Marker]) {
        self.markers = markers
    }

    /// Watches for ``RemoteScripts/hookMarker`` alone.
    convenience init(onMarker: @escaping @Sendable (String) -> Void) {
        self.init([Marker(line: RemoteScripts.hookMarker, action: onMarker)])
    }

    /// Whether the first marker was seen (and its action called).
    var fired: Bool { state.withLock { $0.next > 0 } }

    /// Whether the marker with this line was seen (and its action called).
    func fired(_ line: String) -> Bool {
        state.withLock { state in markers.prefix(state.next).contains { $0.line == line } }
    }

    var handler: OutputHandler {
        { [self] stream, bytes in
            guard stream == .stdout else { return }
            let found: [(Marker, String)] = state.withLock { state in
                var found: [(Marker, String)] = []
                guard state.next < markers.count, state.seen.count < Self.limit else { return found }
                state.seen += bytes
                while state.next < markers.count {
                    let text = "\n" + String(decoding: state.seen, as: UTF8.self)
                    guard let range = text.range(of: "\n" + markers[state.next].line + "\n") else { break }
                    found.append((markers[state.next], String(text[..<range.lowerBound].dropFirst())))
                    // What follows the marker's line is the next step's output.
                    state.seen = Array(text[range.upperBound...].utf8)
                    state.next += 1
                }
                return found
            }
            for (marker, before) in found { marker.action(before) }
        }
    }
}
