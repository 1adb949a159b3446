import Crypto
import Foundation
import Testing
import TestSupport
@testable import Transport

@Suite("Upload on real sshd hosts", .timeLimit(.minutes(2)))
struct UploadTests {
    /// A local file of `size` pseudo-random bytes and its sha256.
    static func makeFile(size: Int) throws -> (String, String) {
        let path = FileManager.default.temporaryDirectory.path + "/cutover-upload-\(UUID().uuidString)"
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: size)
        for i in stride(from: 0, to: size, by: 8) {
            let value = generator.next()
            for j in 0..<min(8, size - i) { bytes[i + j] = UInt8(truncatingIfNeeded: value >> (j * 8)) }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
    }

    @Test func uploadsAndVerifiesOnTheHost() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let (path, digest) = try Self.makeFile(size: 5 * 1024 * 1024 + 123)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let connection = try await SSHConnection.connect(to: fleet.endpoint())
            let result = try await connection.upload(localPath: path, to: "/srv/app/incoming/artifact.bin")
            #expect(result.sha256 == digest)
            #expect(result.bytes == 5 * 1024 * 1024 + 123)
            let remote = try await connection.run("sha256sum < /srv/app/incoming/artifact.bin; ls -A /srv/app/incoming")
            #expect(remote.stdoutText == "\(digest)  -\nartifact.bin\n")
            await connection.close()
        }
    }

    @Test func aByteFlippedInTransitIsDetectedAndNothingAppears() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let (path, _) = try Self.makeFile(size: 1024 * 1024)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let connection = try await SSHConnection.connect(to: fleet.endpoint())
            do {
                _ = try await connection.upload(localPath: path, to: "/srv/in/a.bin", timeout: nil, progress: nil,
                                                fault: UploadFault(corruptByteAt: 700_001))
                Issue.record("a corrupted upload was accepted")
            } catch let error as SSHError {
                #expect(error.code == .integrity)
            }
            let listing = try await connection.run("ls -A /srv/in")
            #expect(listing.stdoutText == "")
            await connection.close()
        }
    }

    @Test func aKnownDigestIsCheckedByTheHost() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let (path, digest) = try Self.makeFile(size: 300_000)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(try LocalFileDigest.sha256(path: path) == digest)
            let connection = try await SSHConnection.connect(to: fleet.endpoint())
            let good = try await connection.upload(localPath: path, to: "/srv/k/good.bin", expectedSHA256: digest)
            #expect(good.sha256 == digest)
            let wrong = String(repeating: "0", count: 64)
            do {
                _ = try await connection.upload(localPath: path, to: "/srv/k/bad.bin", expectedSHA256: wrong)
                Issue.record("a file with another hash was accepted")
            } catch let error as SSHError {
                #expect(error.code == .integrity)
            }
            #expect(try await connection.run("ls -A /srv/k").stdoutText == "good.bin\n")
            await connection.close()
        }
    }

    /// With the digest known, the host itself renames a matching file into place or removes any
    /// other, in the upload's own channel.
    @Test func aByteFlippedInTransitOfAKnownDigestIsRemovedByTheHost() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let (path, digest) = try Self.makeFile(size: 1024 * 1024)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let connection = try await SSHConnection.connect(to: fleet.endpoint())
            do {
                _ = try await connection.upload(localPath: path, to: "/srv/kf/a.bin", expectedSHA256: digest, timeout: nil, progress: nil,
                                                fault: UploadFault(corruptByteAt: 500_000))
                Issue.record("a corrupted upload was accepted")
            } catch let error as SSHError {
                #expect(error.code == .integrity)
                #expect(error.message.contains("arrived corrupted"), "\(error.message)")
            }
            #expect(try await connection.run("ls -A /srv/kf").stdoutText == "")
            let good = try await connection.upload(localPath: path, to: "/srv/kf/a.bin", expectedSHA256: digest)
            #expect(good.sha256 == digest)
            #expect(try await connection.run("sha256sum < /srv/kf/a.bin; ls -A /srv/kf").stdoutText == "\(digest)  -\na.bin\n")
            await connection.close()
        }
    }

    /// A destination that is a directory or a link (to a directory, or dangling) is refused
    /// before anything is written: `mv` would put the upload inside the directory, or inside
    /// the one the link names, and a `chmod` by path would change what the link names.
    @Test(arguments: [true, false])
    func aDirectoryOrALinkAtTheDestinationIsRefused(knownDigest: Bool) async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let (path, digest) = try Self.makeFile(size: 4096)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let connection = try await SSHConnection.connect(to: fleet.endpoint())
            _ = try await connection.run("mkdir -p /srv/victim /srv/drop-dir && chmod 0700 /srv/victim && ln -s /srv/victim /srv/drop-link && ln -s /srv/victim/f /srv/file-link")
            for destination in ["/srv/drop-link", "/srv/drop-dir", "/srv/file-link"] {
                do {
                    _ = try await connection.upload(localPath: path, to: destination, expectedSHA256: knownDigest ? digest : nil, mode: 0o644)
                    Issue.record("\(destination): the upload was accepted")
                } catch let error as SSHError {
                    #expect(error.message.contains("\(destination) is a directory or a symbolic link: not replaced"), "\(error.message)")
                }
            }
            let after = try await connection.run("ls -A /srv/victim /srv/drop-dir; stat -c %a /srv/victim; ls -A /srv | grep -c part")
            #expect(after.stdoutText == "/srv/drop-dir:\n\n/srv/victim:\n700\n0\n", "\(after.stdoutText)")
            // A plain destination gets the mode before it appears; the directories made for a
            // file with a mode get the login's umask (022 here), for one without none but the user's.
            _ = try await connection.upload(localPath: path, to: "/srv/new/sub/plain.bin", expectedSHA256: knownDigest ? digest : nil, mode: 0o640)
            _ = try await connection.upload(localPath: path, to: "/srv/private/sub/plain.bin", expectedSHA256: knownDigest ? digest : nil)
            let umask = try #require(Int(try await connection.run("umask").stdoutText.trimmingCharacters(in: .whitespacesAndNewlines), radix: 8))
            #expect(umask & 0o700 == 0, "the login's umask leaves its user no access")
            let open = String(0o777 & ~umask, radix: 8)
            let plain = try await connection.run("stat -c '%F %a' /srv/new /srv/new/sub /srv/new/sub/plain.bin /srv/private /srv/private/sub /srv/private/sub/plain.bin")
            #expect(plain.stdoutText == "directory \(open)\ndirectory \(open)\nregular file 640\ndirectory 700\ndirectory 700\nregular file 600\n", "\(plain.stdoutText)")
            await connection.close()
        }
    }

    @Test func aFailingDestinationIsReportedWithTheHostsMessage() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let (path, _) = try Self.makeFile(size: 4096)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let connection = try await SSHConnection.connect(to: fleet.endpoint())
            _ = try await connection.run("touch /srv/file")
            await #expect(throws: SSHError.self) {
                _ = try await connection.upload(localPath: path, to: "/srv/file/below/x.bin")
            }
            // The connection still works afterwards.
            #expect(try await connection.run("true").exitStatus == 0)
            await connection.close()
        }
    }
}

@Suite("Upload to a host that stops reading", .timeLimit(.minutes(2)))
struct UploadStopsTests {
    @Test func aRemoteEndThatExitsEarlyEndsTheUploadQuickly() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            // 30 MiB against a 1 MiB tmpfs: the host's cat fails long before the file is sent.
            let (path, _) = try UploadTests.makeFile(size: 30 * 1024 * 1024)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let srv = fleet.member("h1").srv
            try await fleet.stopHost("h1")
            #expect(try await Shell.runDetached(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", srv]).status == 0)
            defer { _ = try? Shell.run(["umount", "-l", srv]) }
            try await Shell.runDetached(["chown", fleet.user, srv])
            try await fleet.startHost("h1")
            let connection = try await SSHConnection.connect(to: fleet.endpoint())
            let started = ContinuousClock.now
            do {
                _ = try await connection.upload(localPath: path, to: "/srv/big.bin", timeout: .seconds(100))
                Issue.record("a 30 MiB file fit in 1 MiB")
            } catch let error as SSHError {
                #expect(error.message.contains("No space left"))
            }
            #expect(ContinuousClock.now - started < .seconds(60))  // far below the 100 s timeout
            await connection.close()
            try await fleet.stopHost("h1")
        }
    }
}
