import Foundation
import Testing
import TestSupport

/// A verb reads its playbook, and the rollback policy it names, once: the ledger's app, the
/// webhooks, the plan and the run all see that one read (``PlaybookSnapshot``).
@Suite("Reading the playbook once per run")
struct PlaybookReadOnceTests {
    /// A deploy and a rollback whose playbook, rollback policy and inventory each come through a
    /// pipe that gives its text once (`cutover deploy <(render-playbook) -i <(generate-inventory)`):
    /// a second read of any of them would wait for a writer that never comes. The playbook names
    /// its policy relative to itself (`rollback: policy.yml`), which resolves beside the pipe, as
    /// for a file; the ledger is on, so the ledger lease and the records take the app from the
    /// same read.
    @Test func aDeployAndARollbackReadPlaybookPolicyAndInventoryGivenThroughPipes() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let policyLine = "rollback: " + fixture.directory + "/policy.yml"
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let text = try String(contentsOfFile: playbook, encoding: .utf8).replacingOccurrences(of: policyLine, with: "rollback: policy.yml")
            try #require(text.contains("rollback: policy.yml\n"))
            let first = try await fixture.artifact(version: "1.0.0")
            let second = try await fixture.artifact(version: "2.0.0")
            let ledger = ["--ledger", fleet.directory + "/ledger.sqlite"]
            let common = ["--ssh-config", "none", "--environment", "staging"] + ledger
            // The release to roll back to, deployed from plain files.
            let plain = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "deploy", playbook, "--artifact", first, "-i", fleet.inventoryPath] + common)
            try #require(plain.status == 0, "\(plain.stderr)")

            // The pipes: the inventory beside the real one (its relative paths resolve the
            // same), the playbook and its policy in a directory of their own.
            let piped = fixture.directory + "/piped"
            try FileManager.default.createDirectory(atPath: piped, withIntermediateDirectories: true)
            let rendered = fixture.directory + "/rendered.yml"
            try text.write(toFile: rendered, atomically: true, encoding: .utf8)
            let pipes = [(fleet.inventoryPath, fleet.directory + "/piped.yml"), (rendered, piped + "/web.yml"),
                         (fixture.directory + "/policy.yml", piped + "/policy.yml")]
            for (_, pipe) in pipes { try #require(mkfifo(pipe, 0o600) == 0) }
            let verbs = [["deploy", piped + "/web.yml", "--artifact", second], ["rollback", piped + "/web.yml"]]
            for verb in verbs {
                let result = try await Self.run(verb + ["-i", fleet.directory + "/piped.yml"] + common, feeding: pipes)
                #expect(result.status == 0, "cutover \(verb[0]): \(result.stderr)")
                #expect(!result.stderr.contains("cannot read"), "\(result.stderr)")
                // Every pipe was opened and read to its end: the policy came from beside the playbook.
                #expect(result.unread.isEmpty, "cutover \(verb[0]) never read \(result.unread)")
                let expected = verb[0] == "deploy" ? "2.0.0-" : "1.0.0-"
                for host in ["h1", "h2"] {
                    #expect(fixture.current(host)?.hasPrefix(expected) == true, "after \(verb[0]), \(host): \(fixture.current(host) ?? "none")")
                }
            }
        }
    }

    /// A playbook from a pipe naming a rollback policy that does not exist is refused (exit 65)
    /// with its line quoted from the one read: the diagnostic does not read the pipe again.
    @Test func aPipedPlaybookNamingAMissingPolicyIsRefusedWithItsLineQuoted() async throws {
        let directory = NSTemporaryDirectory() + "cutover-pipe-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = directory + "/web-source.yml", pipe = directory + "/web.yml"
        try "app: web\ndeploy_root: /srv/web\nrollback: nowhere-to-be-found\n".write(toFile: source, atomically: true, encoding: .utf8)
        try #require(mkfifo(pipe, 0o600) == 0)
        let result = try await Self.run(["status", pipe, "-i", directory + "/none.yml", "--ssh-config", "none"], feeding: [(source, pipe)])
        #expect(result.status == 65, "\(result.status): \(result.stderr)")
        #expect(result.stderr.contains("rollback policy 'nowhere-to-be-found' not found"), "\(result.stderr)")
        #expect(result.stderr.contains("rollback: nowhere-to-be-found"), "the line is quoted: \(result.stderr)")
        #expect(result.unread.isEmpty)
    }

    struct Run {
        let status: Int32
        let stderr: String
        /// The pipes whose writer was still waiting when the verb ended: never opened by Cutover.
        let unread: [String]
    }

    /// Runs Cutover while a writer per pipe gives it a file's text once and ends, as
    /// `<(cat file)` does. Bounded: a second read of a pipe would wait for a writer that never
    /// comes.
    static func run(_ arguments: [String], feeding pipes: [(file: String, pipe: String)]) async throws -> Run {
        var writers: [(Process, String)] = []
        for (file, pipe) in pipes {
            let writer = Process()
            writer.executableURL = URL(fileURLWithPath: "/bin/sh")
            writer.arguments = ["-c", "exec cat \"$1\" > \"$2\"", "sh", file, pipe]
            try writer.run()
            writers.append((writer, pipe))
        }
        let result = try await Shell.runDetached(["timeout", "-k", "5", "60", RepositoryPaths.cutoverExecutable] + arguments)
        var unread: [String] = []
        for (writer, pipe) in writers {
            // A writer whose pipe was read ends as its reader did (given a moment to exit); one
            // still waiting to open it never will: SIGKILL, as the test process's children may
            // inherit SIGTERM ignored.
            let deadline = ContinuousClock.now + .seconds(5)
            while writer.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            if writer.isRunning { kill(writer.processIdentifier, SIGKILL) }
            writer.waitUntilExit()
            if writer.terminationReason != .exit || writer.terminationStatus != 0 { unread.append(pipe) }
        }
        return Run(status: result.status, stderr: result.stderr, unread: unread)
    }
}
