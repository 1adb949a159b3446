import Foundation
import Testing
import TestSupport

/// The application fault matrix (issue #11), beside the infrastructure one: every fault of
/// ``AppFault/all`` × every ``AppStrategy``, on real sshd hosts running the real demo app.
/// Each cell deploys a bad 2.0.0 over the good 1.0.0 with `cutover deploy --output json` and
/// checks that the run exited as it must, that its JSON and its text summary give the reason
/// naming the gate that caught it, and that every host serves 1.0.0 again (`cutover status`
/// and the app's own /health). The results are written to `Tests/FaultTests/APP-MATRIX.md`.
///
/// `CUTOVER_APP_CELLS=word,word` runs only the faults or strategies whose name holds one of
/// the words (and writes `.build/APP-MATRIX.partial.md` instead).
@Suite("Application fault matrix", .serialized, .timeLimit(.minutes(25)))
struct AppFaultMatrixTests {
    struct Row {
        let fault: String
        let strategy: AppStrategy
        let exit: String
        let outcome: String
        let reason: String
        let serving: String
        let problems: [String]
        let duration: Duration
    }

    @Test func everyApplicationFaultUnderEveryStrategyEndsOnTheGoodRelease() async throws {
        let filter = ProcessInfo.processInfo.environment["CUTOVER_APP_CELLS"]?.split(separator: ",").map { $0.lowercased() }
        func chosen(_ text: String) -> Bool { filter?.contains { text.lowercased().contains($0) } ?? true }
        let started = ContinuousClock.now
        var rows: [Row] = []
        let fleet = try await TestFleet.start(hosts: AppLab.hostCount)
        do {
            for strategy in AppStrategy.allCases {
                let faults = AppFault.all.filter { chosen($0.name) || chosen(strategy.rawValue) }
                guard !faults.isEmpty else { continue }
                let lab = try await AppLab.start(strategy, on: fleet)
                for fault in faults {
                    let row = try await run(fault, in: lab)
                    FileHandle.standardError.write(Data("app matrix: \(fault.name) / \(strategy.rawValue): exit \(row.exit) (\(row.outcome)), \(row.problems.isEmpty ? "ok" : "BROKEN: " + row.problems.joined(separator: "; ")) (\(Self.seconds(row.duration)))\n".utf8))
                    for problem in row.problems { Issue.record("\(fault.name) / \(strategy.rawValue): \(problem)") }
                    rows.append(row)
                }
            }
        } catch {
            Issue.record("the matrix stopped: \(error)")
        }
        try? await fleet.reap()
        await fleet.stop()
        let path = RepositoryPaths.root + (filter == nil ? "/Tests/FaultTests/APP-MATRIX.md" : "/.build/APP-MATRIX.partial.md")
        try Self.markdown(rows, duration: .now - started).write(toFile: path, atomically: true, encoding: .utf8)
    }

