import Console
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

    static func deploySink(for format: OutputFormat, command: String) -> DeployEventSink {
        let output = TerminalOutput()
        switch format {
        case .text:
            let renderer = DeployTextRenderer(output: output, command: command)
            return { renderer.render($0) }
        case .json:
            let renderer = DeployJSONRenderer(output: output)
            return { renderer.render($0) }
        }
    }
}
