import Dispatch
import Foundation
@testable import HostKeys
import Synchronization
import Testing

@Suite("known_hosts parsed once and indexed")
struct KnownHostsCacheTests {
    private func strict(_ files: [String], _ cache: KnownHostsCache) -> HostKeyVerifier {
        HostKeyVerifier(knownHostsFiles: files, policy: .strict, pinnedFingerprint: nil, cache: cache)
    }

    /// `count` plain lines `h1`…: even hosts on port 22, odd ones as `[hN]:2222`.
    private func fleet(_ count: Int) -> String {
        (1...count).map { n in
            let name = n.isMultiple(of: 2) ? "h\(n)" : "[h\(n)]:2222"
            return "\(name) \(Keys.ed25519(UInt8(n % 251)).line)\n"
        }.joined()
    }

    @Test func manyLookupsParseTheFileOnce() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("known_hosts", "# fleet\n" + fleet(300))
        let cache = KnownHostsCache()
        for n in 1...300 {
            let trust = try strict([file, dir.path + "/missing"], cache)
                .verify(host: "H\(n)", port: n.isMultiple(of: 2) ? 22 : 2222, key: Keys.ed25519(UInt8(n % 251)))
            #expect(trust == .known(file: file, line: n + 1))
        }
        #expect(cache.parseCount == 1)
    }

    @Test func concurrentSessionsShareOneParse() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("known_hosts", fleet(200))
        let cache = KnownHostsCache()
        let failures = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: 200) { index in
            let n = index + 1
            let trust = try? strict([file], cache)
                .verify(host: "h\(n)", port: n.isMultiple(of: 2) ? 22 : 2222, key: Keys.ed25519(UInt8(n % 251)))
            if trust != .known(file: file, line: n) { failures.add(1, ordering: .relaxed) }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
        #expect(cache.parseCount == 1)
    }

    @Test func replacedFileIsReadAgain() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("known_hosts", "web1 \(Keys.ed25519(1).line)\n")
        let cache = KnownHostsCache()
        #expect(try strict([file], cache).verify(host: "web1", port: 22, key: Keys.ed25519(1)) == .known(file: file, line: 1))
        try dir.write("known_hosts", "# rotated\nweb1 \(Keys.ed25519(2).line)\n")
        #expect(throws: HostKeyError(code: .changed, description: "")) {
            try strict([file], cache).verify(host: "web1", port: 22, key: Keys.ed25519(1))
        }
        #expect(try strict([file], cache).verify(host: "web1", port: 22, key: Keys.ed25519(2)) == .known(file: file, line: 2))
        #expect(cache.parseCount == 2)
    }

    @Test func fileAppendedInPlaceIsReadAgain() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("known_hosts", "web1 \(Keys.ed25519(1).line)\n")
        let cache = KnownHostsCache()
        #expect(try strict([file], cache).verify(host: "web1", port: 22, key: Keys.ed25519(1)) == .known(file: file, line: 1))
        let handle = try #require(FileHandle(forWritingAtPath: file))
        handle.seekToEndOfFile()
        handle.write(Data("web2 \(Keys.ed25519(2).line)\n".utf8))
        try handle.close()
        #expect(try strict([file], cache).verify(host: "web2", port: 22, key: Keys.ed25519(2)) == .known(file: file, line: 2))
        #expect(cache.parseCount == 2)
    }

    @Test func removedFileIsEmpty() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("known_hosts", "web1 \(Keys.ed25519(1).line)\n")
        let cache = KnownHostsCache()
        _ = try strict([file], cache).verify(host: "web1", port: 22, key: Keys.ed25519(1))
        try FileManager.default.removeItem(atPath: file)
        #expect(throws: HostKeyError(code: .unknownHost, description: "")) {
            try strict([file], cache).verify(host: "web1", port: 22, key: Keys.ed25519(1))
        }
    }

    @Test func acceptNewAppendIsSeenByTheNextLookup() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("known_hosts", "other \(Keys.ed25519(9).line)")
        let cache = KnownHostsCache()
        let verifier = HostKeyVerifier(knownHostsFiles: [file], policy: .acceptNew, pinnedFingerprint: nil, cache: cache)
        for n in 1...20 {
            #expect(try verifier.verify(host: "web\(n)", port: 22, key: Keys.ed25519(UInt8(n))) == .addedNew(file: file))
        }
        for n in 1...20 {
            #expect(try verifier.verify(host: "web\(n)", port: 22, key: Keys.ed25519(UInt8(n))) == .known(file: file, line: n + 1))
        }
        #expect(try dir.read("known_hosts").split(separator: "\n").count == 21)
        #expect(cache.parseCount == 1)
    }

    /// The index gives the verdict a scan of every line gives, for every kind of line.
    @Test func indexAgreesWithAFullScan() {
        let text = """
            web1,web2 \(Keys.ed25519(1).line)
            *.example.com,!bastion.example.com \(Keys.ed25519(2).line)
            [web1]:2222 \(Keys.ed25519(3).line)
            \(Keys.hashedPort22) \(Keys.real.line)
            @cert-authority *.ca.test \(Keys.ed25519(4).line)
            @revoked * \(Keys.ed25519(5).line)
            web1 \(Keys.ed25519(6).line)
            web?,!web9 \(Keys.ed25519(7).line)
            !web3 \(Keys.ed25519(8).line)
            bastion.example.com \(Keys.ed25519(9).line)
            [Web2]:22 \(Keys.ed25519(10).line)
            @cert-authority web3 \(Keys.ed25519(11).line)
            \(Keys.hashedPort2222) \(Keys.ed25519(1).line)
            *.example.com \(Keys.ed25519(1).line)
            web1,!web1 \(Keys.ed25519(1).line)
            """
        let files = [KnownHostsFile(path: "a", contents: text), KnownHostsFile(path: "b", contents: "web4 \(Keys.ed25519(12).line)\n@revoked x \(Keys.ed25519(13).line)")]
        let lookup = KnownHostsLookup(files: files)
        let hosts = ["web1", "WEB2", "web3", "web4", "web9", "web12", "a.example.com", "bastion.example.com",
                     "x.ca.test", "example.com", "nowhere"]
        for host in hosts {
            for port in [22, 2222] {
                for seed in UInt8(1)...13 {
                    let address = HostAddress(host: host, port: port)
                    let key = Keys.ed25519(seed)
                    #expect(describe(lookup.verdict(for: address, key: key)) == scan(files, address, key), "\(host):\(port) key \(seed)")
                }
                let address = HostAddress(host: host, port: port)
                #expect(describe(lookup.verdict(for: address, key: Keys.real)) == scan(files, address, Keys.real))
            }
        }
    }

    /// The verdict as every line is scanned, the way lookups worked before the index.
    private func scan(_ files: [KnownHostsFile], _ address: HostAddress, _ key: HostKey) -> String {
        let all = files.flatMap { file in file.entries.map { "\(file.path):\($0.line)" }.enumerated().map { (file.entries[$0.offset], $0.element) } }
        if let revoked = all.first(where: { $0.0.marker == .revoked && $0.0.key.blob == key.blob }) {
            return "revoked \(revoked.1)"
        }
        let matching = all.filter { $0.0.marker != .revoked && $0.0.matches(address) }
        let plain = matching.filter { $0.0.marker == nil }
        if let known = plain.first(where: { $0.0.key.blob == key.blob }) { return "known \(known.1)" }
        if !plain.isEmpty { return "changed \(plain.map(\.1))" }
        if !matching.isEmpty { return "ca \(matching.map(\.1))" }
        // OpenSSH's fallback for another port: the bare name's lines, only a known key counts.
        if address.port != 22 {
            let bare = scan(files, HostAddress(host: address.host, port: 22), key)
            if bare.hasPrefix("known ") { return bare }
        }
        return "unknown"
    }

    private func describe(_ verdict: KnownHostsLookup.Verdict) -> String {
        switch verdict {
        case .known(let located): return "known \(located.position)"
        case .revoked(let located): return "revoked \(located.position)"
        case .changed(let lines): return "changed \(lines.map(\.position))"
        case .certAuthorityOnly(let lines): return "ca \(lines.map(\.position))"
        case .unknown: return "unknown"
        }
    }
}
