import Fleet
import Foundation
import Glibc
import Synchronization

/// Reads a local command's output pipe to its end on a thread of its own (never the cooperative
/// pool), keeping the first `captureLimit` bytes, then waits for the shell to exit. At the
/// deadline, or when stopped, it kills the command's process group (SIGKILL) and reads on for
/// a moment: whatever still holds the pipe then (a process that left the group) is not waited
/// for. When the shell has exited, what it left running in its group is killed too.
///
/// The shell's pid (the group's id) stays its own until this returns: swift-subprocess reaps
/// the shell only after the body that calls ``read(group:)`` has ended, so the zombie holds it.
final class LocalOutputReader: Sendable {
    private let descriptor: Int32
    private let deadline: ContinuousClock.Instant
    private let captureLimit: Int
    private let stopped = Atomic<Bool>(false)
    /// How long the pipe may stay open once the group was killed.
    static let afterKill: Duration = .seconds(2)

    init(descriptor: Int32, deadline: ContinuousClock.Instant, captureLimit: Int) {
        self.descriptor = descriptor
        self.deadline = deadline
        self.captureLimit = captureLimit
    }

    /// Kills the group at the next poll (within 50 ms): a cancelled deploy.
    func stop() { stopped.store(true, ordering: .relaxed) }

    func close() { Glibc.close(descriptor) }

    /// The output and whether the deadline killed the group. Returns at end of file, or at most
    /// ``afterKill`` after the kill.
    func read(group: pid_t) async -> (output: String, timedOut: Bool) {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: self.readBlocking(group: group)) }
            thread.start()
        }
    }

    /// Whether the process has exited (a zombie, not reaped yet; or gone).
    static func hasExited(_ pid: pid_t) -> Bool {
        ProcessStat(pid: pid)?.isZombie ?? true
    }

    private func readBlocking(group: pid_t) -> (output: String, timedOut: Bool) {
        var kept: [UInt8] = []
        var dropped = 0
        var killedAt: ContinuousClock.Instant?
        var timedOut = false
        /// Kills the group at the deadline or a stop; false once the kill is ``afterKill`` old.
        func goOn() -> Bool {
            let now = ContinuousClock.now
            if killedAt == nil && (now >= deadline || stopped.load(ordering: .relaxed)) {
                timedOut = now >= deadline
                kill(-group, SIGKILL)
                killedAt = now
            }
            return killedAt.map { now - $0 < Self.afterKill } ?? true
        }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while goOn() {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 50)
            if ready < 0 && errno != EINTR { break }
            guard ready > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                break
            }
            let room = max(0, captureLimit - kept.count)
            kept += buffer[0..<min(count, room)]
            dropped += count - min(count, room)
        }
        // The shell may outlive its output (`exec >log 2>&1; sleep 300`): the deadline and a
        // stop hold until it has exited.
        while !Self.hasExited(group) && goOn() { usleep(20_000) }
        // What the command left running in its group (`server >log 2>&1 &`) ends with it.
        kill(-group, SIGKILL)
        var text = String(decoding: kept, as: UTF8.self)
        if dropped > 0 { text += "\n[\(dropped) more bytes of output not kept]" }
        return (text, timedOut)
    }
}
