import CLibSSH2
import Foundation
import Glibc
import Synchronization

/// A dedicated OS thread that owns one SSH session and runs jobs for it, one at a time.
///
/// libssh2 sessions are not thread-safe and many of its calls wait on the network, so every
/// session lives on its own thread and the Swift cooperative pool only ever awaits a
/// continuation. The thread sleeps in `poll` on an eventfd (the wake-up fd) when idle, or runs
/// the idle work (tunnel pumping) that the session registers.
///
/// - Important: `confined` is touched only from the thread itself.
final class SessionThread: Sendable {
    typealias Job = @Sendable (SessionThreadContext) -> Void

    private struct Queue: ~Copyable {
        var jobs: [Job] = []
        var stopping = false
        var exited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let queue = Mutex(Queue())
    let wakeFD: Int32
    private nonisolated(unsafe) let confined: SessionThreadContext

    init(name: String, start: Bool = true) throws(SSHError) {
        let fd = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard fd >= 0 else {
            throw SSHError(.connect, "eventfd failed: \(String(cString: strerror(errno)))")
        }
        wakeFD = fd
        confined = SessionThreadContext(wakeFD: fd)
        let thread = Thread { [self] in self.main() }
        thread.name = name
        thread.stackSize = 512 * 1024
        if start { thread.start() }
    }

    /// Enqueues a job; it runs on the session thread after the jobs before it.
    func submit(_ job: @escaping Job) {
        let accepted = queue.withLock { q -> Bool in
            guard !q.stopping else { return false }
            q.jobs.append(job)
            return true
        }
        if accepted { wake() } else { job(SessionThreadContext.stopped) }
    }

    /// Runs `body` on the session thread and returns its result. Cancelling the calling task
    /// sets the job's cancel token and wakes the thread, so a network wait ends at once.
    func perform<T: Sendable>(
        _ body: @escaping @Sendable (SessionThreadContext, CancelToken) throws -> T
    ) async throws -> T {
        let token = CancelToken(thread: self)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                submit { context in
                    if context.isStopped {
                        continuation.resume(throwing: SSHError(.closed, "the connection is closed"))
                        return
                    }
                    do {
                        try token.check()
                        continuation.resume(returning: try body(context, token))
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            }
        } onCancel: {
            token.cancel()
        }
    }

    /// Asks the thread to finish: queued jobs still run, then the thread exits.
    func stop() {
        queue.withLock { $0.stopping = true }
        wake()
    }

    /// Stops the thread and waits until it has exited (its session freed).
    func stopAndWait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = queue.withLock { q -> Bool in
                q.stopping = true
                if q.exited { return true }
                q.exitWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() } else { wake() }
        }
    }

    func wake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }

    private func main() {
        let context = confined
        while true {
            let (job, stopping) = queue.withLock { q -> (Job?, Bool) in
                if q.jobs.isEmpty { return (nil, q.stopping) }
                return (q.jobs.removeFirst(), false)
            }
            if let job {
                job(context)
                continue
            }
            if stopping { break }
            var fds = [pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
            var timeout: Int32 = -1
            if let idle = context.idleWork {
                if idle.pump() { continue }
                fds += idle.waitDescriptors()
                timeout = 1000
            }
            _ = poll(&fds, nfds_t(fds.count), timeout)
            if fds[0].revents != 0 { context.drainWake() }
        }
        context.closeShell()
        context.idleWork?.shutdown()
        context.idleWork = nil
        context.teardown?()
        context.teardown = nil
        let waiters = queue.withLock { q -> [CheckedContinuation<Void, Never>] in
            q.exited = true
            defer { q.exitWaiters.removeAll() }
            return q.exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    deinit {
        close(wakeFD)
    }
}

/// Thread-confined state of a session thread: what jobs share between them.
final class SessionThreadContext {
    let wakeFD: Int32
    let isStopped: Bool
    /// The SSH session, once connected; owned by this thread.
    var session: LibSSH2Session?
    /// Work to do while no job runs (pumping jump-host tunnels).
    var idleWork: (any IdleWork)?
    /// Runs once when the thread exits.
    var teardown: (() -> Void)?
    /// The shell commands share (``SSHConnection/prepareCommands(secrets:trace:sharedShell:)``), once started.
    var shell: RemoteShell?
    /// The login shell cannot keep a ``RemoteShell``: every command gets a channel of its own.
    var shellRefused = false

    init(wakeFD: Int32, isStopped: Bool = false) {
        self.wakeFD = wakeFD
        self.isStopped = isStopped
    }

    nonisolated(unsafe) static let stopped = SessionThreadContext(wakeFD: -1, isStopped: true)

    func drainWake() {
        var value: UInt64 = 0
        _ = Glibc.read(wakeFD, &value, 8)
    }
}

/// Cancellation of one job: set from any thread, observed by the session thread's waits.
final class CancelToken: Sendable {
    private let flag = Atomic<Bool>(false)
    private let thread: SessionThread

    init(thread: SessionThread) { self.thread = thread }

    var isCancelled: Bool { flag.load(ordering: .acquiring) }

    func cancel() {
        flag.store(true, ordering: .releasing)
        thread.wake()
    }

    func check() throws(SSHError) {
        if isCancelled { throw SSHError(.cancelled, "cancelled") }
    }
}

/// Work a session thread does between jobs, such as moving bytes through tunnels.
///
/// - Important: called only on the session thread.
protocol IdleWork: AnyObject {
    /// Does what can be done without waiting; true if anything moved (the thread calls again).
    func pump() -> Bool
    /// What to wait for when `pump` made no progress.
    func waitDescriptors() -> [pollfd]
    /// The thread is ending: release everything.
    func shutdown()
}
