/// What happens during an `exec` or `check` run, in order, for renderers to show.
public enum FleetEvent: Sendable {
    /// The hosts selected, in inventory order.
    case started(hosts: [String], parallel: Int)
    /// One line of a host's output (only when output is streamed); a line longer than
    /// ``HostOutputLine/lineLimit`` arrives in pieces marked ``HostOutputLine/isCut``.
    case output(host: String, stream: CommandStream, line: HostOutputLine)
    case hostFinished(HostOutcome)
    case finished(RunSummary)
}

/// Receives events, possibly from several threads at once: implementations serialise.
public typealias FleetEventSink = @Sendable (FleetEvent) -> Void
