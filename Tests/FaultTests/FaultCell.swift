import Foundation
import TestSupport

/// One cell of the matrix: a fault, the phase it hits, the run it hits, and what the design
/// says must come out of it.
struct FaultCell: Sendable {
    let fault: String
    /// The phase the fault hits (`Phase` raw values), or a word for faults that have none.
    let phase: String
    /// The exit codes the design allows (`CutoverRun.Result.exitText`: "0", "2", "SIGKILL", …).
    let expected: Set<String>
    /// Runs the deploy with the fault injected; returns what happened.
    let run: @Sendable (FaultLab) async throws -> Injected

    var name: String { "\(fault) / \(phase)" }
}

/// What a cell's run did: its result, the hosts the fault hit, the release it deployed and
/// how to undo the fault (network rules, proxies) before the fleet is checked.
struct Injected: Sendable {
    let result: CutoverRun.Result
    let faulted: [String]
    let release: FaultLab.Release
    /// Another run that took part (the second orchestrator of a race).
    var other: CutoverRun.Result?
    var heal: @Sendable () async -> Void = {}
}

extension CutoverRun.Result: @unchecked Sendable {}
