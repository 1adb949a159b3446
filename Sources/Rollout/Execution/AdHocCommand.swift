import Fleet
import Synchronization
import Transport

/// `cutover exec`: runs one command on every selected host, in parallel, and reports each
/// host's outcome. A non-zero exit is a failed host, not an error of the run.
public struct AdHocCommand: Sendable {
    public let request: ExecRequest

    public init(_ request: ExecRequest) {
        self.request = request
    }

    /// Runs the command; throws only for configuration mistakes.
    public func run(events: @escaping FleetEventSink) async throws(RolloutError) -> RunSummary {
        let request = self.request
        return try await PerHostRun(settings: request.connection).run(events: events) { host, connector in
            await Self.run(request, on: host, connector: connector, events: events)
        }
    }

    private static func run(_ request: ExecRequest, on host: Host, connector: HostConnector, events: @escaping FleetEventSink) async -> HostOutcome {
        let start = ContinuousClock.now
        let connection: SSHConnection
        do {
            connection = try await connector.connect(host)
        } catch {
            return .failure(host: host.name, address: host.address, error: error, duration: .now - start)
        }
        let lines = request.streamOutput ? HostLines(host: host.name, events: events) : nil
        do {
            // The command is the user's own: it sees the host's secrets exported, like a hook.
            let result = try await connection.run(request.command, exportingSecrets: true, timeout: request.timeout,
                                                  noProgressTimeout: request.noProgressTimeout, output: lines?.handler)
            lines?.flush()
            await connection.close()
            return HostOutcome(host: host.name, address: host.address, status: result.exitStatus == 0 ? .ok : .failed,
                               result: RemoteCommandResult(result), duration: .now - start)
        } catch {
            lines?.flush()
            await connection.close()
            return .failure(host: host.name, address: host.address, error: error, duration: .now - start, answered: true)
        }
    }
}

/// Splits one host's streamed output into lines and emits them as events. Memory stays
/// bounded: a line without an end is emitted in cut pieces (``LineSplitter``).
final class HostLines: Sendable {
    private let host: String
    private let events: FleetEventSink
    private let splitters = Mutex([OutputStream: LineSplitter]())

    init(host: String, events: @escaping FleetEventSink) {
        self.host = host
        self.events = events
    }

    var handler: OutputHandler {
        { [self] stream, bytes in
            let lines = splitters.withLock { $0[stream, default: LineSplitter()].append(bytes) }
            for line in lines { events(.output(host: host, stream: CommandStream(stream), line: HostOutputLine(line))) }
        }
    }

    /// Emits unterminated last lines.
    func flush() {
        for stream in [OutputStream.stdout, .stderr] {
            if let last = splitters.withLock({ $0[stream]?.finish() }) {
                events(.output(host: host, stream: CommandStream(stream), line: HostOutputLine(last)))
            }
        }
    }
}
