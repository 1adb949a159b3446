import Foundation
import Testing
import TestSupport

/// `distribution: relay` on real sshd hosts that ssh to each other on loopback: the runner
/// pushes to the seed only, every other host fetches the release from a host that holds it
/// with its own OpenSSH client, every release is the artifact byte for byte, and afterwards no
/// host's authorized_keys holds the deploy's key and no private key is left on any host. A
/// source that refuses connections, or that sends other bytes, makes its receivers fall back
/// to a push from the runner, and their events say why.
@Suite("relay distribution", .timeLimit(.minutes(5)))
struct RelayDistributionTests {
    @Test func hostsRelayTheReleaseAndNoKeyIsLeftBehind() async throws {
        try await TestFleet.with(hosts: 5) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let artifact = try await bigArtifact(fixture, version: "1.0.0")
            let size = try #require(try FileManager.default.attributesOfItem(atPath: artifact)[.size] as? Int)
            let playbook = try fixture.playbook(strategy: "all-at-once", extra: "distribution: relay\nrelay: { seeds: 1, fanout: 2 }")
            let run = try await cutover(fleet, ["deploy", playbook, "--artifact", artifact, "--output", "json", "--verbose"])
            #expect(run.status == 0, "\(run.stderr)")
            try expectExact(fixture, fleet: fleet, artifact: artifact)

            let uploads = uploadDetails(run.stdout)
            #expect(uploads.count == 5, "\(uploads)")
            #expect(uploads["h1"]?.hasPrefix("relay seed: ") == true, "\(uploads)")
            for name in ["h2", "h3", "h4", "h5"] {
                #expect(uploads[name]?.contains("relayed from h") == true && uploads[name]?.contains("sha256 verified; serves others") == true,
                        "\(name): \(uploads[name] ?? "none")")
            }
            // The runner sent the artifact once (to the seed); relayed hosts got only the file listing from it.
            let sent = bytesSent(run.stdout)
            #expect(sent["h1", default: 0] >= size)
            for name in ["h2", "h3", "h4", "h5"] { #expect(sent[name, default: .max] < size / 4, "\(name): \(sent)") }
            // The private key went on stdin only: neither the events nor the remote commands show it.
            let header = Data("-----BEGIN OPENSSH PRIVATE KEY--".utf8).base64EncodedString()
            #expect(!run.stdout.contains(header) && !run.stderr.contains(header) && !run.stderr.contains("BEGIN OPENSSH PRIVATE KEY"))
            try expectNothingLeft(fleet)
            // ~/.ssh and authorized_keys did not exist before the relay created them: they are gone again.
            for member in fleet.members {
                let ssh = fleet.directory + "/hosts/\(member.name)/home/.ssh"
                #expect(!FileManager.default.fileExists(atPath: ssh), "\(member.name): \((try? FileManager.default.contentsOfDirectory(atPath: ssh)) ?? [])")
            }
        }
    }

    @Test func aSourceThatRefusesOrSendsOtherBytesMakesItsReceiversFallBackToAPush() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once", extra: "distribution: relay\nrelay: { seeds: 1, fanout: 2 }")
            let h1 = fleet.member("h1")

            // h1 (the seed) refuses the hosts' connections (not the runner's: it runs as root).
            let v1 = try await fixture.artifact(version: "1.0.0")
            let refused = try await NetworkFault.with(["ip daddr \(h1.address) tcp dport \(h1.port) meta skuid \(fleet.user) reject with tcp reset"]) {
                try await cutover(fleet, ["deploy", playbook, "--artifact", v1, "--output", "json"])
            }
            #expect(refused.status == 0, "\(refused.stderr)")
            try expectExact(fixture, fleet: fleet, artifact: v1)
            var uploads = uploadDetails(refused.stdout)
            for name in ["h2", "h3"] {
                // h1's own check of its sshd connects as the hosts' user too, so it is refused
                // first: no receiver is handed a key for a source that could not be checked.
                #expect(uploads[name]?.contains("pushed by the runner (h1 is not used as a source: cannot check that its sshd confines the relay key") == true,
                        "\(name): \(uploads)")
            }
            try expectNothingLeft(fleet)

            // h1's login shell adds bytes to what its forced `cat` sends: the sha256 check refuses them.
            let bashrc = fleet.directory + "/hosts/h1/home/.bashrc"
            // (After the artifact's bytes: h1's own check reads the first bytes only, and passes.)
            try "case \"$BASH_EXECUTION_STRING\" in 'cat -- '*) cat -- \"${BASH_EXECUTION_STRING#cat -- }\"; printf 'garbage'; exit ;; esac\n"
                .write(toFile: bashrc, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: bashrc) }
            let v2 = try await fixture.artifact(version: "2.0.0")
            let corrupt = try await cutover(fleet, ["deploy", playbook, "--artifact", v2, "--output", "json", "--no-delta"])
            #expect(corrupt.status == 0, "\(corrupt.stderr)")
            try expectExact(fixture, fleet: fleet, artifact: v2)
            uploads = uploadDetails(corrupt.stdout)
            for name in ["h2", "h3"] {
                #expect(uploads[name]?.contains("could not get it from h1: the source sent") == true, "\(name): \(uploads)")
            }
            try expectNothingLeft(fleet)
        }
    }

    /// h1 (the seed) runs every session through an audit wrapper (`ForceCommand` running
    /// `$SSH_ORIGINAL_COMMAND`, as audit wrappers do): the key's forced `cat` means nothing
    /// there, so a receiver holding the key could run anything on h1. h1's check finds it out
    /// before any receiver gets a key: h1 serves nobody, its line is gone, the others are pushed
    /// to by the runner (their events say why) and the release is exact everywhere.
    @Test func aSourceWhoseSSHDRunsTheOriginalCommandNeverServes() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once", extra: "distribution: relay\nrelay: { seeds: 1, fanout: 2 }")
            let wrapper = fleet.directory + "/hosts/h1/audit-wrapper"
            let log = fleet.directory + "/hosts/h1/audit.log"
            try "#!/bin/sh\nprintf '%s\\n' \"${SSH_ORIGINAL_COMMAND:-}\" >> \(log)\nexec /bin/sh -c \"${SSH_ORIGINAL_COMMAND:-exec $SHELL}\"\n"
                .write(toFile: wrapper, atomically: true, encoding: .utf8)
            #expect(try Shell.run(["chmod", "755", wrapper]).status == 0)
            #expect(try Shell.run(["sh", "-c", "touch \(log) && chmod 666 \(log)"]).status == 0)
            try await fleet.reconfigureHost("h1", adding: ["Match User \(fleet.user)", "    ForceCommand \(wrapper)"])

            let artifact = try await fixture.artifact(version: "1.0.0")
            let run = try await cutover(fleet, ["deploy", playbook, "--artifact", artifact, "--output", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            try expectExact(fixture, fleet: fleet, artifact: artifact)
            let uploads = uploadDetails(run.stdout)
            #expect(["h2", "h3"].contains { uploads[$0]?.contains("pushed by the runner (h1 is not used as a source: its sshd does not confine the relay key") == true },
                    "\(uploads)")
            for name in ["h2", "h3"] {
                #expect(uploads[name]?.contains("relayed from h1") == false, "\(name): \(uploads)")
            }
            // The wrapper ran the check's probe, which proved it unsafe.
            let audited = try String(contentsOfFile: log, encoding: .utf8)
            #expect(audited.contains("echo probe-"), "\(audited)")
            try expectNothingLeft(fleet)
        }
    }

    /// h1 (the seed, login shell bash, not root) has an sshd that passes SHELLOPTS and PS4 on
    /// from the client besides LANG and LC_*: a receiver holding h1's key could send
    /// `SHELLOPTS=xtrace PS4='$(command)'` and run the command before the forced `cat` (the
    /// review's reproduction). h1's environment check finds it, so h1 serves nobody: h2 is
    /// pushed to by the runner and says why, and h2 (a default sshd) serves h3.
    @Test func aSourceWhoseSSHDAcceptsShellVariablesNeverServes() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once", extra: "distribution: relay\nrelay: { seeds: 1, fanout: 1 }")
            try await fleet.reconfigureHost("h1", adding: ["AcceptEnv LANG LC_* SHELLOPTS PS4"])

            let artifact = try await fixture.artifact(version: "1.0.0")
            let run = try await cutover(fleet, ["deploy", playbook, "--artifact", artifact, "--output", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            try expectExact(fixture, fleet: fleet, artifact: artifact)
            let uploads = uploadDetails(run.stdout)
            #expect(uploads["h1"]?.hasPrefix("relay seed: ") == true, "\(uploads)")
            #expect(uploads["h2"]?.contains("pushed by the runner (h1 is not used as a source: its sshd does not confine the relay key: "
                + "it accepts environment variables from the client beyond LANG and LC_*") == true, "\(uploads)")
            #expect(uploads["h3"]?.contains("relayed from h2 over SSH") == true, "\(uploads)")
            for name in ["h2", "h3"] {
                #expect(uploads[name]?.contains("relayed from h1") == false, "\(name): \(uploads)")
            }
            try expectNothingLeft(fleet)
        }
    }

    /// h1 (the seed) could append to its authorized_keys but not replace it (its ~/.ssh is not
    /// writable), so no line it wrote could be removed again: h1 checks that before writing one
    /// and does not serve (h2 is pushed to by the runner and says why). No line is written, and
    /// there is nothing to warn about.
    @Test func aSourceWhoseSSHDirectoryIsNotWritableWritesNoLine() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once", extra: "distribution: relay\nrelay: { seeds: 1, fanout: 1 }")
            let ssh = fleet.directory + "/hosts/h1/home/.ssh"
            try FileManager.default.createDirectory(atPath: ssh, withIntermediateDirectories: true)
            try "".write(toFile: ssh + "/authorized_keys", atomically: true, encoding: .utf8)
            try "".write(toFile: ssh + "/.authorized_keys.cutover-lock", atomically: true, encoding: .utf8)
            #expect(try Shell.run(["chown", "-R", fleet.user, ssh]).status == 0)
            #expect(try Shell.run(["chmod", "600", ssh + "/authorized_keys"]).status == 0)
            #expect(try Shell.run(["chmod", "500", ssh]).status == 0)
            defer { _ = try? Shell.run(["chmod", "700", ssh]) }

            let artifact = try await fixture.artifact(version: "1.0.0")
            let run = try await cutover(fleet, ["deploy", playbook, "--artifact", artifact, "--output", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            try expectExact(fixture, fleet: fleet, artifact: artifact)
            #expect(uploadDetails(run.stdout)["h2"]?.contains("pushed by the runner (h1 is not used as a source: ~/.ssh is not writable") == true,
                    "\(uploadDetails(run.stdout))")
            let warnings = events(run.stdout).filter { $0["event"] as? String == "warning" }
            #expect(warnings.isEmpty, "\(warnings)")
            #expect(try String(contentsOfFile: ssh + "/authorized_keys", encoding: .utf8) == "")
        }
    }

    /// h1 (the seed)'s authorized_keys can be appended to but not read by its user (mode 0200):
    /// the check's line is written, but neither its removal nor the clean-up can rewrite the
    /// file, so h1 does not serve (h2 is pushed to by the runner and says why). A `warning`
    /// event names h1 and when the line expires; the deploy still succeeds.
    @Test func aCleanUpThatFailsIsReportedWithTheHostsAndTheExpiry() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once", extra: "distribution: relay\nrelay: { seeds: 1, fanout: 1 }")
            let ssh = fleet.directory + "/hosts/h1/home/.ssh"
            try FileManager.default.createDirectory(atPath: ssh, withIntermediateDirectories: true)
            try "".write(toFile: ssh + "/authorized_keys", atomically: true, encoding: .utf8)
            #expect(try Shell.run(["chown", "-R", fleet.user, ssh]).status == 0)
            #expect(try Shell.run(["chmod", "200", ssh + "/authorized_keys"]).status == 0)

            let artifact = try await fixture.artifact(version: "1.0.0")
            let run = try await cutover(fleet, ["deploy", playbook, "--artifact", artifact, "--output", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            try expectExact(fixture, fleet: fleet, artifact: artifact)
            #expect(uploadDetails(run.stdout)["h2"]?.contains("pushed by the runner (h1 is not used as a source: removing the relay key's line") == true,
                    "\(uploadDetails(run.stdout))")
            let warnings = events(run.stdout).filter { $0["event"] as? String == "warning" }
            #expect(warnings.count == 1, "\(warnings)")
            #expect(warnings.first?["hosts"] as? [String] == ["h1"], "\(warnings)")
            let message = warnings.first?["message"] as? String ?? ""
            #expect(message.contains("the relay's clean-up failed on h1") && message.contains("until it expires at about 20"), "\(message)")
            // The line the warning is about is there, as it says.
            #expect(try String(contentsOfFile: ssh + "/authorized_keys", encoding: .utf8).contains("cutover-relay-"))
        }
    }

    /// h1 (the seed)'s ~/.ssh/authorized_keys is a symbolic link: it is never rewritten, so h1
    /// does not serve (h2 is pushed to by the runner). Its clean-up finds no line of the deploy
    /// in it: no warning, and the file is unchanged.
    @Test func aLinkedAuthorizedKeysRefusesToServeWithoutAFalseCleanUpWarning() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once", extra: "distribution: relay\nrelay: { seeds: 1, fanout: 1 }")
            let home = fleet.directory + "/hosts/h1/home"
            let other = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyStaysOtherKeyStaysOtherKeySt ops@laptop\n"
            try FileManager.default.createDirectory(atPath: home + "/.ssh", withIntermediateDirectories: true)
            try other.write(toFile: home + "/keys-real", atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: home + "/.ssh/authorized_keys", withDestinationPath: home + "/keys-real")
            #expect(try Shell.run(["chown", "-R", "-h", fleet.user, home + "/.ssh", home + "/keys-real"]).status == 0)

            let artifact = try await fixture.artifact(version: "1.0.0")
            let run = try await cutover(fleet, ["deploy", playbook, "--artifact", artifact, "--output", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            try expectExact(fixture, fleet: fleet, artifact: artifact)
            let uploads = uploadDetails(run.stdout)
            #expect(uploads["h2"]?.contains("pushed by the runner (h1 is not used as a source: ~/.ssh/authorized_keys is a link or not a plain file)") == true,
                    "\(uploads)")
            let warnings = events(run.stdout).filter { $0["event"] as? String == "warning" }
            #expect(warnings.isEmpty, "\(warnings)")
            #expect(try String(contentsOfFile: home + "/keys-real", encoding: .utf8) == other)
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: home + "/.ssh/authorized_keys") == home + "/keys-real")
        }
    }

    @Test func unlockRemovesWhatAKilledRelayLeft() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let deployed = try await cutover(fleet, ["deploy", playbook, "--artifact", try await fixture.artifact(version: "1.0.0")])
            #expect(deployed.status == 0, "\(deployed.stderr)")
            // What a runner killed in the middle of a relay leaves: its line, its copy, a key.
            let ssh = fleet.directory + "/hosts/h1/home/.ssh"
            try FileManager.default.createDirectory(atPath: ssh, withIntermediateDirectories: true)
            // Lines of other deploy roots (one whose path holds this root's) and an admin line that
            // merely cats a file of this root stay.
            let other = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyStaysOtherKeyStaysOtherKeySt ops@laptop\n"
                + "restrict,expiry-time=\"20991231Z\",command=\"cat -- /srv/b/srv/web/.cutover/incoming/relay-d-b.tar.gz\" ssh-ed25519 AAAB cutover-relay-d-b\n"
                + "restrict,expiry-time=\"20991231Z\",command=\"cat -- '/srv/c/srv/web/.cutover/incoming/relay-d-c.tar.gz'\" ssh-ed25519 AAAC cutover-relay-d-c\n"
                + "command=\"cat -- /srv/web/.cutover/incoming/relay-notes.txt\" ssh-ed25519 AAAD ops-reads-notes"
            try ("\(other)\nrestrict,expiry-time=\"20991231Z\",command=\"cat -- /srv/web/.cutover/incoming/relay-d-x.tar.gz\" ssh-ed25519 AAAA cutover-relay-d-x\n"
                 + "restrict,expiry-time=\"20991231Z\",command=\"cat -- '/srv/web/.cutover/incoming/relay-d-q.tar'\" ssh-ed25519 AAAE cutover-relay-d-q\n")
                .write(toFile: ssh + "/authorized_keys", atomically: true, encoding: .utf8)
            let incoming = fleet.member("h1").srv + "/web/.cutover/incoming"
            try FileManager.default.createDirectory(atPath: incoming + "/.relay-key.abc", withIntermediateDirectories: true)
            try "-----BEGIN OPENSSH PRIVATE KEY-----\n".write(toFile: incoming + "/.relay-key.abc/key", atomically: true, encoding: .utf8)
            try "x".write(toFile: incoming + "/relay-d-x.tar.gz", atomically: true, encoding: .utf8)
            // Planted by root here, as the login user's there.
            let owned = try Shell.run(["chown", "-R", fleet.user, ssh, incoming + "/.relay-key.abc", incoming + "/relay-d-x.tar.gz"])
            #expect(owned.status == 0, "\(owned.output)")

            let unlocked = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "unlock", playbook, "-i", fleet.inventoryPath,
                                                        "--ssh-config", "none", "--yes"])
            #expect(unlocked.status == 0, "\(unlocked.stderr)")
            #expect(try String(contentsOfFile: ssh + "/authorized_keys", encoding: .utf8) == other + "\n", "other keys stay, relay lines go")
            // The other roots' lines stay; nothing of this root's relay is left.
            try (other.split(separator: "\n").filter { !$0.contains("cutover-relay-") }.joined(separator: "\n") + "\n")
                .write(toFile: ssh + "/authorized_keys", atomically: true, encoding: .utf8)
            try expectNothingLeft(fleet)

            // A relay whose clean-up failed on a host leaves a copy and a key directory: the next
            // deploy's prune removes them.
            try FileManager.default.createDirectory(atPath: incoming + "/.relay-key.def", withIntermediateDirectories: true)
            try "x".write(toFile: incoming + "/relay-d-y.tar", atomically: true, encoding: .utf8)
            #expect(try Shell.run(["chown", "-R", fleet.user, incoming + "/.relay-key.def", incoming + "/relay-d-y.tar"]).status == 0)
            let next = try await cutover(fleet, ["deploy", playbook, "--artifact", try await fixture.artifact(version: "2.0.0")])
            #expect(next.status == 0, "\(next.stderr)")
            try expectNothingLeft(fleet)
        }
    }

    // MARK: Helpers

    /// The fixture's artifact with 2 MiB of random bytes added: the runner's share is measurable.
    private func bigArtifact(_ fixture: DeployFixture, version: String) async throws -> String {
        let path = try await fixture.artifact(version: version)
        let app = fixture.directory + "/app-\(version)"
        var bytes = [UInt8](repeating: 0, count: 2 << 20)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        try Data(bytes).write(to: URL(fileURLWithPath: app + "/data.bin"))
        let result = try await Shell.runDetached(["tar", "-czf", path, "-C", app, "."])
        guard result.status == 0 else { throw TestSupportError(result.output) }
        return path
    }

    /// Every host runs the artifact's release, and its release directory holds exactly the artifact's files.
    private func expectExact(_ fixture: DeployFixture, fleet: TestFleet, artifact: String) throws {
        let expected = fixture.directory + "/expected-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: expected, withIntermediateDirectories: true)
        let unpacked = try Shell.run(["tar", "-xzf", artifact, "-C", expected])
        #expect(unpacked.status == 0, "\(unpacked.output)")
        for member in fleet.members {
            let id = try #require(fixture.current(member.name), "\(member.name) has no current release")
            let diff = try Shell.run(["diff", "-r", "--no-dereference", "-x", "log", expected, member.srv + "/web/releases/" + id])
            #expect(diff.status == 0, "\(member.name): \(diff.output)")
        }
    }

    /// No host's authorized_keys holds a relay line; no relay copy or private key is left in `incoming`.
    private func expectNothingLeft(_ fleet: TestFleet) throws {
        for member in fleet.members {
            let keys = fleet.directory + "/hosts/\(member.name)/home/.ssh/authorized_keys"
            let text = (try? String(contentsOfFile: keys, encoding: .utf8)) ?? ""
            #expect(!text.contains("cutover-relay"), "\(member.name): \(text)")
            let incoming = member.srv + "/web/.cutover/incoming"
            let left = (try? FileManager.default.contentsOfDirectory(atPath: incoming)) ?? []
            #expect(left.allSatisfy { !$0.contains("relay") }, "\(member.name): \(left)")
            let found = try Shell.run(["grep", "-r", "-l", "OPENSSH PRIVATE KEY", member.srv, fleet.directory + "/hosts/\(member.name)/home"])
            #expect(found.stdout.isEmpty, "\(member.name): \(found.stdout)")
        }
    }

    private func events(_ jsonLines: String) -> [[String: Any]] {
        jsonLines.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    private func uploadDetails(_ jsonLines: String) -> [String: String] {
        var details: [String: String] = [:]
        for event in events(jsonLines) where event["event"] as? String == "host_step_finished" && event["step"] as? String == "upload"
            && event["state"] as? String == "ok" {
            if let host = event["host"] as? String, let detail = event["detail"] as? String { details[host] = detail }
        }
        return details
    }

    private func bytesSent(_ jsonLines: String) -> [String: Int] {
        var sent: [String: Int] = [:]
        for event in events(jsonLines) {
            for host in event["hosts"] as? [[String: Any]] ?? [] {
                if let name = host["host"] as? String, let bytes = host["bytes_sent"] as? Int { sent[name] = bytes }
            }
        }
        return sent
    }

    private func cutover(_ fleet: TestFleet, _ arguments: [String]) async throws -> Shell.Result {
        try await Shell.runDetached([RepositoryPaths.cutoverExecutable] + arguments
            + ["-i", fleet.inventoryPath, "--ssh-config", "none", "--ledger", "none"])
    }
}
