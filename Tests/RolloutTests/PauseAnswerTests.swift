import Release
@testable import Rollout
import Testing

/// A host's line in a promote's report.
private func line(_ name: String, _ answer: HostAnswer) -> DeployReport.HostResult {
    answer.result(host: name, action: .promote)
}

/// What `promote` and `abort` carry and say, without a fleet (the scripts' statuses are run by
/// real shells in ``LeaseScriptTests``, the verbs against real hosts in ``ManualPauseTests``).
@Suite("promote and abort: typed answers")
struct PauseAnswerTests {
    @Test(arguments: [(PauseAction.promote, DeployStart.Operation.promote), (.abort, .abort)])
    func eachAnswerIsSentByItsVerb(action: PauseAction, operation: DeployStart.Operation) {
        #expect(action.operation == operation)
        // Neither runs a deploy of its own: the verb stands where a deploy id goes.
        #expect(OperationID.verb(action.operation).text == action.rawValue)
    }

    @Test(arguments: [
        (OperationID.run("r-20261125T194500-3fa2"), "r-20261125T194500-3fa2"),
        (.verb(.status), "status"),
        (.verb(.promote), "promote"),
        (.verb(.abort), "abort"),
    ])
    func anOperationIDIsItsRunsIdOrItsVerb(id: OperationID, text: String) {
        #expect(id.text == text)
    }

    /// The summary's reason: sent, nothing to answer, or failed, never a failure worded as "nothing to answer".
    @Test(arguments: [
        (PauseAction.promote, [line("h1", .answered(deployID: "d-1")), line("h2", .nothingToAnswer("no deploy holds the lock"))],
         "promote sent; the paused deploy goes on within a second"),
        (.abort, [line("h1", .answered(deployID: "d-1"))],
         "abort sent; the deploy stops within a second or two and rolls back what it switched"),
        (.promote, [line("h1", .answered(deployID: "d-1")), line("h2", .failed("exit 78: refused"))],
         "promote sent; the paused deploy goes on within a second; it failed on h2 (exit 78: refused)"),
        (.promote, [line("h1", .nothingToAnswer("d-1 is not waiting at a pause: nothing to answer")),
                    line("h2", .nothingToAnswer("no deploy holds the lock"))],
         "no selected host has a deploy waiting at a pause (d-1 is not waiting at a pause: nothing to answer; no deploy holds the lock)"),
        (.abort, [line("h1", .failed("exit 1: mv: cannot move")), line("h2", .failed("exit 78: refused"))],
         "abort reached no deploy; it failed on h1 (exit 1: mv: cannot move), h2 (exit 78: refused)"),
        (.abort, [line("h1", .failed("exit 1: mv: cannot move")), line("h2", .nothingToAnswer("no deploy holds the lock"))],
         "abort reached no deploy; it failed on h1 (exit 1: mv: cannot move); elsewhere no deploy holds any selected host (no deploy holds the lock)"),
    ])
    func theReasonSaysWhatHappened(action: PauseAction, hosts: [DeployReport.HostResult], reason: String) {
        #expect(PauseAnswer.reason(action, hosts: hosts) == reason)
    }
}
