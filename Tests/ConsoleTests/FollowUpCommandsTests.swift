import Foundation
@testable import Console
@testable import Rollout
import Testing

@Suite("The commands a summary offers next")
struct FollowUpCommandsTests {
    func report(_ outcome: DeployOutcome, _ states: [DeployReport.HostFinalState]) -> DeployReport {
        DeployReport(outcome: outcome, deployID: "d-1", release: "1.0.0-000000000001", reason: nil,
                     hosts: states.enumerated().map { .init(host: "h\($0.offset + 1)", release: nil, state: $0.element, detail: nil) },
                     duration: .zero)
    }

    let deploy = "cutover deploy web -i prod --limit 'zone=a' --ssh-config none --ledger /var/lib/cutover.sqlite --artifact web-1.0.0.tar.gz"

    @Test func resumeAndRollbackKeepTheSelectionSshConfigAndLedger() {
        let next = FollowUpCommands(command: deploy, report: report(.partial, [.promoted, .failed]))
        #expect(next.finish == deploy.replacingOccurrences(of: "cutover deploy", with: "cutover resume"))
        #expect(next.undo == "cutover rollback web -i prod --limit 'zone=a' --ssh-config none --ledger /var/lib/cutover.sqlite")
    }

    @Test func statusAndUnlockTakeNoLedger() {
        #expect(FollowUpCommands(command: deploy, report: report(.rolledBack, [.rolledBack])).status
                == "cutover status web -i prod --limit 'zone=a' --ssh-config none")
        #expect(FollowUpCommands(command: deploy, report: report(.lockHeld, [.unchanged])).unlock
                == "cutover unlock web -i prod --limit 'zone=a' --ssh-config none")
    }

    @Test func aLedgerURLsPasswordIsNeverRepeated() {
        #expect(FollowUpCommands.withoutPassword("postgres://ops:s3cret@db:5432/cutover") == "postgres://ops@db:5432/cutover")
        #expect(FollowUpCommands.withoutPassword("postgres://ops@db/cutover") == "postgres://ops@db/cutover")
        #expect(FollowUpCommands.withoutPassword("/var/lib/ledger.sqlite") == "/var/lib/ledger.sqlite")
        #expect(FollowUpCommands.withoutPassword("sqlite:/x@y:z") == "sqlite:/x@y:z")
        // An @ in the query is not userinfo; a password in the query goes too.
        #expect(FollowUpCommands.withoutPassword("postgres://db:5432/ledger?user=me@corp") == "postgres://db:5432/ledger?user=me@corp")
        #expect(FollowUpCommands.withoutPassword("postgres://db/ledger?user=me&password=s3cret&sslmode=require")
                == "postgres://db/ledger?user=me&sslmode=require")
        #expect(FollowUpCommands.withoutPassword("postgres://db/ledger?password=s3cret") == "postgres://db/ledger")
    }
}
