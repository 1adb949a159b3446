import ArgumentParser
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
}
