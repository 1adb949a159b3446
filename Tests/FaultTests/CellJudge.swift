import Foundation
import Testing
import TestSupport

/// Checks a cell's aftermath from the hosts themselves, runs the follow-up (`resume` or
/// `rollback`) and checks that the fleet converged. Every broken promise is an issue named
/// after the cell, and a line of the matrix.
struct CellJudge {
    let lab: FaultLab
    let cell: FaultCell
    let injected: Injected

    /// Problems found, in words, for the matrix and the issues.
    private(set) var problems: [String] = []

    init(lab: FaultLab, cell: FaultCell, injected: Injected) {
        self.lab = lab
        self.cell = cell
        self.injected = injected
    }

    mutating func note(_ problem: String) {
        problems.append(problem)
    }

    /// The checks right after the faulted run (faults already healed, hosts up again).
    mutating func checkAftermath() async {
        let result = injected.result
        let new = injected.release.id, good = lab.v1.id
        if !cell.expected.contains(result.exitText) {
            // Say why each host that did not promote ended where it did: a CI log then explains the cell.
            let why = result.hostStates.filter { $0.value != "promoted" }.sorted { $0.key < $1.key }
                .map { "\($0.key) \($0.value): \(result.hostDetails[$0.key] ?? "no detail")" }.joined(separator: "; ")
            note("exit \(result.exitText) (\(result.outcome ?? "no outcome")), expected \(cell.expected.sorted().joined(separator: " or "))"
                 + (why.isEmpty ? "" : " [\(why)]"))
        }
        if result.timedOut { note("the run did not end within its limit") }
        let facts = Dictionary(uniqueKeysWithValues: lab.hostNames.map { ($0, lab.facts($0)) })
        for (host, fact) in facts.sorted(by: { $0.key < $1.key }) {
            guard let current = fact.current else { note("\(host): no current"); continue }
            if !fact.currentIsComplete { note("\(host): current -> \(current) is not a complete release") }
            if current != new && current != good { note("\(host): on \(current), neither the new release nor the last known good one") }
        }
        let states = result.hostStates
        // Per the policy: what each outcome means for where hosts are.
        switch result.exitText {
        case "0":
            for (host, fact) in facts where fact.current != new { note("promoted, but \(host) is on \(fact.current ?? "nothing")") }
        case "2":
            for (host, fact) in facts where states[host] == "promoted" && fact.current != new {
                note("\(host) reported promoted but is on \(fact.current ?? "nothing")")
            }
        case "3":
            for (host, fact) in facts where fact.current != good { note("rolled back, but \(host) is on \(fact.current ?? "nothing")") }
        case "4":
            for (host, fact) in facts where states[host] != "rollback_failed" && states[host] != "unreachable" && fact.current != good
                && states[host] != "promoted" {
                note("not converged, and \(host) (\(states[host] ?? "?")) is on \(fact.current ?? "nothing"), not the last known good release")
            }
        case "5":
            for (host, fact) in facts where fact.current != good { note("lock held, but \(host) was switched to \(fact.current ?? "nothing")") }
        default:
            break
        }
        // The summary names the hosts the fault left behind.
        if result.finished != nil {
            for host in injected.faulted where facts[host]?.current != new || states[host] != "promoted" {
                if states[host] == "promoted" && facts[host]?.current != new { note("\(host) reported promoted but is not on the new release") }
                let reason = result.finished?["reason"] as? String ?? ""
                if states[host] != "promoted" && !reason.contains(host) && result.hostDetails[host]?.isEmpty != false {
                    note("the summary does not say what happened to \(host) (state \(states[host] ?? "none"), no reason, no detail)")
                }
            }
        }
        // A run that ended by itself leaves no lease behind, but on hosts it says it lost.
        if result.exit != nil {
            for (host, fact) in facts where fact.isLocked && states[host] != "unreachable" && states[host] != "rollback_failed" {
                note("\(host) is still locked by \(fact.lockHolder ?? "?") after the run ended (\(states[host] ?? "not reported"))")
            }
        }
        await checkStatusAgrees(facts: facts)
    }

