import Foundation
public import Rollout
import Synchronization

/// `--report FILE`: a self-contained HTML report of a deploy or rollback, built from its events
/// and written when the run finishes, whatever its outcome (promoted, failed, rolled back).
/// The file needs no network: CSS and charts (SVG) are inline, and there is no script.
public final class HTMLReport: Sendable {
    private let path: String
    private let command: RerunCommand
    private let stamper = EventStamper()
    private let model = Mutex(ReportModel())

    /// - Parameters:
    ///   - path: where to write the report.
    ///   - command: how the run was called (`cutover deploy web -i prod …`), for the commands that undo or continue it.
    public init(path: String, command: RerunCommand) {
        self.path = path
        self.command = command
    }

    public func record(_ event: DeployEvent) {
        record(stamper.stamp(event))
    }

    public func record(_ stamped: StampedEvent) {
        model.withLock { $0.record(stamped) }
        if case .finished = stamped.event { write() }
    }

    /// The report of the events so far.
    public func html() -> String {
        ReportPage(model: model.withLock { $0 }, command: command).html()
    }

    /// The report of a recorded run (e.g. events read back from `--output json`).
    public static func html(of events: [StampedEvent], command: RerunCommand) -> String {
        var model = ReportModel()
        for event in events { model.record(event) }
        return ReportPage(model: model, command: command).html()
    }

    private func write() {
        do {
            try Data(html().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            TerminalOutput().err("cutover: cannot write the report to \(path): \(error.localizedDescription)")
        }
    }
}
