import Foundation
import Testing
import TestSupport

/// The fault × phase matrix (issue #6, "Faults"): every cell deploys to the same 20 real
/// hosts with one fault injected at one phase, checks the aftermath from the hosts' own
/// files, runs `resume` or `rollback`, checks the fleet converged, and resets the hosts.
/// The results are written to `Tests/FaultTests/MATRIX.md`.
///
/// `CUTOVER_FAULT_CELLS=word,word` runs only the cells whose name holds one of the words
/// (and then writes `.build/MATRIX.partial.md` instead). `CUTOVER_FAULT_DEBUG=1` prints the
/// faulted hosts' journals and the follow-up's stderr.
@Suite("Fault matrix", .serialized, .timeLimit(.minutes(20)))
struct FaultMatrixTests {
    @Test func everyFaultAtEveryPhaseEndsConverged() async throws {
        let filter = ProcessInfo.processInfo.environment["CUTOVER_FAULT_CELLS"]?.split(separator: ",").map { $0.lowercased() }
        let chosen: @Sendable ([FaultCell]) -> [FaultCell] = { cells in
            cells.filter { cell in filter?.contains { cell.name.lowercased().contains($0) } ?? true }
        }
        let started = ContinuousClock.now
        // Two fleets, each with its own cells: the cells mostly wait for held hooks, so two
        // run side by side in about half the time. Cells of one fleet run one after another.
        async let hostSide = runAll(chosen(FaultCells.network + FaultCells.hostFaults))
        async let orchestratorSide = runAll(chosen(FaultCells.orchestrator + FaultCells.races))
        let rows = await hostSide + orchestratorSide
        let matrix = MatrixRow.markdown(rows, hosts: FaultLab.hostCount, duration: .now - started)
        let path = RepositoryPaths.root + (filter == nil ? "/Tests/FaultTests/MATRIX.md" : "/.build/MATRIX.partial.md")
        try matrix.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Runs cells one after another on a fleet of their own, resetting the hosts between them.
    func runAll(_ cells: [FaultCell]) async -> [MatrixRow] {
        guard !cells.isEmpty else { return [] }
        let lab: FaultLab
        do { lab = try await FaultLab.start() } catch {
            Issue.record("the fault lab did not start: \(error)")
            return []
        }
        var rows: [MatrixRow] = []
        do {
            for cell in cells {
                let row = await run(cell, in: lab)
                FileHandle.standardError.write(Data("fault matrix: \(cell.name): exit \(row.exit), \(row.followUp), converged \(row.converged), \(row.held ? "held" : "BROKEN") (\(MatrixRow.seconds(row.duration)))\n".utf8))
                rows.append(row)
                try await lab.reset()
            }
        } catch {
            Issue.record("the matrix stopped: \(error)")
        }
        await lab.stop()
        return rows
    }

    func run(_ cell: FaultCell, in lab: FaultLab) async -> MatrixRow {
        let start = ContinuousClock.now
        let injected: Injected
        do {
            injected = try await cell.run(lab)
        } catch {
            Issue.record("\(cell.name): could not inject the fault: \(error)")
            return MatrixRow(cell: cell, exit: "—", outcome: "setup failed", affected: "—", why: "\(error)", followUp: "—", converged: false,
                             problems: ["\(error)"], duration: .now - start)
        }
        FaultCells.release(lab)
        await injected.heal()
        do { try await heal(lab) } catch { Issue.record("\(cell.name): healing failed: \(error)") }
        var judge = CellJudge(lab: lab, cell: cell, injected: injected)
        await judge.checkAftermath()
        if let other = injected.other, other.exitText == "5", let id = other.deployID {
            for host in lab.hostNames where lab.facts(host).journal.contains(where: { $0.contains("deploy=\(id) ") }) {
                judge.note("the losing deploy \(id) wrote to \(host)'s journal")
            }
        }
        if ProcessInfo.processInfo.environment["CUTOVER_FAULT_DEBUG"] != nil {
            for host in injected.faulted { FileHandle.standardError.write(Data("DEBUG \(host) before follow-up:\n\(lab.facts(host).journal.joined(separator: "\n"))\n".utf8)) }
        }
        let (command, exit, converged) = await judge.finishJob()
        for problem in judge.problems { Issue.record("\(cell.name): \(problem)") }
        let affected = injected.result.hostStates.filter { $0.value != "promoted" }
        let affectedText = affected.isEmpty ? "none" : affected.sorted { $0.key.compare($1.key, options: .numeric) == .orderedAscending }
            .map { "\($0.key) \($0.value)" }.compacted(limit: 4)
        return MatrixRow(cell: cell, exit: injected.result.exitText + (injected.other.map { " (other: \($0.exitText))" } ?? ""),
                         outcome: injected.result.outcome ?? "—", affected: affectedText,
                         why: injected.faulted.first.flatMap { injected.result.hostDetails[$0] }
                            ?? injected.result.finished?["reason"] as? String ?? "",
                         followUp: command == "—" ? "—" : "\(command) → \(exit)", converged: converged,
                         problems: judge.problems, duration: .now - start)
    }

    /// Faults undone (hosts up, mounts gone) without touching what the run left on the hosts.
    func heal(_ lab: FaultLab) async throws {
        for member in lab.fleet.members {
            if !lab.fleet.isUp(member.name) {
                try await lab.fleet.startHost(member.name)
            } else {
                _ = try? await lab.fleet.inNamespace(of: member.name, ["sh", "-c",
                    "umount /usr/local/bin 2>/dev/null; umount /usr/bin/tar 2>/dev/null; umount /srv/web/.cutover/incoming 2>/dev/null; mount -o remount,bind,rw /srv 2>/dev/null; true"])
            }
        }
        // A hook left holding on a host must not go on after the cell.
        try await lab.fleet.reap()
    }
}

extension Array where Element == String {
    /// The first `limit` items joined, and how many more.
    func compacted(limit: Int) -> String {
        count <= limit ? joined(separator: ", ") : prefix(limit).joined(separator: ", ") + ", +\(count - limit) more"
    }
}
