import Foundation

/// Who holds a host's lease, read from the lock file's `owner=user@machine pid N` and
/// `deploy=` lines, and whether that holder is a process on this machine that no longer runs.
///
/// A deploy killed with SIGKILL (or a machine that lost power) leaves its lease on every host
/// until it expires. When the holder ran on this very machine and its pid is gone, no one can
/// write under that lease any more, so a new run may take it over at once instead of waiting
/// out the lease; a pid that is alive (even reused by another program) is always respected.
struct LeaseHolder: Sendable, Hashable {
    var deploy: String
    var user: String
    var machine: String
    var pid: Int32

    init?(lock: [String: String]) {
        guard let deploy = lock["deploy"], !deploy.isEmpty, let owner = lock["owner"] else { return nil }
        // `user@machine pid N`: user and machine are one word each (DeployPreparation.owner).
        let words = owner.split(separator: " ")
        guard words.count == 3, words[1] == "pid", let pid = Int32(words[2]), pid > 0,
              let at = words[0].lastIndex(of: "@") else { return nil }
        self.deploy = deploy
        user = String(words[0][..<at])
        machine = String(words[0][words[0].index(after: at)...])
        self.pid = pid
    }

    /// True when the holder ran here and its process is gone (`kill(pid, 0)` answers ESRCH).
    var isDeadOnThisMachine: Bool {
        guard machine == Self.thisMachine, pid != getpid() else { return false }
        return kill(pid, 0) == -1 && errno == ESRCH
    }

    /// True when the holder is a process of this machine that still runs (or is this one).
    var isAliveOnThisMachine: Bool {
        guard machine == Self.thisMachine else { return false }
        return pid == getpid() || kill(pid, 0) == 0 || errno == EPERM
    }

    static var thisMachine: String {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count)
        return DeployPreparation.oneWord(String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
