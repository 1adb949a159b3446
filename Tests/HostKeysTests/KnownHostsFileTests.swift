import Foundation
import HostKeys
import Testing

@Suite("Parsing known_hosts files")
struct KnownHostsFileTests {
    @Test func parsesEntriesMarkersCommentsAndLineNumbers() {
        let text = """
            # a comment

            host1,host2 \(Keys.ed25519(1).line) my comment here
            @revoked * \(Keys.ed25519(2).line)
            \t@cert-authority *.example.com \(Keys.ed25519(3).line)
            """
        let file = KnownHostsFile(path: "kh", contents: text)
        #expect(file.entries.map(\.line) == [3, 4, 5])
        #expect(file.entries.map(\.marker) == [nil, .revoked, .certAuthority])
        #expect(file.entries[0].hostsField == "host1,host2")
        #expect(file.entries[0].comment == "my comment here")
        #expect(file.entries[0].key == Keys.ed25519(1))
        #expect(file.skipped.isEmpty)
    }

    @Test func skipsMalformedLinesWithNotes() {
        let text = """
            good \(Keys.ed25519(1).line)
            @bogus host \(Keys.ed25519(1).line)
            onlyhost
            host ssh-ed25519 !!!notbase64!!!
            host1 1024 35 12345
            |1|bad|hash \(Keys.ed25519(1).line)
            also-good \(Keys.ed25519(2).line)
            """
        let file = KnownHostsFile(path: "kh", contents: text)
        #expect(file.entries.map(\.line) == [1, 7])
        #expect(file.skipped.map(\.line) == [2, 3, 4, 5, 6])
    }

    @Test func aLineWhoseKeyTypeDisagreesWithItsBlobIsIgnoredAsOpenSSHDoes() {
        let blob = Data(Keys.ed25519(1).blob).base64EncodedString()
        let text = """
            liar ssh-rsa \(blob)
            liar ecdsa-sha2-nistp256 \(blob)
            honest ssh-ed25519 \(blob)
            """
        let file = KnownHostsFile(path: "kh", contents: text)
        #expect(file.entries.map(\.line) == [3])
        #expect(file.skipped.map(\.line) == [1, 2])
        #expect(!file.entries.contains { $0.matches(host: "liar", port: 22) })
    }

    @Test func handlesCRLFLineEndings() {
        let text = "# c\r\nhost \(Keys.ed25519(1).line)\r\nother \(Keys.ed25519(2).line) note\r\n"
        let file = KnownHostsFile(path: "kh", contents: text)
        #expect(file.entries.map(\.line) == [2, 3])
        #expect(file.entries[1].comment == "note")
        #expect(file.entries[0].matches(host: "host", port: 22))
    }

    @Test func missingFileIsEmpty() throws {
        let dir = try TemporaryDirectory()
        let file = try KnownHostsFile.load(path: dir.path + "/nope/known_hosts")
        #expect(file.entries.isEmpty)
    }

    @Test func directoryIsAnIOError() throws {
        let dir = try TemporaryDirectory()
        #expect(throws: HostKeyError(code: .io, description: "")) {
            try KnownHostsFile.load(path: dir.path)
        }
    }
}
