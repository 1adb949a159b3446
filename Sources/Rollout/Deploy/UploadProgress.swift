import Synchronization

/// Turns an upload's running byte count into ``DeployEvent/uploadProgress(host:bytes:total:)``
/// events: at most one per ``interval`` per host, and always the last one.
///
/// - Important: ``report(_:)`` is called on the connection's thread; it only emits.
final class UploadProgress: Sendable {
    static let interval = Duration.milliseconds(200)

    private let host: String
    private let total: Int64
    private let events: DeployEventSink
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    init(host: String, total: Int64, events: @escaping DeployEventSink) {
        self.host = host
        self.total = total
        self.events = events
    }

    @Sendable func report(_ bytes: Int64) {
        let now = ContinuousClock.now
        let due = last.withLock { last -> Bool in
            guard bytes >= total || last.map({ now - $0 >= Self.interval }) ?? true else { return false }
            last = now
            return true
        }
        if due { events(.uploadProgress(host: host, bytes: bytes, total: total)) }
    }
}
