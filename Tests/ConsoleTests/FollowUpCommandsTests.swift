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

    @Test func aFailedFirstDeployOffersAFixedReleaseNotResumeOrRollback() {
        var failed = report(.notConverged, [.rollbackFailed, .rollbackFailed])
        failed.withoutEarlierRelease = ["h1", "h2"]
        let next = FollowUpCommands(command: deploy, report: failed)
        #expect(next.finish == nil && next.undo == nil && next.retry == nil)
        #expect(next.deployFixed == "cutover deploy web -i prod --limit 'zone=a' --ssh-config none --ledger /var/lib/cutover.sqlite --artifact FIXED-ARTIFACT")
    }
}
