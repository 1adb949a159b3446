import Console
import Foundation
import Ledger
import LedgerRecording
import Rollout

/// Records one run of a release verb in the ledger: watches its events, and writes a record
/// when it finishes. A ledger that cannot be written warns on stderr and never changes the
/// verb's outcome or exit code.
struct LedgerSession: Sendable {
    let recorder: LedgerRecorder
    let location: LedgerLocation

    init(_ kind: LedgerRecord.Kind, ledger: LedgerOption, app: String? = nil, environment: String? = nil) {
        recorder = LedgerRecorder(kind: kind, app: app, environment: environment)
        location = (try? ledger.location()) ?? .disabled  // validate() already refused a bad one
    }

    func observing(_ sink: @escaping DeployEventSink) -> DeployEventSink {
        recorder.observing(sink)
    }

    /// Writes the record for `report`; warns when it cannot.
    func record(_ report: DeployReport) async {
        guard let store = location.open(forWriting: true) else { return }
        let record = recorder.record(for: report)
        do {
            try await store.append(record)
        } catch {
            TerminalOutput().err("warning: this \(record.kind.rawValue) was not recorded in the ledger: \(error.message)")
        }
        await store.close()
    }
}
