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

    let deploy = RerunCommand(verb: .deploy, target: "web -i prod --limit 'zone=a' --ssh-config none",
                              ledger: "/var/lib/cutover.sqlite", artifact: "web-1.0.0.tar.gz")

    @Test func resumeAndRollbackKeepTheSelectionSshConfigAndLedger() {
        let next = FollowUpCommands(command: deploy, report: report(.partial, [.promoted, .failed]))
        #expect(next.finish == "cutover resume web -i prod --limit 'zone=a' --ssh-config none --ledger /var/lib/cutover.sqlite --artifact web-1.0.0.tar.gz")
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

    @Test func theCommandLineIsTheSameAsTheCLIsWords() {
        #expect(deploy.text == "cutover deploy web -i prod --limit 'zone=a' --ssh-config none --ledger /var/lib/cutover.sqlite --artifact web-1.0.0.tar.gz")
        #expect(deploy.with(verb: .promote, artifact: false).text == "cutover promote web -i prod --limit 'zone=a' --ssh-config none --ledger /var/lib/cutover.sqlite")
        #expect(RerunCommand(verb: .rollback, target: "web -i prod").text == "cutover rollback web -i prod")
    }

    /// Words that look like options inside a value are never cut: the value is typed, not parsed back.
    @Test func aSelectionThatLooksLikeAnOptionIsKept() {
        let tricky = RerunCommand(verb: .deploy, target: "web -i 'cutover deploy' --limit ' --artifact x --ledger y'", artifact: "a.tar")
        #expect(FollowUpCommands(command: tricky, report: report(.promoted, [.promoted])).undo
                == "cutover rollback web -i 'cutover deploy' --limit ' --artifact x --ledger y'")
        #expect(FollowUpCommands(command: tricky, report: report(.lockHeld, [.unchanged])).unlock
                == "cutover unlock web -i 'cutover deploy' --limit ' --artifact x --ledger y'")
        // Verbs other than deploy offer nothing.
        #expect(FollowUpCommands(command: tricky.with(verb: .rollback), report: report(.promoted, [.promoted])).undo == nil)
    }
}
