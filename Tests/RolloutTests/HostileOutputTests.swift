import Foundation
import Testing
import TestSupport

/// What a hostile host prints (or writes where Cutover reads it) is shown, never obeyed: OSC 52
/// (clipboard), OSC 0 (window title), CSI cursor moves, carriage returns and C1 controls reach
/// the terminal as visible text, on every text path, and the JSON stays JSON.
@Suite("hostile host output at the terminal", .timeLimit(.minutes(4)))
struct HostileOutputTests {
    /// Clipboard write, title change, then erase the line and print a fake "ok".
    static let stdoutPayload = #"printf '\033]52;c;ZXZpbA==\007\033]0;pwned\007\033[2K\rok\n'"#
    /// Move up over "FAILED", erase it, and a UTF-8 C1 CSI (U+009B) saying the same.
    static let stderrPayload = #"printf 'FAILED\033[1A\033[2K\r\302\233Aok\n' >&2"#

    /// The characters a terminal would obey.
    static let obeyed: [(name: String, text: String)] = [("ESC", "\u{1B}"), ("BEL", "\u{07}"), ("CR", "\r"), ("C1 CSI", "\u{9B}")]

    func expectNothingObeyed(_ texts: [(name: String, text: String)], sourceLocation: SourceLocation = #_sourceLocation) {
        for (name, text) in texts {
            for control in Self.obeyed {
                #expect(!text.contains(control.text), "\(name) holds a raw \(control.name):\n\(text.debugDescription)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func execTextOutputShowsControlsInsteadOfObeyingThem() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let command = "\(Self.stdoutPayload); \(Self.stderrPayload); exit 3"
            let text = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "exec", "-i", fleet.inventoryPath, "--ssh-config", "none",
                                                    "-v", "--", command])
            #expect(text.status == 2, "\(text.output)")
            expectNothingObeyed([("stdout", text.stdout), ("stderr", text.stderr)])
            // Still there to read, every byte accounted for; the failure line is intact.
            #expect(text.stdout.contains("h1 | ^[]52;c;ZXZpbA==^G^[]0;pwned^G^[[2K^Mok"), "\(text.stdout)")
            #expect(text.stderr.contains("h1 ! FAILED^[[1A^[[2K^M<U+009B>Aok"), "\(text.stderr)")
            #expect(text.stderr.contains("h1: FAILED: exit 3"), "\(text.stderr)")
            // The --verbose trace shows the same output, made safe the same way.
            #expect(text.stderr.contains("h1 | ^[]52;c;ZXZpbA=="), "\(text.stderr)")

            // JSON: the exact bytes survive as escapes; nothing raw reaches the terminal.
            let json = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "exec", "-i", fleet.inventoryPath, "--ssh-config", "none",
                                                    "--output", "json", "--", command])
            expectNothingObeyed([("JSON stdout", json.stdout), ("JSON stderr", json.stderr)])
            let line = try #require(json.stdout.split(separator: "\n").first)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["stdout"] as? String == "\u{1B}]52;c;ZXZpbA==\u{07}\u{1B}]0;pwned\u{07}\u{1B}[2K\rok\n")
            #expect(object["stderr"] as? String == "FAILED\u{1B}[1A\u{1B}[2K\r\u{9B}Aok\n")
        }
    }

    @Test func aDeployHooksOutputIsShownNeverObeyed() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            try (try String(contentsOfFile: playbook, encoding: .utf8)).replacingOccurrences(of: "  activate: ./bin/restart", with: """
              activate: ./bin/restart
              after_switch: |
                \(Self.stdoutPayload)
                \(Self.stderrPayload)
                exit 1
            """).write(toFile: playbook, atomically: true, encoding: .utf8)
            let report = fixture.directory + "/report.html"
            let run = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "deploy", playbook, "-i", fleet.inventoryPath, "--ssh-config", "none",
                                                   "--artifact", try await fixture.artifact(version: "1.0.0"), "-v", "--report", report])
            #expect(run.status != 0, "\(run.output)")
            expectNothingObeyed([("stdout", run.stdout), ("stderr", run.stderr)])
            // The step line (the hook's last lines) and the trace both show it.
            #expect(run.stderr.contains("h1 after_switch FAILED: exit 1: FAILED^[[1A^[[2K^M<U+009B>Aok | ^[]52;c;ZXZpbA==^G^[]0;pwned^G^[[2K^Mok"),
                    "\(run.stderr)")
            #expect(run.stderr.contains("h1 | ^[]52;c;ZXZpbA=="), "\(run.stderr)")
            // The HTML report holds no control character either.
            let html = try String(contentsOfFile: report, encoding: .utf8)
            expectNothingObeyed([("HTML report", html)])
            #expect(html.contains("]52;c;ZXZpbA=="))
        }
    }

    @Test func theLiveViewShowsHostTextAndKeepsItsOwnEscapes() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            try (try String(contentsOfFile: playbook, encoding: .utf8)).replacingOccurrences(of: "  activate: ./bin/restart", with: """
              activate: ./bin/restart
              after_switch: |
                \(Self.stdoutPayload)
                \(Self.stderrPayload)
                exit 1
            """).write(toFile: playbook, atomically: true, encoding: .utf8)
            let run = try await PseudoTerminal.run(
                [RepositoryPaths.cutoverExecutable, "deploy", playbook, "-i", fleet.inventoryPath, "--ssh-config", "none",
                 "--artifact", try await fixture.artifact(version: "1.0.0")],
                environment: ["TERM": "xterm-256color", "NO_COLOR": ""], in: fixture.directory)
            #expect(run.status != 0, "\(run.screen)")
            // Cutover's own escapes are there (a live view was drawn) ...
            #expect(run.screen.contains("\u{1B}[?25l") && run.screen.contains("\u{1B}[?25h"), "\(run.screen.debugDescription)")
            // ... the host's are not, but their text is.
            for hostile in ["\u{1B}]52", "\u{1B}]0;", "\u{1B}[2K", "\u{1B}[1A", "\u{07}", "\u{9B}"] {
                #expect(!run.screen.contains(hostile), "the terminal got \(hostile.debugDescription):\n\(run.screen.debugDescription)")
            }
            #expect(run.screen.contains("^[]52;c;ZXZpbA==^G"), "\(run.screen.debugDescription)")
        }
    }

    @Test func valuesReadFromAHostAreShownNeverObeyed() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let meta = fleet.member("h1").srv + "/web/.cutover"
            try FileManager.default.createDirectory(atPath: meta, withIntermediateDirectories: true)
            let expires = Int(Date().timeIntervalSince1970) + 3600
            try "owner=mallory\u{1B}]0;pwned\u{07}\u{1B}[2K\rnobody\ndeploy=d-\u{1B}]52;c;ZXZpbA==\u{07}x\nexpires=\(expires)\ntoken=7\n"
                .write(toFile: meta + "/lock", atomically: true, encoding: .utf8)
            try await Shell.runDetached(["chown", "-R", fleet.user, fleet.member("h1").srv + "/web"])

            let status = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "status", playbook, "-i", fleet.inventoryPath, "--ssh-config", "none"])
            expectNothingObeyed([("status stdout", status.stdout), ("status stderr", status.stderr)])
            // A deploy id with controls is not one Cutover wrote: the lock names no deploy, and the
            // field is listed as an unrecognised entry, shown like the rest.
            #expect(status.stdout.contains("LOCKED by (no valid deploy id) by mallory^[]0;pwned^G^[[2K^Mnobody, expires "), "\(status.output)")
            #expect(status.stdout.contains("unrecognised entry (ignored): lock: deploy=d-^[]52;c;ZXZpbA==^Gx"), "\(status.output)")

            // The deploy that finds the lock names its holder in an error message.
            let deploy = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "deploy", playbook, "-i", fleet.inventoryPath, "--ssh-config", "none",
                                                      "--artifact", try await fixture.artifact(version: "1.0.0")])
            #expect(deploy.status == 5, "\(deploy.output)")
            expectNothingObeyed([("deploy stdout", deploy.stdout), ("deploy stderr", deploy.stderr)])
            #expect(deploy.stderr.contains("mallory^[]0;pwned^G"), "\(deploy.stderr)")
        }
    }
}
