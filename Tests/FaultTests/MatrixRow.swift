import Foundation

/// One line of `MATRIX.md`.
struct MatrixRow {
    let cell: FaultCell
    let exit: String
    let outcome: String
    let affected: String
    /// What the run said about the faulted host (or why it ended), shortened.
    let why: String
    let followUp: String
    let converged: Bool
    let problems: [String]
    let duration: Duration

    var held: Bool { problems.isEmpty }

    static func markdown(_ rows: [MatrixRow], hosts: Int, duration: Duration) -> String {
        let failures = rows.filter { !$0.held }
        var text = """
        # Fault matrix

        Written by `swift test --filter FaultMatrixTests` (Tests/FaultTests); do not edit by hand.
        Each row deploys to the same \(hosts) real sshd hosts (two rolling waves of ten, failure budget 2,
        rollback scope `all`; the bake rows use a canary of two hosts) with one fault injected while
        one host is in the phase named, then checks from the hosts' own files that every `current`
        is a complete release, that hosts are on the new or the last known good release as the
        policy says, that `cutover status` agrees with the hosts' journals and locks, and that the
        summary names the affected hosts; then runs the follow-up (`resume`, or `rollback` when the
        release was bad) and checks the fleet converged: every host on one release, its activate
        (or on_rollback) run there, no lease left.

        Phases: `upload` (the host's `cat` receiving the artifact holds), `extract` (its `tar`
        holds), `switch` (its `before_switch` hook holds: the switch comes next), `activate`,
        `health` (the health check holds), `bake` (a canary's KPI command holds),
        `rollback` (its `on_rollback` hook holds while the fleet rolls back a release unhealthy on
        three hosts). Latency: a delaying TCP proxy (250 ms each way) in front of two hosts;
        loss: nftables `numgen random mod 100 < 30 drop` both ways for two hosts.

        \(rows.count) cells, \(rows.count - failures.count) held every promise, \(failures.count) did not; \(Self.seconds(duration)) in all.

        | fault | phase | exit (outcome) | hosts affected | what the run said | follow-up → exit | converged | promises | time |
        |---|---|---|---|---|---|---|---|---|

        """
        for row in rows {
            text += "| \(row.cell.fault) | \(row.cell.phase) | \(row.exit) (\(row.outcome)) | \(row.affected) | \(Self.cell(row.why)) | \(row.followUp) | "
                + "\(row.converged ? "yes" : "**no**") | \(row.held ? "held" : "**broken**") | \(Self.seconds(row.duration)) |\n"
        }
        if !failures.isEmpty {
            text += "\n## Broken promises\n\n"
            for row in failures {
                text += "- **\(row.cell.name)**: " + row.problems.prefix(6).joined(separator: "; ")
                    + (row.problems.count > 6 ? " (+\(row.problems.count - 6) more)" : "") + "\n"
            }
        }
        return text.replacingOccurrences(of: "\n        ", with: "\n")
    }

    /// Text made safe for a table cell, at most 90 characters.
    static func cell(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "|", with: "/").replacingOccurrences(of: "\n", with: " ")
        return flat.count > 90 ? String(flat.prefix(87)) + "…" : flat
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.1f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}
