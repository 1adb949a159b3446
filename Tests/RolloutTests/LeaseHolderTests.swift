import Foundation
import Testing
@testable import Rollout

@Suite("Who holds a lease, and whether that holder is gone")
struct LeaseHolderTests {
    func lock(owner: String, deploy: String = "d-1") -> [String: String] {
        ["owner": owner, "deploy": deploy, "expires": "99", "token": "3"]
    }

    @Test func parsesTheOwnerLine() throws {
        let holder = try #require(LeaseHolder(lock: lock(owner: "alice@ci-7 pid 4242 at 0a1b2c3d.4026531836 since 987654")))
        #expect(holder.user == "alice")
        #expect(holder.machine == "ci-7")
        #expect(holder.pid == 4242)
        #expect(holder.space == "0a1b2c3d.4026531836")
        #expect(holder.start == "987654")
        #expect(holder.deploy == "d-1")
        #expect(holder.token?.value == 3)
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
        let here = "\(LeaseHolder.thisMachine) pid", space = LeaseHolder.processSpace
        func owner(_ pid: Int32, at where_: String = space, start: String?) -> String {
            "root@\(here) \(pid) at \(where_) since \(start ?? "1")"
        }
        let parent = getppid()
        let parentStart = try #require(LeaseHolder.startTime(of: parent))
        let ended = try #require(LeaseHolder(lock: lock(owner: owner(process.processIdentifier, start: "5"))))
        #expect(ended.isDeadOnThisMachine)
        #expect(!ended.isAliveOnThisMachine)
        // Alive: our parent (with its start time), and this very process (another run inside it).
        let alive = try #require(LeaseHolder(lock: lock(owner: owner(parent, start: parentStart))))
        #expect(!alive.isDeadOnThisMachine)
        #expect(alive.isAliveOnThisMachine)
        #expect(LeaseHolder(lock: lock(owner: owner(getpid(), start: LeaseHolder.ownStart)))?.isDeadOnThisMachine == false)
        // The parent's pid with another start time: the pid was reused, the holder is gone.
        let reused = try #require(LeaseHolder(lock: lock(owner: owner(parent, start: parentStart + "0"))))
        #expect(reused.isDeadOnThisMachine)
        #expect(!reused.isAliveOnThisMachine)
        // The same pid on another machine, in another process space (a container sharing the
        // host name, another boot), or from a lease that does not say, is never judged.
        #expect(LeaseHolder(lock: lock(owner: "root@elsewhere-\(LeaseHolder.thisMachine) pid \(process.processIdentifier) at \(space) since 5"))?.isDeadOnThisMachine == false)
        #expect(LeaseHolder(lock: lock(owner: owner(process.processIdentifier, at: "00000000.1", start: "5")))?.isDeadOnThisMachine == false)
        #expect(LeaseHolder(lock: lock(owner: "root@\(LeaseHolder.thisMachine) pid \(process.processIdentifier)"))?.isDeadOnThisMachine == false)
    }
}