    /// `cutover status` says what the hosts' own files say.
    mutating func checkStatusAgrees(facts: [String: HostFacts]) async {
        // A host that was just healed may still be shedding the fault (an sshd throttling new
        // connections while the half-open ones of a lossy link time out): one more try, 3 s later.
        var status: CutoverRun.Result?
        for attempt in 1...2 {
            guard let run = try? lab.cutover(["status", lab.playbook(.rolling)]) else { return note("cutover status did not start") }
            status = await run.finish(within: .seconds(60))
            let unreachable = status?.events.contains { $0["event"] as? String == "host_status" && $0["reachable"] as? Bool != true } ?? false
            if !unreachable || attempt == 2 { break }
            try? await Task.sleep(for: .seconds(3))
        }
        guard let status else { return }
        var seen = Set<String>()
        for event in status.events where event["event"] as? String == "host_status" {
            guard let host = event["host"] as? String, let fact = facts[host] else { continue }
            seen.insert(host)
            if event["reachable"] as? Bool != true {
                note("status: \(host) unreachable after healing (\(event["error"] as? String ?? "no error given"))")
                continue
            }
            if event["current"] as? String != fact.current {
                note("status says \(host) is on \(event["current"] as? String ?? "nothing"), its current is \(fact.current ?? "nothing")")
            }
            if (event["lock"] is [String: Any]) != fact.isLocked { note("status and \(host)'s lock file disagree") }
            if let last = fact.journal.last, let step = last.split(separator: " ").first(where: { $0.hasPrefix("step=") }) {
                let lastStep = event["last_step"] as? String ?? ""
                if !lastStep.hasPrefix(step.dropFirst("step=".count)) { note("status last step '\(lastStep)' is not the journal's '\(last)'") }
            }
        }
        if seen.count != facts.count { note("status reported \(seen.count) of \(facts.count) hosts") }
    }

    /// What finishes the job after this run: nothing, `resume` or `rollback`.
    /// As the summary offers: `rollback` when a rollback of the bad release did not finish
    /// (exit 4), `resume` for anything else that did not end the job (exit 2, 4 with a good
    /// release, 5, 130, a killed orchestrator).
    var followUp: String? {
        switch injected.result.exitText {
        case "0", "3": return nil
        case "4": return injected.release.version == lab.v2bad.version ? "rollback" : "resume"
        default: return "resume"
        }
    }

    /// Runs the follow-up and checks the fleet converged: every host on the same complete
    /// release (the new one after `resume`, the last known good one after a rollback or a
    /// bad release), its activate or on_rollback run there, no lease left. Returns the
    /// follow-up's exit text.
    mutating func finishJob() async -> (command: String, exit: String, converged: Bool) {
        let release = injected.release
        let bad = release.version == lab.v2bad.version
        var command = "—", exit = "—"
        if let followUp {
            var arguments = [followUp, lab.playbook(cell.phase == Phase.bake.rawValue ? .canary : .rolling)]
            if followUp == "resume" { arguments += ["--artifact", release.artifact] }
            command = followUp
            if let run = try? lab.cutover(arguments) {
                let result = await run.finish(within: .seconds(120))
                exit = result.exitText
                if ProcessInfo.processInfo.environment["CUTOVER_FAULT_DEBUG"] != nil {
                    FileHandle.standardError.write(Data("DEBUG \(followUp) stderr:\n\(result.stderr)\n".utf8))
                }
                let allowed: Set<String> = followUp == "resume" ? (bad ? ["3"] : ["0"]) : ["0"]
                if !allowed.contains(exit) {
                    note("\(followUp) exited \(exit) (\(result.outcome ?? "?")): \(result.finished?["reason"] as? String ?? result.stderr.suffix(300).description)")
                }
            } else {
                note("\(followUp) did not start")
            }
        }
        let target = bad || injected.result.exitText == "3" || followUp == "rollback" ? lab.v1.id : release.id
        var converged = true
        for host in lab.hostNames {
            let fact = lab.facts(host)
            var wrong: [String] = []
            if fact.current != target { wrong.append("on \(fact.current ?? "nothing"), not \(target)") }
            if !fact.currentIsComplete { wrong.append("current incomplete") }
            if fact.running != fact.current { wrong.append("runs \(fact.running ?? "nothing") (activate did not complete)") }
            if fact.isLocked { wrong.append("still locked by \(fact.lockHolder ?? "?")") }
            if !wrong.isEmpty {
                converged = false
                note("after \(command): \(host) " + wrong.joined(separator: ", "))
            }
        }
        return (command, exit, converged)
    }
}
