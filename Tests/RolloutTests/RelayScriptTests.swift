import Foundation
import HostKeys
@testable import Rollout
import Testing
import TestSupport
import Transport

/// The relay's host scripts against real sshd hosts and real OpenSSH clients, one step at a
/// time: a serving host's authorized_keys line lets the deploy key do nothing but `cat` the
/// relay copy (a command asked for is not run), a receiver that is given another host key for
/// its source refuses it (host key checking stays on between hosts), another key is refused by
/// the source, the right one relays the bytes, and the clean-up leaves the file as it was.
@Suite("relay scripts", .timeLimit(.minutes(3)))
struct RelayScriptTests {
    @Test func theKeyOnlyCatsTheCopyAndHostKeysAreChecked() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            // An "artifact" already verified on h1, where a push or a fetch leaves it.
            var bytes = [UInt8](repeating: 0, count: 200_000)
            for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
            let scratch = fleet.directory + "/artifact"
            try Data(bytes).write(to: URL(fileURLWithPath: scratch))
            let sha256 = String(try Shell.run(["sha256sum", scratch]).stdout.prefix(64))
            let key = RelayKey(comment: "cutover-relay-d-test")
            let script = RelayScript(layout: HostLayout(root: "/srv/web"), deployID: "d-test", sha256: sha256, gzip: true,
                                     size: Int64(bytes.count), seconds: 60)
            let h1 = fleet.member("h1")
            let incoming = h1.srv + "/web/.cutover/incoming"
            try FileManager.default.createDirectory(atPath: incoming, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: incoming + "/\(sha256).tar.gz"))
            #expect(try Shell.run(["chown", "-R", fleet.user, h1.srv + "/web"]).status == 0)

            let source = try await SSHConnection.connect(to: endpoint(fleet, "h1"))
            let receiver = try await SSHConnection.connect(to: endpoint(fleet, "h2"))
            let served = try await source.run(script.serve)
            #expect(ServeOutcome.parse(served.stdoutText) == nil, "\(served.stdoutText) \(served.stderrText)")
            let right = RelaySource(name: "h1", address: h1.address, port: h1.port, user: fleet.user, hostKey: try await source.hostKey())
            let wrong = RelaySource(name: "h1", address: h1.address, port: h1.port, user: fleet.user, hostKey: try await receiver.hostKey())
            // The source authorises the edge's key and checks its sshd confines it.
            let authorized = try await source.run(script.authorize(key, as: right), input: RelayScript.input(key: key, source: right))
            #expect(ServeOutcome.parse(authorized.stdoutText) == nil, "\(authorized.stdoutText) \(authorized.stderrText)")
            let keys = fleet.directory + "/hosts/h1/home/.ssh/authorized_keys"
            let line = try String(contentsOfFile: keys, encoding: .utf8)
            #expect(line.hasPrefix("restrict,expiry-time=\"") && line.contains(",command=\"cat -- /srv/web/.cutover/incoming/relay-d-test.tar.gz\" ")
                    && line.hasSuffix(key.publicKey + " cutover-relay-d-test\n"), "\(line)")

            // Another host key for the source: the receiver's ssh refuses to talk to it.
            let spoofed = try await receiver.run(script.fetch(from: wrong, thenServe: false), input: RelayScript.input(key: key, source: wrong))
            #expect(RelayOutcome.parse(spoofed.stdoutText) == .failed("host key verification failed (ssh exit 255)", sourceFault: true),
                    "\(spoofed.stdoutText)")
            // Another key: the source refuses it.
            let stranger = RelayKey(comment: "stranger")
            let refused = try await receiver.run(script.fetch(from: right, thenServe: false), input: RelayScript.input(key: stranger, source: right))
            #expect(RelayOutcome.parse(refused.stdoutText) == .failed("the source refused the relay key (ssh exit 255)", sourceFault: true),
                    "\(refused.stdoutText)")
            // The receiver cannot write (its file size limit stands in for a full disk): its own
            // fault, not the source's.
            let full = try await receiver.run("( ulimit -f 8\n" + script.fetch(from: right, thenServe: false) + "\n)",
                                              input: RelayScript.input(key: key, source: right))
            #expect(RelayOutcome.parse(full.stdoutText) == .failed("cannot write the artifact on the host (a full disk?)", sourceFault: false),
                    "\(full.stdoutText)")
            // The deploy's key and the source's verified host key: the bytes, checked and in place.
            let fetched = try await receiver.run(script.fetch(from: right, thenServe: false), input: RelayScript.input(key: key, source: right))
            #expect(RelayOutcome.parse(fetched.stdoutText) == .relayed(bytes: Int64(bytes.count), serves: false, whyNot: "its serve step said nothing"),
                    "\(fetched.stdoutText)")
            let landed = fleet.member("h2").srv + "/web/.cutover/incoming/\(sha256).tar.gz"
            #expect(FileManager.default.contents(atPath: landed) == Data(bytes))
            let h2Incoming = try FileManager.default.contentsOfDirectory(atPath: fleet.member("h2").srv + "/web/.cutover/incoming")
            #expect(h2Incoming == ["\(sha256).tar.gz"], "no key directory or partial file is left: \(h2Incoming)")

            // The key runs nothing but the forced `cat`: a command asked for prints the artifact instead.
            let pwned = fleet.member("h1").srv + "/pwned"
            let attempt = try await receiver.run("""
                umask 077; d=$(mktemp -d); IFS= read -r k; printf '%s' "$k" | base64 -d > "$d/key"
                ssh -F none -n -T -i "$d/key" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no \\
                  -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -p \(h1.port) -l \(fleet.user) \(h1.address) 'touch /srv/pwned; echo ran' | wc -c
                rm -rf "$d"
                """, input: Array((key.privateKeyLine + "\n").utf8))
            #expect(attempt.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == String(bytes.count), "\(attempt.stdoutText) \(attempt.stderrText)")
            #expect(!FileManager.default.fileExists(atPath: pwned))

            // Clean-up: the line, the copy; another line of the file stays.
            let other = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyStaysOtherKeyStaysOtherKeySt ops@laptop\n"
            try (other + (try String(contentsOfFile: keys, encoding: .utf8))).write(toFile: keys, atomically: true, encoding: .utf8)
            #expect(try Shell.run(["chown", fleet.user, keys]).status == 0)
            let cleaned = try await source.run(script.cleanup)
            #expect(cleaned.stdoutText.contains("cleanup=ok"), "\(cleaned.stdoutText) \(cleaned.stderrText)")
            #expect(try String(contentsOfFile: keys, encoding: .utf8) == other)
            #expect(!FileManager.default.fileExists(atPath: incoming + "/relay-d-test.tar.gz"))
            await source.close()
            await receiver.close()
        }
    }

    /// A source whose sshd accepts an environment variable bash or the dynamic linker act on
    /// (`AcceptEnv LD_PRELOAD`, `BASH_ENV`, `*`): a client's `LD_PRELOAD`, `BASH_ENV` or
    /// `BASH_FUNC_cat%%` runs its code before or instead of the forced command, so the key is
    /// not confined. The source's own environment check finds it (the variables come back in
    /// the `env` output), refuses to serve and keeps no line; on a confined host (the default,
    /// or Debian's `AcceptEnv LANG LC_*`) the edge's line is authorised and its revoke removes
    /// exactly that line.
    @Test func aSourceThatAcceptsAnyEnvironmentFailsItsCheckAndKeepsNoLine() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let h1 = fleet.member("h1")
            let bytes = [UInt8]((0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            let scratch = fleet.directory + "/artifact"
            try Data(bytes).write(to: URL(fileURLWithPath: scratch))
            let sha256 = String(try Shell.run(["sha256sum", scratch]).stdout.prefix(64))
            let script = RelayScript(layout: HostLayout(root: "/srv/web"), deployID: "d-env", sha256: sha256, gzip: true,
                                     size: Int64(bytes.count), seconds: 60)
            let incoming = h1.srv + "/web/.cutover/incoming"
            try FileManager.default.createDirectory(atPath: incoming, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: incoming + "/\(sha256).tar.gz"))
            #expect(try Shell.run(["chown", "-R", fleet.user, h1.srv + "/web"]).status == 0)
            let keys = fleet.directory + "/hosts/h1/home/.ssh/authorized_keys"

            // Confined: the line is there after the check, and revoke removes it alone.
            var source = try await SSHConnection.connect(to: endpoint(fleet, "h1"))
            #expect(ServeOutcome.parse(try await source.run(script.serve).stdoutText) == nil)
            let me = RelaySource(name: "h1", address: h1.address, port: h1.port, user: fleet.user, hostKey: try await source.hostKey())
            let edge = RelayKey(comment: "cutover-relay-d-env")
            // A login umask of 002 does not make the new file group-writable (sshd's StrictModes would refuse it).
            let ok = try await source.run("umask 002\n" + script.authorize(edge, as: me), input: RelayScript.input(key: edge, source: me))
            #expect(ServeOutcome.parse(ok.stdoutText) == nil, "\(ok.stdoutText) \(ok.stderrText)")
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: keys)[.posixPermissions] as? Int)
            #expect(mode == 0o600, "\(String(mode, radix: 8))")
            let other = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyStaysOtherKeyStaysOtherKeySt ops mentions cutover-relay-d-env\n"
            try (other + (try String(contentsOfFile: keys, encoding: .utf8))).write(toFile: keys, atomically: true, encoding: .utf8)
            #expect(try Shell.run(["chown", fleet.user, keys]).status == 0)
            let revoked = try await source.run(script.revoke(edge))
            #expect(revoked.stdoutText.contains("revoke=ok"), "\(revoked.stdoutText) \(revoked.stderrText)")
            #expect(try String(contentsOfFile: keys, encoding: .utf8) == other)

            // An authorized_keys with a second hard link is never rewritten: the host does not serve.
            let twin = fleet.directory + "/hosts/h1/home/keys-twin"
            #expect(try Shell.run(["ln", keys, twin]).status == 0)
            let linked = try await source.run(script.authorize(edge, as: me), input: RelayScript.input(key: edge, source: me))
            #expect(ServeOutcome.parse(linked.stdoutText) == "~/.ssh/authorized_keys has more than one hard link", "\(linked.stdoutText)")
            #expect(try String(contentsOfFile: keys, encoding: .utf8) == other)
            try FileManager.default.removeItem(atPath: twin)
            await source.close()

            // Debian's `AcceptEnv LANG LC_*` confines the key: the host serves.
            try await fleet.reconfigureHost("h1", adding: ["AcceptEnv LANG LC_*"])
            source = try await SSHConnection.connect(to: endpoint(fleet, "h1"))
            let debian = try await source.run(script.authorize(edge, as: me), input: RelayScript.input(key: edge, source: me))
            #expect(ServeOutcome.parse(debian.stdoutText) == nil, "\(debian.stdoutText) \(debian.stderrText)")
            #expect(try await source.run(script.revoke(edge)).stdoutText.contains("revoke=ok"))
            #expect(try String(contentsOfFile: keys, encoding: .utf8) == other)
            await source.close()

            // Not confined: sshd passes on the variables the check sends; no line is left.
            for accepted in ["AcceptEnv LD_PRELOAD", "AcceptEnv BASH_ENV", "AcceptEnv *"] {
                try await fleet.reconfigureHost("h1", adding: [accepted])
                source = try await SSHConnection.connect(to: endpoint(fleet, "h1"))
                let bad = try await source.run(script.authorize(edge, as: me), input: RelayScript.input(key: edge, source: me))
                #expect(bad.stdoutText.contains("serve=no reason=environment"), "\(accepted): \(bad.stdoutText) \(bad.stderrText)")
                #expect(try String(contentsOfFile: keys, encoding: .utf8) == other, "\(accepted)")
                await source.close()
                // sshd_config accumulates: each step removes its line again.
                let config = fleet.directory + "/hosts/h1/sshd_config"
                let text = try String(contentsOfFile: config, encoding: .utf8)
                try text.replacingOccurrences(of: accepted + "\n", with: "").write(toFile: config, atomically: true, encoding: .utf8)
            }
            try await fleet.reconfigureHost("h1", adding: ["AcceptEnv *"])
            source = try await SSHConnection.connect(to: endpoint(fleet, "h1"))
            // The deploy's clean-up leaves the admin line whose comment mentions the marker.
            let cleaned = try await source.run(script.cleanup)
            #expect(cleaned.stdoutText.contains("cleanup=ok"), "\(cleaned.stdoutText)")
            #expect(try String(contentsOfFile: keys, encoding: .utf8) == other)
            await source.close()
        }
    }

    /// The authorized_keys edit keeps a line another writer appended while it ran: the file no
    /// longer equals the snapshot at the `mv`, so the edit is redone on the new contents (the awk
    /// program appends the line itself during its first pass, standing in for that writer).
    @Test func anEditRedoesItselfWhenTheFileChangedMeanwhile() throws {
        let home = NSTemporaryDirectory() + "/relay-kedit-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: home) }
        let ssh = home + "/.ssh"
        try FileManager.default.createDirectory(atPath: ssh, withIntermediateDirectories: true)
        try "ssh-ed25519 AAAAkeep admin\nssh-ed25519 AAAAgone relay\n".write(toFile: ssh + "/authorized_keys", atomically: true, encoding: .utf8)
        let program = "BEGIN { if (system(\"test -e \" f) != 0) system(\"touch \" f \"; echo ssh-ed25519 AAAAnew late >> \" k) } $2 != \"AAAAgone\""
        let script = RelayScript.keysEditFunction + "\nklocked kedit '\(program)' -v f=\"$HOME/flag\" -v k=\"$HOME/.ssh/authorized_keys\" && echo edited"
        let result = try Shell.run(["env", "HOME=" + home, "sh", "-c", script])
        #expect(result.stdout.contains("edited"), "\(result.output)")
        #expect(try String(contentsOfFile: ssh + "/authorized_keys", encoding: .utf8) == "ssh-ed25519 AAAAkeep admin\nssh-ed25519 AAAAnew late\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: ssh).sorted() == [".authorized_keys.cutover-lock", "authorized_keys"])
    }

    private func endpoint(_ fleet: TestFleet, _ name: String) -> SSHEndpoint {
        let member = fleet.member(name)
        return SSHEndpoint(name: name, host: member.address, port: member.port, user: fleet.user, identityFiles: [fleet.identityPath],
                           knownHostsFiles: [fleet.knownHostsPath], hostKeyPolicy: .strict, useAgent: false)
    }
}
