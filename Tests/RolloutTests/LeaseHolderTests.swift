import Foundation
import Testing
@testable import Rollout

@Suite("Who holds a lease, and whether that holder is gone")
struct LeaseHolderTests {
    func lock(owner: String, deploy: String = "d-1") -> [String: String] {
        ["owner": owner, "deploy": deploy, "expires": "99", "token": "3"]
    }

    @Test func parsesTheOwnerLine() throws {
        let holder = try #require(LeaseHolder(lock: lock(owner: "alice@ci-7 pid 4242 at 0a1b2c3d.4026531836")))
        #expect(holder.user == "alice")
        #expect(holder.machine == "ci-7")
        #expect(holder.pid == 4242)
        #expect(holder.space == "0a1b2c3d.4026531836")
        #expect(holder.deploy == "d-1")
        #expect(holder.token == "3")
        #expect(try #require(LeaseHolder(lock: lock(owner: "alice@ci-7 pid 4242"))).space == nil)
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
        let here = "\(LeaseHolder.thisMachine)", space = LeaseHolder.processSpace
        let ended = try #require(LeaseHolder(lock: lock(owner: "root@\(here) pid \(process.processIdentifier) at \(space)")))
        #expect(ended.isDeadOnThisMachine)
        #expect(!ended.isAliveOnThisMachine)
        // Alive: our parent, and this very process (another run inside it holds the lease).
        #expect(LeaseHolder(lock: lock(owner: "root@\(here) pid \(getppid()) at \(space)"))?.isDeadOnThisMachine == false)
        #expect(LeaseHolder(lock: lock(owner: "root@\(here) pid \(getppid()) at \(space)"))?.isAliveOnThisMachine == true)
        #expect(LeaseHolder(lock: lock(owner: "root@\(here) pid \(getpid()) at \(space)"))?.isDeadOnThisMachine == false)
        // The same pid on another machine, in another process space (a container sharing the
        // host name, another boot), or from a lease that does not say, is never judged.
        #expect(LeaseHolder(lock: lock(owner: "root@elsewhere-\(here) pid \(process.processIdentifier) at \(space)"))?.isDeadOnThisMachine == false)
        #expect(LeaseHolder(lock: lock(owner: "root@\(here) pid \(process.processIdentifier) at 00000000.1"))?.isDeadOnThisMachine == false)
        #expect(LeaseHolder(lock: lock(owner: "root@\(here) pid \(process.processIdentifier)"))?.isDeadOnThisMachine == false)
    }
}
