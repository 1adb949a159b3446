import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import Release

/// Mutated playbooks, rollback policies and archives: a value or a diagnostic every time.
@Suite("Mutated playbooks, policies and archives", .timeLimit(.minutes(2)))
struct MutatedReleaseInputTests {
    static let playbook = (try? String(contentsOfFile: RepositoryPaths.root + "/Playbooks/web.yml", encoding: .utf8)) ?? ""
    static let demo = (try? String(contentsOfFile: RepositoryPaths.root + "/Playbooks/demo.yml", encoding: .utf8)) ?? ""
    static let policy = "triggers: [health, hook]\nscope: wave\nparallel: 5\ninconclusive: pause\nchecks:\n  - command: test -L current\n    timeout: 2s\n"

    @Test func playbooksAndPolicies() throws {
        let scratch = Scratch()
        var mutator = InputMutator(seed: 42)
        var rejected = 0
        for round in 0..<300 {
            let source = round % 2 == 0 ? Self.playbook : Self.demo
            let policyPath = scratch.write("Rollback/p.yml", mutator.mutate(Self.policy))
            let path = scratch.write("Playbooks/p.yml", mutator.mutate(source) + "\nrollback: \(policyPath)\n")
            do {
                let playbook = try PlaybookLoader.load(path)
                _ = try PlaybookLoader.rollbackPolicy(for: playbook)
            } catch {
                rejected += 1
                #expect(!error.diagnostics.isEmpty && error.diagnostics.allSatisfy { !$0.message.isEmpty })
            }
        }
        #expect(rejected > 0)
    }

    @Test func archives() throws {
        let scratch = Scratch()
        let root = scratch.path
        let app = root + "/app"
        try FileManager.default.createDirectory(atPath: app + "/bin", withIntermediateDirectories: true)
        try "#!/bin/sh\necho hi\n".write(toFile: app + "/bin/run", atomically: true, encoding: .utf8)
        try String(repeating: "data ", count: 400).write(toFile: app + "/README", atomically: true, encoding: .utf8)
        let tar = root + "/a.tar"
        let made = Process()
        made.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        made.arguments = ["-cf", tar, "-C", app, "."]
        try made.run()
        made.waitUntilExit()
        let original = try Data(contentsOf: URL(fileURLWithPath: tar))
        var mutator = InputMutator(seed: 7)
        var refused = 0
        for _ in 0..<300 {
            var bytes = [UInt8](original)
            for _ in 0..<(1 + Int(mutator.next() % 8)) {
                let index = Int(mutator.next() % UInt64(min(bytes.count, 2048)))
                bytes[index] = UInt8(truncatingIfNeeded: mutator.next())
            }
            if mutator.next() % 4 == 0 { bytes = Array(bytes.prefix(Int(mutator.next() % UInt64(bytes.count)))) }
            let path = root + "/m.tar"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do throws(ArtifactError) {
                _ = try ArtifactInspector.inspect(path: path)
            } catch {
                refused += 1
                #expect(!error.message.isEmpty)
            }
        }
        #expect(refused > 0)
    }
}
