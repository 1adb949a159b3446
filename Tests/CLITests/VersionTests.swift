import Foundation
import Testing
import TestSupport

/// `cutover version`: the facts a bug report needs, read from the running system.
@Suite("cutover version")
struct VersionTests {
    @Test func textNamesCutoverLibssh2AndTheSystem() async throws {
        let result = try await CutoverProcess.run(["version"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(lines)")
        #expect(lines.first?.hasPrefix("cutover 0.") == true, "\(lines)")
        // The libssh2 the process really loaded (this machine's Debian 12 ships 1.10).
        let installed = try await Shell.runDetached(["sh", "-c", "dpkg-query -W -f='${Version}' libssh2-1 | cut -d- -f1"])
        #expect(lines.contains { $0.hasPrefix("libssh2 \(installed.stdout.trimmingCharacters(in: .whitespacesAndNewlines))") }, "\(lines) vs \(installed.stdout)")
        let pretty = try String(contentsOfFile: "/etc/os-release", encoding: .utf8)
        #expect(lines.contains { $0.hasPrefix("os ") && pretty.contains(String($0.dropFirst(3))) }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("kernel Linux ") }, "\(lines)")
    }

    @Test func jsonIsOneObject() async throws {
        let result = try await CutoverProcess.run(["version", "--output", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["cutover", "libssh2", "os", "kernel", "rsa_sha2"])
    }
}