    func run(_ fault: AppFault, in lab: AppLab) async throws -> Row {
        let start = ContinuousClock.now
        FileHandle.standardError.write(Data("app matrix: \(fault.name) / \(lab.strategy.rawValue): deploying\n".utf8))
        let artifact = try await lab.app.artifact(version: "2.0.0", settings: fault.settings, name: "2.0.0-\(lab.strategy.slug)-\(fault.slug)")
        let undo = try await fault.prepare(lab)
        let result = await (try lab.cutover(["deploy", lab.playbook, "--artifact", artifact, "--version", "2.0.0"])).finish(within: .seconds(150))
        await undo()
        var problems: [String] = []
        let allowed = fault.exits(lab.strategy)
        if !allowed.contains(result.exitText) {
            problems.append("exit \(result.exitText), expected \(allowed.sorted().joined(separator: " or "))")
        }
        let expectedOutcome = ["3": "rolled_back", "7": "not_switched"][result.exitText]
        if let expectedOutcome, result.outcome != expectedOutcome {
            problems.append("JSON outcome \(result.outcome ?? "none") for exit \(result.exitText)")
        }
        let reason = result.finished?["reason"] as? String ?? ""
        let gates = fault.caughtBy(lab.strategy)
        if !gates.contains(where: { reason.contains($0) }) {
            problems.append("the JSON reason names none of \(gates): \(reason.isEmpty ? "(none)" : reason)")
        }
        if !reason.isEmpty && !result.stderr.contains("reason: \(reason)") {
            problems.append("the text summary on stderr lacks the reason")
        }
        // Let a dying release finish dying, then read what every host serves.
        try await Task.sleep(for: .seconds(1))
        let after = try await lab.aftermath()
        for member in lab.fleet.members {
            let (release, health) = after[member.name] ?? (nil, "unknown")
            if release != lab.good { problems.append("\(member.name) serves \(release ?? "nothing"), not \(lab.good)") }
            if health != "200 ok 1.0.0" { problems.append("\(member.name)'s app answers \(health)") }
        }
        if !problems.isEmpty {
            FileHandle.standardError.write(Data("app matrix: \(fault.name) / \(lab.strategy.rawValue) stderr:\n\(result.stderr.suffix(3000))\n".utf8))
            // Back to the good release for the next cell, whatever happened.
            let back = await (try lab.cutover(["rollback", lab.playbook, "--to", lab.good])).finish()
            FileHandle.standardError.write(Data("app matrix: reset by rollback --to \(lab.good): exit \(back.exitText)\n".utf8))
        }
        let healthy = after.values.filter { $0.release == lab.good && $0.health == "200 ok 1.0.0" }.count
        return Row(fault: fault.name, strategy: lab.strategy, exit: result.exitText, outcome: result.outcome ?? "—",
                   reason: reason, serving: "\(healthy)/\(after.count) on 1.0.0", problems: problems, duration: .now - start)
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.1f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    static func markdown(_ rows: [Row], duration: Duration) -> String {
        var text = """
        # Application fault matrix

        Generated by `swift test --filter AppFaultMatrixTests` (`Tests/FaultTests/AppFaultMatrixTests.swift`);
        do not edit. \(AppLab.hostCount) real sshd hosts on loopback run the demo app
        (`Playbooks/demo-app`); every cell deploys a bad 2.0.0 over the good 1.0.0 with
        `cutover deploy --output json`, built with one fault switch in its `app.conf`. A cell
        holds when the exit code is the one allowed, the JSON `finished` reason names the gate
        that caught the fault and the text summary on stderr repeats it, and afterwards every
        host serves 1.0.0 (`cutover status`, and the app's own `/health` on the live port).

        Playbooks (`AppLab.swift`): rolling (batch 2) and all-at-once have no bake, so their
        window is `stable_for: 8s` and the app's error rate (`bin/error-rate ADDRESS 5`) is one
        of their health checks; canary (1 host baked 6 s against 1) and blue/green (batch 50%,
        each batch baked 6 s) hold 3 s and judge the error rate as a critical KPI
        (`max: 5`, missing samples count against the canary). Hooks time out after 8 s;
        `max_failures: 0`; rollback policy `standard`.

        | fault | strategy | exit (outcome) | what the run said | after | holds | time |
        |---|---|---|---|---|---|---|

        """
        for row in rows {
            let said = row.reason.count > 260 ? String(row.reason.prefix(257)) + "…" : row.reason
            let holds = row.problems.isEmpty ? "yes" : "**NO**: " + row.problems.joined(separator: "; ")
            text += "| \(row.fault) | \(row.strategy.rawValue) | \(row.exit) (\(row.outcome)) | \(cell(said)) | \(row.serving) | \(cell(holds)) | \(seconds(row.duration)) |\n"
        }
        let held = rows.filter(\.problems.isEmpty).count
        text += "\n\(held) of \(rows.count) cells hold; the run took \(seconds(duration)).\n"
        return text
    }

    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
