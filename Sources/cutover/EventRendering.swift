import Console
import Synchronization
import Foundation
import Rollout

/// Picks the renderer for an output format.
enum EventRendering {
    static func sink(for format: OutputFormat, verb: String) -> FleetEventSink {
        let output = TerminalOutput()
        switch format {
        case .text:
            let renderer = ExecTextRenderer(output: output, verb: verb)
            return { renderer.render($0) }
        case .json:
            let renderer = ExecJSONRenderer(output: output)
            return { renderer.render($0) }
        }
    }

    /// Text on a terminal is the live view for deploy, resume and rollback (unless `NO_COLOR`,
    /// `TERM=dumb` or a pipe ask for plain lines); `cutover plan` prints its plan and stops.
    static func deploySink(for format: OutputFormat, command: RerunCommand, planToStdout: Bool = false) -> DeployEventSink {
        let output = TerminalOutput()
        switch format {
        case .text:
            let renderer = DeployTextRenderer(output: output, command: command, planToStdout: planToStdout)
            let terminal = TerminalCapabilities.stderr(environment: ProcessInfo.processInfo.environment)
            // Verbs that run for a while; unlock, promote and abort are over in a moment.
            let runsForAWhile = switch command.verb {
            case .deploy, .resume, .rollback: true
            case .status, .unlock, .promote, .abort: false
            }
            if terminal.live && !planToStdout && runsForAWhile {
                let view = LiveDeployView(output: output, text: renderer, capabilities: terminal, verb: command.verb.rawValue)
                return { view.render($0) }
            }
            return { renderer.render($0) }
        case .json:
            // JSON on stdout; the plain lines and the summary on stderr, for the CI log.
            let renderer = DeployJSONRenderer(output: output)
            let text = DeployTextRenderer(output: TerminalOutput(everythingToStderr: true), command: command, planToStdout: planToStdout)
            return { event in
                renderer.render(event)
                if !planToStdout { text.render(event) }
            }
        }
    }

    /// Status: host lines on stdout, the summary (mixed releases, locks) on stderr.
    static func statusSink(for format: OutputFormat) -> DeployEventSink {
        let output = TerminalOutput()
        switch format {
        case .text:
            // Rows are held until the run ends: the columns are aligned over every host.
            let table = Mutex(StatusTable())
            return { event in
                switch event {
                case .hostStatus(let status): table.withLock { $0.rows.append(status) }
                case .finished(let report):
                    for line in table.withLock({ $0.lines }) { output.out(line) }
                    if let reason = report.reason { output.err(reason) }
                default: break
                }
            }
        case .json:
            let renderer = DeployJSONRenderer(output: output)
            let stamper = EventStamper()
            return { event in
                let stamped = stamper.stamp(event)  // `started` names the operation for the host lines
                switch event {
                case .hostStatus: renderer.render(stamped)
                case .finished(let report): if let reason = report.reason { output.err(reason) }
                default: break
                }
            }
        }
    }
}
