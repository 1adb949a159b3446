import Foundation
import Rollout
import Synchronization
import Testing
import TestSupport

/// The deploy as a person sees it: the live view on a real pseudo-terminal, the plain
/// timestamped fallback, and secrets that never show, whichever way output leaves Cutover.
@Suite("cutover deploy at a terminal", .timeLimit(.minutes(4)))
struct TerminalViewTests {
    static let escape = "\u{1B}"
    static let hideCursor = "\u{1B}[?25l"
    static let showCursor = "\u{1B}[?25h"

    /// An artifact big enough to be seen uploading, whose health check takes a moment.
    func artifact(_ fixture: DeployFixture, version: String) async throws -> String {
        let app = fixture.directory + "/tty-app-\(version)"
        try FileManager.default.createDirectory(atPath: app + "/bin", withIntermediateDirectories: true)
        try "#!/bin/sh\nsleep 0.4\nexit 0\n".write(toFile: app + "/bin/health", atomically: true, encoding: .utf8)
        try "#!/bin/sh\necho \"$CUTOVER_RELEASE\" > \"$CUTOVER_DEPLOY_ROOT/shared/running\"\n"
            .write(toFile: app + "/bin/restart", atomically: true, encoding: .utf8)
        let path = fixture.directory + "/tty-\(version).tar.gz"
        let result = try await Shell.runDetached(["sh", "-c", "chmod +x '\(app)'/bin/* && head -c 4000000 /dev/urandom > '\(app)/blob' && tar -czf '\(path)' -C '\(app)' ."])
        guard result.status == 0 else { throw TestSupportError(result.output) }
        return path
    }

    func playbook(_ fixture: DeployFixture, hooks: String = "  activate: ./bin/restart") throws -> String {
        let path = fixture.directory + "/tty.yml"
        try """
        app: web
        deploy_root: /srv/web
        strategy: { rolling: { batch: 1 } }
        stable_for: 0s
        hooks:
        \(hooks)
        health:
          - command: ./bin/health
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func arguments(_ fleet: TestFleet, _ playbook: String, _ artifact: String, inventory: String? = nil) -> [String] {
        [RepositoryPaths.cutoverExecutable, "deploy", playbook, "-i", inventory ?? fleet.inventoryPath, "--ssh-config", "none", "--artifact", artifact]
    }

    @Test func theLiveViewDrawsProgressThenRestoresTheCursorAndPrintsTheSummary() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let run = try await PseudoTerminal.run(
                arguments(fleet, try playbook(fixture), try await artifact(fixture, version: "1.0.0")),
                environment: ["TERM": "xterm-256color", "NO_COLOR": ""], in: fixture.directory)
            #expect(run.status == 0, "\(run.screen)")
            let screen = run.screen
            // It drew: the cursor hidden, the progress bar with a percentage, the wave, a host line.
            #expect(screen.contains(Self.hideCursor))
            #expect(screen.contains("█") && screen.contains("%"))
            #expect(screen.contains("wave 3/3"))
            #expect(screen.contains("\u{1B}[J"), "no redraw in place")
            #expect(screen.contains("checking") || screen.contains("switching"))
            // It ended: the cursor shown again after the last frame, then the summary as plain text.
            let restored = try #require(screen.range(of: Self.showCursor, options: .backwards))
            #expect(!screen[restored.upperBound...].contains(Self.hideCursor))
            let tail = String(screen[restored.upperBound...])
            #expect(tail.contains("PROMOTED"))
            #expect(tail.contains("wave 1/3") && tail.contains("h1") && tail.contains("promoted"))
            #expect(tail.contains("undo with: cutover rollback"))
            #expect(!tail.contains("\u{1B}[J"), "a frame was drawn after the summary")
            #expect(fixture.current("h3") != nil)
        }
    }

    @Test func uploadsReportTheirBytesAFewTimesASecondAndAtTheEnd() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let artifact = try await artifact(fixture, version: "1.0.0")
            let size = try #require(try FileManager.default.attributesOfItem(atPath: artifact)[.size] as? Int)
            let progress = Mutex([String: [Int64]]())
            let report = try await Deployment(fixture.request(try playbook(fixture), artifact: artifact)).run(events: { event in
                if case .uploadProgress(let host, let bytes, let total) = event {
                    #expect(total == Int64(size))
                    progress.withLock { $0[host, default: []].append(bytes) }
                }
            })
            #expect(report.outcome == .promoted)
            let seen = progress.withLock { $0 }
            for host in ["h1", "h2"] {
                let bytes = try #require(seen[host], "no progress from \(host)")
                #expect(bytes.last == Int64(size))
                #expect(bytes == bytes.sorted())
            }
        }
    }

    @Test func ctrlCUnderTheLiveViewStillRestoresTheCursorAndSummarises() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let run = try await PseudoTerminal.run(
                arguments(fleet, try playbook(fixture), try await artifact(fixture, version: "1.0.0")),
                environment: ["TERM": "xterm-256color", "NO_COLOR": ""], interruptOn: "wave 1/3", in: fixture.directory)
            #expect(run.status == 130, "\(run.screen)")
            let screen = run.screen
            #expect(screen.contains(Self.hideCursor))
            let restored = try #require(screen.range(of: Self.showCursor, options: .backwards))
            let tail = String(screen[restored.upperBound...])
            #expect(tail.contains("INTERRUPTED"))
            #expect(tail.contains("finish with: cutover resume"))
            #expect(screen.contains("interrupted: finishing the running wave"))
        }
    }

    @Test(arguments: [["NO_COLOR": "1", "TERM": "xterm-256color"], ["TERM": "dumb", "NO_COLOR": ""]])
    func noColorAndDumbTerminalsGetPlainTimestampedLines(_ environment: [String: String]) async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let run = try await PseudoTerminal.run(
                arguments(fleet, try playbook(fixture), try await artifact(fixture, version: "1.0.0")),
                environment: environment, in: fixture.directory)
            #expect(run.status == 0, "\(run.screen)")
            try Self.expectPlain(run.screen)
        }
    }

    @Test func aPipeGetsPlainTimestampedLines() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let run = try await Shell.runDetached(arguments(fleet, try playbook(fixture), try await artifact(fixture, version: "1.0.0")),
                                                  environment: ProcessInfo.processInfo.environment.merging(["TERM": "xterm-256color"]) { $1 })
            #expect(run.status == 0, "\(run.output)")
            try Self.expectPlain(run.stderr)
            #expect(run.stdout.contains("wave 1/2"))
        }
    }

    /// No escape sequence anywhere; every log line starts with a time, continuation lines are
    /// indented, and the summary table's wave headings are the only other lines.
    static func expectPlain(_ text: String) throws {
        #expect(!text.contains(escape), "escape sequences in plain output")
        let stamp = try Regex("^[0-2][0-9]:[0-5][0-9]:[0-5][0-9] ")
        let lines = text.replacingOccurrences(of: "\r", with: "").split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("switch ok") })
        for line in lines where !line.hasPrefix(" ") && !line.hasPrefix("wave ") {
            #expect(line.firstMatch(of: stamp) != nil, "no timestamp: \(line)")
        }
    }
}
