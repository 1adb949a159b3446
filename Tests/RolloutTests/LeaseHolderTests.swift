import Foundation
import Testing
@testable import Rollout

@Suite("Who holds a lease, and whether that holder is gone")
struct LeaseHolderTests {
    func lock(owner: String, deploy: String = "d-1") -> [String: String] {
        ["owner": owner, "deploy": deploy, "expires": "99", "token": "3"]
    }

    @Test func parsesTheOwnerLine() throws {
        let holder = try #require(LeaseHolder(lock: lock(owner: "alice@ci-7 pid 4242")))
        #expect(holder.user == "alice")
        #expect(holder.machine == "ci-7")
        #expect(holder.pid == 4242)
        #expect(holder.deploy == "d-1")
        #expect(LeaseHolder(lock: lock(owner: "someone")) == nil)
        #expect(LeaseHolder(lock: lock(owner: "a@b pid x")) == nil)
        #expect(LeaseHolder(lock: lock(owner: "a@b pid 0")) == nil)
        #expect(LeaseHolder(lock: ["owner": "a@b pid 5"]) == nil)
    }

    @Test func aProcessThatEndedHereIsGoneOneThatRunsIsNot() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        let here = LeaseHolder.thisMachine
        let ended = try #require(LeaseHolder(lock: lock(owner: "root@\(here) pid \(process.processIdentifier)")))
        #expect(ended.isDeadOnThisMachine)
        // Alive: our parent, and this very process (another run inside it holds the lease).
        #expect(LeaseHolder(lock: lock(owner: "root@\(here) pid \(getppid())"))?.isDeadOnThisMachine == false)
        #expect(LeaseHolder(lock: lock(owner: "root@\(here) pid \(getpid())"))?.isDeadOnThisMachine == false)
        // The same pid on another machine says nothing about that machine's process.
        #expect(LeaseHolder(lock: lock(owner: "root@elsewhere-\(here) pid \(process.processIdentifier)"))?.isDeadOnThisMachine == false)
    }
}
