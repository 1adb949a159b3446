import Testing
@testable import Transport

/// The session thread's job queue under contention: many tasks submitting at once, as when a
/// deploy's steps, its cancellation and the tunnels of a jump host share one connection. Run under
/// ThreadSanitizer by Scripts/sanitize, where contention takes the Mutex's futex path.
@Suite struct SessionThreadTests {
    @Test func everyJobRunsOnceInItsSubmittersOrderUnderContention() async throws {
        let thread = try SessionThread(name: "contention")
        let submitters = 8, jobs = 500
        let results = try await withThrowingTaskGroup(of: (Int, [Int]).self) { group in
            for submitter in 0..<submitters {
                group.addTask {
                    var seen: [Int] = []
                    for job in 0..<jobs {
                        // Jobs touch thread-confined state, as session jobs do.
                        seen.append(try await thread.perform { context, _ in
                            context.teardown = nil
                            return job
                        })
                    }
                    return (submitter, seen)
                }
            }
            return try await group.reduce(into: [Int: [Int]]()) { $0[$1.0] = $1.1 }
        }
        await thread.stopAndWait()
        #expect(results.count == submitters)
        for submitter in 0..<submitters { #expect(results[submitter] == Array(0..<jobs)) }
        // After the thread has stopped, a job is refused rather than lost or run.
        await #expect(throws: SSHError.self) { _ = try await thread.perform { _, _ in 1 } }
    }
}
