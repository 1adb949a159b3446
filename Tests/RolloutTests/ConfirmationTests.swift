import Foundation
import Testing
import TestSupport

/// Production hosts (label env=production) need a confirmation: typed at a terminal, or `--yes`
/// when stdin is not one (CI never gets a prompt).
@Suite("Confirming production targets")
struct ConfirmationTests {
    @Test func aDeployTouchingProductionHostsAsksAtATerminalAndNeedsYesElsewhere() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let inventory = try String(contentsOfFile: fleet.inventoryPath, encoding: .utf8)
                .replacingOccurrences(of: "labels: { zone: a }", with: "labels: { zone: a, env: production }")
            try inventory.write(toFile: fleet.inventoryPath, atomically: true, encoding: .utf8)
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let artifact = try await fixture.artifact(version: "1.0.0")
            // A ledger of its own: what other tests landed for `web` must not change the prompt.
            let deploy = [RepositoryPaths.cutoverExecutable, "deploy", playbook, "-i", fleet.inventoryPath, "--ssh-config", "none",
                          "--ledger", fleet.directory + "/ledger.sqlite", "--artifact", artifact]

            // Not a terminal (a pipe, as in CI): no prompt, refused, nothing touched.
            let refused = try await Shell.runDetached(deploy)
            #expect(refused.status == 64)
            let name = URL(fileURLWithPath: artifact).lastPathComponent
            #expect(refused.stderr.contains("deploy \(playbook) with \(name) touches 1 production host (h1): pass --yes to confirm"), "\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: fleet.member("h1").srv + "/web"))

            // At a terminal: asked; anything but "yes" does nothing.
            let declined = try await PseudoTerminal.run(deploy, environment: ["NO_COLOR": "1"], answer: (on: "Type 'yes'", text: "no"), in: fleet.directory)
            #expect(declined.status == 64)
            #expect(declined.screen.contains("not confirmed; nothing was done"), "\(declined.screen)")
            #expect(!FileManager.default.fileExists(atPath: fleet.member("h1").srv + "/web"))
            let typed = try await PseudoTerminal.run(deploy, environment: ["NO_COLOR": "1"], answer: (on: "Type 'yes'", text: "yes"), in: fleet.directory)
            #expect(typed.status == 0, "\(typed.screen)")

            // --yes confirms without asking; a selection without production hosts needs nothing.
            let confirmed = try await Shell.runDetached(deploy + ["--yes"])
            #expect(confirmed.status == 0, "\(confirmed.stderr)")
            // The next prompt says what the new artifact replaces, from the ledger.
            let next = try await Shell.runDetached(deploy + ["--version", "1.1.0"])
            #expect(next.stderr.contains("with \(name) (version 1.1.0) replacing 1.0.0-"), "\(next.stderr)")
            let other = try await Shell.runDetached(deploy + ["--limit", "h2"])
            #expect(other.status == 0, "\(other.stderr)")
            let rollback = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "rollback", playbook, "-i", fleet.inventoryPath, "--ssh-config", "none"])
            #expect(rollback.status == 64)

            // exec, upload and unlock touch the hosts too.
            let common = ["-i", fleet.inventoryPath, "--ssh-config", "none"]
            let marker = "/srv/exec-ran"
            let exec = [RepositoryPaths.cutoverExecutable, "exec"] + common
            let execRefused = try await Shell.runDetached(exec + ["--", "touch", marker])
            #expect(execRefused.status == 64)
            #expect(execRefused.stderr.contains("exec touches 1 production host (h1)"), "\(execRefused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: fleet.member("h1").srv + "/exec-ran"))
            let execConfirmed = try await Shell.runDetached(exec + ["--yes", "--", "touch", marker])
            #expect(execConfirmed.status == 0, "\(execConfirmed.stderr)")
            #expect(FileManager.default.fileExists(atPath: fleet.member("h1").srv + "/exec-ran"))
            let upload = [RepositoryPaths.cutoverExecutable, "upload"] + common + [playbook, "/srv/uploaded"]
            #expect(try await Shell.runDetached(upload).status == 64)
            #expect(!FileManager.default.fileExists(atPath: fleet.member("h1").srv + "/uploaded"))
            #expect(try await Shell.runDetached(upload + ["--yes"]).status == 0)
            let unlock = [RepositoryPaths.cutoverExecutable, "unlock", playbook] + common
            #expect(try await Shell.runDetached(unlock).status == 64)
            #expect(try await Shell.runDetached(unlock + ["--yes"]).status == 0)
        }
    }
}
