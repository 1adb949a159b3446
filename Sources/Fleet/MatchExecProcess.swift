import CSpawn
import Foundation
import Glibc

/// Runs one `Match exec` command as ssh does, bounded in time.
///
/// Like ssh: `$SHELL -c COMMAND` (`/bin/sh` when `SHELL` is unset or empty), stdin and stdout on
/// `/dev/null`, stderr inherited, no other descriptor of the runner (ssh's `closefrom`), and in
/// Cutover's own process group: the terminal's Ctrl-C (or a CI job's kill of the group) reaches it
/// too, and it may use the terminal (`ssh-add -l >/dev/null || ssh-add`). Unlike ssh, which waits
/// as long as the command runs, a command still running after `timeout` is stopped: the shell and
/// every process descending from it are killed (`ProcessTree`), so a child it left behind cannot
/// keep Cutover's stderr open either. A process that detached itself (`setsid`, a double fork)
/// is not followed, as ssh does not follow it.
///
/// - Important: blocks the calling thread until the command ends, at most `timeout` (and the
///   moment it takes to reap a killed group).
enum MatchExecProcess {
    static func run(_ command: String, timeout: Duration) -> MatchExecOutcome {
        let shell = ProcessInfo.processInfo.environment["SHELL"].flatMap { $0.isEmpty ? nil : $0 } ?? "/bin/sh"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let closing = cutover_spawn_file_actions_addclosefrom(&actions, 3)
        guard closing == 0 else { return .notStarted(String(cString: strerror(closing))) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A fresh signal mask and default handlers (not Cutover's); Cutover's process group.
        let signals = cutover_spawnattr_fresh_signals(&attributes)
        guard signals == 0 else { return .notStarted(String(cString: strerror(signals))) }
        let argv: [String] = [shell, "-c", command]
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, shell, &actions, &attributes, &cArguments, environ)
        guard spawned == 0 else { return .notStarted("\(shell): \(String(cString: strerror(spawned)))") }
        return wait(for: pid, timeout: timeout)
    }

    /// Reaps `pid`, polling (1 ms, doubling up to 20 ms); kills it and its descendants when
    /// `timeout` is up.
    private static func wait(for pid: pid_t, timeout: Duration) -> MatchExecOutcome {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var pause: UInt32 = 1_000
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { return describe(status) }
            if reaped < 0 && errno != EINTR { return .notStarted("waitpid: \(String(cString: strerror(errno)))") }
            if clock.now >= deadline {
                ProcessTree.kill(pid)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                return .timedOut(timeout)
            }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
    }

    private static func describe(_ status: Int32) -> MatchExecOutcome {
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .killed(signal: signal)
    }
}
