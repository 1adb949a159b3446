import Foundation
import Testing
import TestSupport

/// The test fleet stops its hosts by pid; a host stopped earlier leaves its pid in the fleet's
/// files, and on a busy machine (pid_max 32768) that number is soon some other process's: the
/// test runner's own, once, which ended a CI run without a word. Stopping signals only a pid
/// that is still the host's sshd.
@Suite("Stopping a test fleet", .timeLimit(.minutes(2)))
struct TestFleetStopTests {
    @Test func aDownHostsPidTakenByAnotherProcessIsNeverSignalled() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            try await fleet.stopHost("h1")
            // Another process now holds the number the fleet's files give for h1.
            let other = Process()
            other.executableURL = URL(fileURLWithPath: "/bin/sleep")
            other.arguments = ["60"]
            try other.run()
            defer { if other.isRunning { other.terminate() } }
            let pids = fleet.directory + "/pids"
            let h2 = try String(contentsOfFile: pids, encoding: .utf8).split(separator: "\n").first { $0.hasPrefix("h2 ") }.map(String.init) ?? ""
            try "h1 \(other.processIdentifier)\n\(h2)\n".write(toFile: pids, atomically: true, encoding: .utf8)
            try "\(other.processIdentifier)\n".write(toFile: fleet.directory + "/hosts/h1/pid", atomically: true, encoding: .utf8)
            #expect(fleet.isUp("h2"))
            let stopped = try await Shell.runDetached([RepositoryPaths.testFleetScript, "stop", fleet.directory])
            #expect(stopped.status == 0, "\(stopped.output)")
            #expect(other.isRunning, "stopping the fleet signalled a process that is not one of its hosts")
            #expect(!fleet.isUp("h2"), "h2's sshd still runs")
        }
    }
}
