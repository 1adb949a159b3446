import Dispatch
import Foundation
import Synchronization

/// A thread of its own that owns one blocking resource (a SQLite or PostgreSQL connection) and
/// runs jobs on it one at a time.
///
/// Why: SQLite waits on locks (up to its busy timeout) and fsyncs, and libpq waits on the
/// network; Swift's cooperative pool has one thread per core (two here), so blocking it would
/// stall every SSH session's task. The resource is created on this thread, used only by jobs
/// that run on it, and closed on it: it never crosses threads, so it needs no lock.
final class DedicatedThread<Resource>: Sendable {
    private typealias Job = @Sendable (inout Result<Resource, LedgerError>?) -> Void

    /// The queue the thread and its callers share.
    private final class Mailbox: Sendable {
        struct Queue {
            var jobs: [Job] = []
            var closed = false
        }

        let queue = Mutex(Queue())
        let wake = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)

        /// Queues a job; false once closed.
        func post(_ job: @escaping Job) -> Bool {
            let accepted = queue.withLock { state -> Bool in
                guard !state.closed else { return false }
                state.jobs.append(job)
                return true
            }
            if accepted { wake.signal() }
            return accepted
        }

        /// Closes the queue (jobs already in it still run); true the first time.
        func close() -> Bool {
            let first = queue.withLock { state -> Bool in
                defer { state.closed = true }
                return !state.closed
            }
            if first { wake.signal() }
            return first
        }

        /// The next job, or nil when closed and drained; blocks until one of them.
        func next() -> Job? {
            while true {
                wake.wait()
                let (job, closed): (Job?, Bool) = queue.withLock { state in
                    state.jobs.isEmpty ? (nil, state.closed) : (state.jobs.removeFirst(), false)
                }
                if let job { return job }
                if closed { return nil }
            }
        }
    }

    private let mailbox = Mailbox()

    /// Starts the thread; `open` runs on it before the first job (its failure is every job's).
    init(name: String, open: @escaping @Sendable () throws(LedgerError) -> Resource,
         close: @escaping @Sendable (Resource) -> Void) {
        let mailbox = self.mailbox
        let thread = Thread {
            var resource: Result<Resource, LedgerError>?
            while let job = mailbox.next() {
                if resource == nil {
                    do throws(LedgerError) { resource = .success(try open()) } catch { resource = .failure(error) }
                }
                job(&resource)
            }
            if case .success(let open) = resource { close(open) }
            resource = nil
            mailbox.finished.signal()
        }
        thread.name = name
        thread.start()
    }

    deinit {
        _ = mailbox.close()
    }

    /// Runs `body` with the resource on the thread and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable (Resource) throws(LedgerError) -> T) async throws(LedgerError) -> T {
        let result: Result<T, LedgerError> = await withCheckedContinuation { continuation in
            let accepted = mailbox.post { resource in
                switch resource {
                case .success(let open):
                    do throws(LedgerError) { continuation.resume(returning: .success(try body(open))) } catch {
                        continuation.resume(returning: .failure(error))
                    }
                case .failure(let error):
                    continuation.resume(returning: .failure(error))
                case nil:
                    continuation.resume(returning: .failure(LedgerError("the ledger was not opened")))
                }
            }
            if !accepted { continuation.resume(returning: .failure(LedgerError("the ledger is closed"))) }
        }
        return try result.get()
    }

    /// Lets queued jobs finish, closes the resource and ends the thread; waits for that off the pool.
    func shutdown() async {
        guard mailbox.close() else { return }
        let finished = mailbox.finished
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                finished.wait()
                continuation.resume()
            }
        }
    }
}
