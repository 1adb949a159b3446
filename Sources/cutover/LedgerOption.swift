import ArgumentParser
import Console
import Ledger

/// `--ledger`: where release verbs record their runs, and where `history`, `metrics` and
/// `rollback` read them.
struct LedgerOption: ParsableArguments {
    @Option(help: "Release ledger: a SQLite file (PATH or sqlite:PATH), postgres://…, or none (default: $CUTOVER_LEDGER, else ${XDG_STATE_HOME:-~/.local/state}/cutover/ledger.sqlite).")
    var ledger: String?

    func validate() throws {
        do { _ = try location() } catch { throw ValidationError(error.message) }
    }

    func location() throws(LedgerError) -> LedgerLocation {
        try LedgerLocation.resolve(ledger)
    }

    /// `cutover rollback` without `--to`: the ledger's known-good release and why; nil (each
    /// host's journal decides) when the ledger is off, knows none, or cannot be read (warned).
    func knownGoodTarget(app: String?, environment: String, hosts: [String]?) async -> KnownGoodTarget? {
        guard let location = try? location() else { return nil }
        switch await KnownGoodTarget.find(app: app, environment: environment, hosts: hosts, location: location) {
        case .found(let target):
            return target
        case .unknown:
            return nil
        case .unreadable(let error):
            TerminalOutput().err("warning: cannot read the ledger (\(error.message)); each host goes back to the release before its current one")
            return nil
        }
    }

    /// The release the ledger last saw `app` land on (the production prompt), when it knows one.
    func landedRelease(app: String?, environment: String?) async -> String? {
        guard let location = try? location() else { return nil }
        return await KnownGoodTarget.landed(app: app, environment: environment, location: location)
    }

    /// Runs `body` holding the ledger's deploy lease (``LedgerLease``); exit 5 when another run
    /// keeps it. `body` gets what remains of `wait` for its hosts' leases.
    func holdingLease(app: String?, environment: String?, wait: Duration, _ body: (_ remainingWait: Duration) async throws -> Void) async throws {
        let output = TerminalOutput()
        do {
            try await LedgerLease.holding(app: app, environment: environment, location: (try? location()) ?? .disabled, wait: wait,
                                          warn: { output.err($0) }, body)
        } catch let held as LedgerLease.Held {
            output.err(held.description)
            throw ExitCode(ExitStatus.lockHeld)
        }
    }
}
