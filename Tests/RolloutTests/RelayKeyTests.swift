import Foundation
import HostKeys
@testable import Rollout
import Testing
import Transport
import TestSupport

/// The deploy's relay key is a key OpenSSH reads: `ssh-keygen -y` derives the same public key
/// from the private one; printing the value shows no private key; the host scripts quote
/// every value and the receiver's outcome is read from words the script chose.
@Suite struct RelayKeyTests {
    @Test func openSSHReadsThePrivateKeyAndDerivesTheSamePublicKey() throws {
        let key = RelayKey(comment: "cutover-relay-d-test")
        let pem = try #require(Data(base64Encoded: key.privateKeyLine))
        let directory = NSTemporaryDirectory() + "/relay-key-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/key"
        #expect(FileManager.default.createFile(atPath: path, contents: pem, attributes: [.posixPermissions: 0o600]))
        let derived = try Shell.run(["ssh-keygen", "-y", "-f", path])
        #expect(derived.status == 0, "\(derived.output)")
        #expect(derived.stdout.hasPrefix(key.publicKey), "\(derived.stdout) vs \(key.publicKey)")
        #expect(!"\(key)".contains(key.privateKeyLine.prefix(40)))
        #expect(RelayKey(comment: "x").publicKey != key.publicKey, "a new key per deploy")
    }

    @Test func hostileValuesAreQuotedAndOutcomesAreReadFromTheScriptsWords() {
        let layout = HostLayout(root: "/srv/web")
        let script = RelayScript(layout: layout, deployID: "d-1", sha256: String(repeating: "a", count: 64), gzip: true, size: 10,
                                 seconds: 60)
        #expect(script.forcedCommand == "command=\"cat -- /srv/web/.cutover/incoming/relay-d-1.tar.gz\"")
        let odd = RelayScript(layout: HostLayout(root: "/srv/a*b;c"), deployID: "d-1", sha256: "a", gzip: false, size: 1, seconds: 1)
        #expect(odd.forcedCommand == "command=\"cat -- '/srv/a*b;c/.cutover/incoming/relay-d-1.tar'\"")
        #expect(RelayScript.refusal(copy: "/srv/we\"b") != nil && RelayScript.refusal(copy: "/srv/we\u{1}b") != nil)
        #expect(RelayScript.refusal(copy: "/srv/web") == nil)
        let source = RelaySource(name: "h1", address: "10.0.0.1", port: 22, user: "deploy", hostKey: .init(algorithm: "ssh-ed25519", blob: [1, 2, 3]))
        #expect(source.knownHostsLine == "cutover-relay-source ssh-ed25519 AQID")
        #expect(source.hostKeyAlgorithms == "ssh-ed25519")
        #expect(RelaySource.refusal(.init(name: "h", host: "-oProxyCommand=x", user: "u")) != nil)
        #expect(RelaySource.refusal(.init(name: "h", host: "a b", user: "u")) != nil)
        #expect(RelaySource.refusal(.init(name: "h", host: "10.0.0.1", user: "u")) == nil)

        #expect(RelayOutcome.parse("noise\nrelay=ok bytes=10\nserve=ok\n") == .relayed(bytes: 10, serves: true, whyNot: nil))
        #expect(RelayOutcome.parse("relay=ok bytes=10\nserve=no reason=keysfile\n")
                == .relayed(bytes: 10, serves: false, whyNot: "~/.ssh/authorized_keys is a link or not a plain file"))
        #expect(RelayOutcome.parse("relay=failed reason=ssh exit=255 error=refused bytes=0") == .failed("connection refused (ssh exit 255)", sourceFault: true))
        #expect(RelayOutcome.parse("relay=mismatch reason=sha256 bytes=10") == .failed("the source sent bytes whose sha256 is not the artifact's", sourceFault: true))
        #expect(RelayOutcome.parse("relay=failed reason=nossh") == .failed("the host has no ssh client", sourceFault: false))
        #expect(RelayOutcome.parse("relay=ok") == .failed("the host's relay script said nothing", sourceFault: false))
        #expect(RelayOutcome.parse("") == .failed("the host's relay script said nothing", sourceFault: false))
    }

    /// The scripts print their words from ``RelayFetchReason``, ``RelaySSHFailure`` and
    /// ``ServeRefusal``: every word in the script text is one the parser reads, each read as its
    /// own reason; a word it does not know (another version, a script cut short) reads as the
    /// general failure.
    @Test func everyWordTheScriptsPrintIsOneTheParserReads() throws {
        let script = RelayScript(layout: HostLayout(root: "/srv/web"), deployID: "d-1", sha256: String(repeating: "a", count: 64), gzip: true,
                                 size: 10, seconds: 60)
        let source = RelaySource(name: "h1", address: "10.0.0.1", port: 22, user: "deploy", hostKey: .init(algorithm: "ssh-ed25519", blob: [1, 2, 3]))
        let fetch = script.fetch(from: source, thenServe: false)
        let serving = script.serve + "\n" + script.authorize(RelayKey(comment: "cutover-relay-d-1"), as: source)
        func words(_ pattern: String, in text: String) throws -> Set<String> {
            Set(text.matches(of: try Regex(pattern, as: (Substring, Substring).self)).map { String($0.output.1) })
        }
        #expect(try words(#"relay=(?:failed|mismatch) reason=(\w+)"#, in: fetch) == Set(RelayFetchReason.allCases.map(\.rawValue)))
        #expect(try words(#"\bw=([a-z]+)"#, in: fetch) == Set(RelaySSHFailure.allCases.map(\.rawValue)))
        #expect(try words(#"serve=no reason=(\w+)"#, in: serving) == Set(ServeRefusal.allCases.map(\.rawValue)))
        #expect(try words(#"relay=(\w+)"#, in: fetch) == Set(RelayFetchStatus.allCases.map(\.rawValue)))
        #expect(try words(#"serve=(\w+)"#, in: serving) == ["no", ServeRefusal.servedWord])

        let general = RelayOutcome.failed("the relay failed", sourceFault: false)
        for reason in RelayFetchReason.allCases where reason != .size && reason != .sha256 {
            #expect(RelayOutcome.parse(reason.line + " exit=255 error=refused bytes=0") != general, "\(reason.line)")
        }
        #expect(RelayOutcome.parse(RelayFetchReason.size.line) == .failed("the source sent more bytes than the artifact has", sourceFault: true))
        for failure in RelaySSHFailure.allCases {
            #expect(RelayOutcome.parse("relay=failed reason=ssh exit=1 error=\(failure.rawValue) bytes=0") == .failed("\(failure.text) (ssh exit 1)", sourceFault: true))
        }
        for refusal in ServeRefusal.allCases {
            #expect(ServeOutcome.parse(refusal.line) == refusal.text)
        }
        #expect(ServeOutcome.parse(ServeRefusal.served) == nil)
        #expect(RelayOutcome.parse("relay=failed reason=quota") == general)
        #expect(RelayOutcome.parse("relay=failed reason=ssh exit=1 error=weird bytes=0") == .failed("ssh failed (ssh exit 1)", sourceFault: true))
        #expect(ServeOutcome.parse("serve=no reason=quota") == "it cannot serve")
        #expect(ServeOutcome.parse("serve=maybe") == "it cannot serve")
    }
}
