/// Stops remote process groups from a channel of its own: libssh2 1.10 has no channel signals
/// and sshd does not kill a command whose channel closes.
enum RemoteProcessStop {
    /// `kill -TERM` to each group, up to 2 s for them to end, then `kill -KILL`. Best effort,
    /// bounded (5 s).
    static func stop(groups: [Int], on session: LibSSH2Session) {
        guard !groups.isEmpty else { return }
        let deadline = ContinuousClock.now + .seconds(5)
        let targets = groups.map { "-\($0)" }.joined(separator: " ")
        let alive = groups.map { "kill -0 -- -\($0) 2>/dev/null" }.joined(separator: " || ")
        let script = "kill -TERM -- \(targets) 2>/dev/null; i=0; "
            + "while { \(alive); } && [ $i -lt 20 ]; do sleep 0.1; i=$((i+1)); done; "
            + "kill -KILL -- \(targets) 2>/dev/null; true"
        if let killer = try? LibSSH2Channel.openSession(on: session, token: nil, deadline: deadline) {
            defer { killer.free() }
            if (try? killer.exec(script, token: nil, deadline: deadline)) != nil {
                try? killer.closeAfterEOF(deadline: deadline)
            }
        }
    }
}
