public import Rollout
import Synchronization

/// The live view of a deploy on a terminal: redrawn in place at most ``maxRedrawsPerSecond``
/// times a second (and once a second for countdowns) from the events, with lines that matter
/// (waves, failures, rollbacks, verdicts, pauses) printed above it as they happen. At the end
/// the view is erased, the cursor restored and the summary printed as plain text.
///
/// Knows nothing of SSH: everything comes from ``DeployEvent``s.
public final class LiveDeployView: Sendable {
    public static let maxRedrawsPerSecond = 10

    private struct State {
        var progress = DeployProgress()
        var dirty = false
        var lastDraw: ContinuousClock.Instant?
        var ticker: Task<Void, Never>?
        var ended = false
    }

    private let output: TerminalOutput
    private let text: DeployTextRenderer
    private let capabilities: TerminalCapabilities
    private let state = Mutex(State())

    /// - Parameter verb: what the heading calls the run (`deploy`, `rollback`, `resume`).
    public init(output: TerminalOutput, text: DeployTextRenderer, capabilities: TerminalCapabilities, verb: String = "deploy") {
        self.output = output
        self.text = text
        self.capabilities = capabilities
        state.withLock { $0.progress = DeployProgress(verb: verb) }
    }

    public func render(_ event: DeployEvent) {
        let now = ContinuousClock.now
        let startTicker = state.withLock { state -> Bool in
            guard !state.ended else { return false }
            state.progress.apply(event, at: now)
            state.dirty = true
            return state.ticker == nil
        }
        if startTicker { start() }
        switch event {
        case .step(_, _, let stepState, _) where stepState != .failed:
            text.recordOnly(event)  // the view shows it
        case .uploadProgress, .kpiSample:
            text.recordOnly(event)
        case .finished:
            stop()
            text.render(event)
        default:
            text.render(event)  // printed above the view
        }
    }

    /// Erases the view and restores the cursor; the events that follow print as plain lines.
    public func stop() {
        let ticker = state.withLock { state -> Task<Void, Never>? in
            state.ended = true
            defer { state.ticker = nil }
            return state.ticker
        }
        ticker?.cancel()
        output.endLive()
    }

    private func start() {
        let task = Task.detached { [weak self] in
            while !Task.isCancelled {
                self?.tick()
                try? await Task.sleep(for: .milliseconds(1000 / LiveDeployView.maxRedrawsPerSecond))
            }
        }
        let keep = state.withLock { state -> Bool in
            guard !state.ended, state.ticker == nil else { return false }
            state.ticker = task
            return true
        }
        if !keep { task.cancel() }
    }

    /// Draws when something changed, or a second went by (countdowns, ETA).
    private func tick() {
        let now = ContinuousClock.now
        // Drawn under the lock, so that no frame lands after ``stop()`` erased the view.
        state.withLock { state in
            guard !state.ended else { return }
            let stale = state.lastDraw.map { now - $0 >= .seconds(1) } ?? true
            guard state.dirty || stale else { return }
            state.dirty = false
            state.lastDraw = now
            output.drawLive(LiveFrame(progress: state.progress, now: now, columns: capabilities.columns, rows: capabilities.rows).lines)
        }
    }
}
