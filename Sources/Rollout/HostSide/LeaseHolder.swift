import Fleet
import Foundation

/// Who holds a host's lease, read from the lock file's `owner=user@machine pid N at SPACE since
/// START`, `deploy=` and `token=` lines, and whether that holder is a process of this machine
/// that no longer runs.
///
/// A deploy killed with SIGKILL (or a crash) leaves its lease on every host until it expires.
/// When the holder ran in this very process table and its pid is gone, no one can write under
/// that lease any more, so a new run may take it over at once instead of waiting it out; a pid
/// that is alive (even reused by another program) is always respected. "This process table" is
/// the host name plus ``processSpace`` (the kernel's boot id and the pid namespace): two
/// containers or VMs that share a host name do not judge each other's pids. Pids are reused
/// (`pid_max` can be 32768 and wrap within a minute), so the process's start time (`/proc/PID/stat`
/// field 22) must match too: a pid now held by another program is a holder that is gone.
struct LeaseHolder: Sendable, Hashable {
    var deploy: String
    /// The lease's fencing token; nil when the lock has none that is a number.
    var token: LeaseToken?
    var user: String
    var machine: String
    var pid: Int32
    /// ``processSpace`` of the holder and its process's start time, when its owner line says.
    var space: String?
    var start: String?

    init?(lock: [String: String]) {
        guard let deploy = lock["deploy"], !deploy.isEmpty, let owner = lock["owner"] else { return nil }
        // `user@machine pid N [at SPACE since START]`: user and machine are one word each (DeployPreparation.owner).
        let words = owner.split(separator: " ")
        guard words.count == 3 || (words.count == 7 && words[3] == "at" && words[5] == "since"),
              words[1] == "pid", let pid = Int32(words[2]), pid > 0,
              let at = words[0].lastIndex(of: "@") else { return nil }
        self.deploy = deploy
        token = lock["token"].flatMap(LeaseToken.init(validating:))
        user = String(words[0][..<at])
        machine = String(words[0][words[0].index(after: at)...])
        self.pid = pid
        space = words.count == 7 ? String(words[4]) : nil
        start = words.count == 7 ? String(words[6]) : nil
    }

    /// True when the holder ran in this process table and its process is gone: no such pid,
    /// a pid started at another time (reused), or a zombie. A lease that does not name its
    /// process space and start time is never judged dead.
    var isDeadOnThisMachine: Bool {
        guard isOfThisMachine, pid != getpid() else { return false }
        guard let now = Self.startTime(of: pid) else { return true }
        return now != start
    }

    /// True when the holder is a process of this process table that still runs (or is this one).
    var isAliveOnThisMachine: Bool {
        guard isOfThisMachine else { return false }
        return pid == getpid() || Self.startTime(of: pid) == start
    }

    private var isOfThisMachine: Bool {
        machine == Self.thisMachine && space != nil && space == Self.processSpace && start != nil
    }

    /// Field 22 of `/proc/PID/stat` (clock ticks after boot), nil when there is no such process
    /// or it is a zombie.
    static func startTime(of pid: Int32) -> String? {
        guard let stat = ProcessStat(pid: pid), !stat.isZombie else { return nil }
        return stat.startTime
    }

    /// This process's start time (``startTime(of:)`` of our own pid).
    static let ownStart: String = startTime(of: getpid()) ?? "0"

    static var thisMachine: String {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count)
        return DeployPreparation.oneWord(String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// Where pids mean something: the first 8 characters of the kernel's boot id and the pid
    /// namespace's inode (`b1c2d3e4.4026531836`).
    static let processSpace: String = {
        let boot = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines).prefix(8) ?? "noboot"
        var buffer = [CChar](repeating: 0, count: 128)
        let count = readlink("/proc/self/ns/pid", &buffer, buffer.count - 1)
        let link = count > 0 ? String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let namespace = link.filter(\.isNumber)
        return "\(boot).\(namespace.isEmpty ? "nons" : namespace)"
    }()
}
