import Foundation
import Glibc

/// A process and its descendants, found through the parent links in `/proc/*/stat` (Linux).
///
/// A descendant that detached itself (`setsid`, a double fork: its parent exited and it was
/// handed to init or a subreaper) is no longer linked to the tree and is not found.
enum ProcessTree {
    /// Kills `root` and every process descending from it (SIGKILL). Each is stopped first
    /// (SIGSTOP), and the tree read again until it holds no new process, so a process forking
    /// meanwhile cannot leave a child behind. Returns once each is gone or a zombie (at most a
    /// second). Never signals this process, its group or pid 1.
    ///
    /// - Precondition: `root` is a child of this process not yet reaped, so its pid is not reused.
    static func kill(_ root: pid_t) {
        var known: Set<pid_t> = []
        while true {
            let fresh = members(of: root).subtracting(known)
            if fresh.isEmpty { break }
            for pid in fresh { Glibc.kill(pid, SIGSTOP) }
            known.formUnion(fresh)
        }
        for pid in known { Glibc.kill(pid, SIGKILL) }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(1)
        while known.contains(where: isAlive) && clock.now < deadline { usleep(1_000) }
    }

    /// True while `pid` exists and is not a zombie.
    private static func isAlive(_ pid: pid_t) -> Bool {
        ProcessStat(pid: pid).map { !$0.isZombie } ?? false
    }

    /// `root` and its descendants now, without this process or pid 1 (or less).
    static func members(of root: pid_t) -> Set<pid_t> {
        var children: [pid_t: [pid_t]] = [:]
        for (pid, parent) in parentLinks() { children[parent, default: []].append(pid) }
        var found: Set<pid_t> = [root]
        var pending = [root]
        while let pid = pending.popLast() {
            for child in children[pid] ?? [] where found.insert(child).inserted { pending.append(child) }
        }
        let own = getpid()
        return found.filter { $0 > 1 && $0 != own }
    }

    /// Every process's parent, from `/proc/PID/stat`.
    private static func parentLinks() -> [(pid: pid_t, parent: pid_t)] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> (pid: pid_t, parent: pid_t)? in
            guard let pid = pid_t(entry), let parent = ProcessStat(pid: pid)?.parent else { return nil }
            return (pid, parent)
        }
    }
}
