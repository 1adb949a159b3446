import Crypto
import Foundation
import HostKeys
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scripts/bench-knownhosts: client CPU of host-key verification for N hosts against a known_hosts
/// of N lines, the old way (the file read and parsed for every host, every line scanned) against
/// `HostKeyVerifier` (parsed once per process, indexed), in the same process.
///
///     cutover-bench-knownhosts [--sizes 1000,5000] [--old-sample 200]
///
/// The old way costs hosts × lines; above `--old-sample` hosts it is measured on that many hosts and
/// scaled to N (said so in the output). The new way is always measured on all N hosts.
@main
struct KnownHostsBench {
    static func main() throws {
        var sizes = [1000, 5000]
        var oldSample = 200
        var arguments = CommandLine.arguments.dropFirst()
        while let option = arguments.popFirst() {
            guard let value = arguments.popFirst() else { fail("\(option) needs a value") }
            switch option {
            case "--sizes": sizes = value.split(separator: ",").compactMap { Int($0) }
            case "--old-sample": oldSample = Int(value) ?? oldSample
            default: fail("unknown option \(option)")
            }
        }
        let dir = NSTemporaryDirectory() + "cutover-bench-knownhosts-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        print("lines=hosts  format  way             hosts_run    cpu_s  cpu_us/host  cpu_s_for_all  ratio_old/new")
        for size in sizes {
            let fleet = Fleet(size: size)
            for hashed in [false, true] {
                let path = "\(dir)/known_hosts-\(size)-\(hashed ? "hashed" : "plain")"
                try fleet.knownHosts(hashed: hashed).write(toFile: path, atomically: true, encoding: .utf8)
                let format = hashed ? "hashed" : "plain"
                let sample = min(oldSample, size)
                let old = try measure { try fleet.verifyOldWay(path: path, hosts: sample) }
                let new = try measure { try fleet.verify(path: path, hosts: size) }
                let oldPerHost = old / Double(sample), newPerHost = new / Double(size)
                row(size, format, "old", sample, old, oldPerHost, oldPerHost * Double(size), nil)
                row(size, format, "cached", size, new, newPerHost, new, oldPerHost / newPerHost)
                // A host offering another key: the refusal gathers every matching line (hashed lines all checked).
                let refused = measure { fleet.verifyRefused(path: path, hosts: sample) }
                let refusedPerHost = refused / Double(sample)
                row(size, format, "cached-refused", sample, refused, refusedPerHost, refusedPerHost * Double(size),
                    oldPerHost / refusedPerHost)
            }
        }
    }

    static func row(_ size: Int, _ format: String, _ way: String, _ run: Int, _ cpu: Double,
                    _ perHost: Double, _ all: Double, _ ratio: Double?) {
        func padded(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        let ratioText = ratio.map { String(format: "%13.0f", $0) } ?? ""
        print(String(format: "%11d  ", size) + padded(format, 6) + "  " + padded(way, 14)
              + String(format: "  %9d  %7.3f  %11.1f  %13.2f  ", run, cpu, perHost * 1_000_000, all) + ratioText)
    }

    /// User + system CPU seconds of this process spent in `body`.
    static func measure(_ body: () throws -> Void) rethrows -> Double {
        let before = cpuSeconds()
        try body()
        return cpuSeconds() - before
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("bench-knownhosts: \(message)\n".utf8))
        exit(64)
    }
}

/// N hosts `10.x.y.z`, half on port 22 and half on 2222, each with its own ed25519-shaped key.
struct Fleet {
    struct Member {
        var host: String
        var port: Int
        var key: HostKey
        var lookupName: String { port == 22 ? host : "[\(host)]:\(port)" }
    }

    var members: [Member]

    init(size: Int) {
        members = (0..<size).map { n in
            let type = Array("ssh-ed25519".utf8)
            let seed = withUnsafeBytes(of: UInt32(n).bigEndian, Array.init)
            let blob = [0, 0, 0, UInt8(type.count)] + type + [0, 0, 0, 32] + seed + [UInt8](repeating: 7, count: 28)
            return Member(host: "10.\(n >> 16 & 255).\(n >> 8 & 255).\(n & 255)", port: n.isMultiple(of: 2) ? 22 : 2222,
                          key: HostKey(algorithm: "ssh-ed25519", blob: blob))
        }
    }

    /// One line per host; hashed as `ssh-keygen -H` writes them (`|1|salt|HMAC-SHA1(salt, name)`).
    func knownHosts(hashed: Bool) -> String {
        var generator = SystemRandomNumberGenerator()
        return members.map { member in
            var name = member.lookupName
            if hashed {
                let salt = (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let code = HMAC<Insecure.SHA1>.authenticationCode(for: Array(name.utf8), using: SymmetricKey(data: salt))
                name = "|1|\(Data(salt).base64EncodedString())|\(Data(code).base64EncodedString())"
            }
            return "\(name) ssh-ed25519 \(Data(member.key.blob).base64EncodedString())\n"
        }.joined()
    }

    /// Through `HostKeyVerifier`, as every session does: a new verifier per host.
    func verify(path: String, hosts: Int) throws {
        for member in members.prefix(hosts) {
            let verifier = HostKeyVerifier(knownHostsFiles: [path], policy: .strict, pinnedFingerprint: nil)
            guard case .known = try verifier.verify(host: member.host, port: member.port, key: member.key) else {
                fatalError("\(member.lookupName) not known")
            }
        }
    }

    /// Every host offering a key other than its stored one: each verification is refused as changed.
    func verifyRefused(path: String, hosts: Int) {
        for member in members.prefix(hosts) {
            let verifier = HostKeyVerifier(knownHostsFiles: [path], policy: .strict, pinnedFingerprint: nil)
            var other = member.key
            other.blob[other.blob.count - 1] ^= 0xFF
            let refusal = refusalCode { () throws(HostKeyError) in
                try verifier.verify(host: member.host, port: member.port, key: other)
            }
            guard refusal == .changed else { fatalError("\(member.lookupName): \(String(describing: refusal))") }
        }
    }

    /// The code of the error `body` throws, or nil if it returns.
    private func refusalCode(_ body: () throws(HostKeyError) -> HostKeyTrust) -> HostKeyError.Code? {
        do {
            _ = try body()
            return nil
        } catch {
            return error.code
        }
    }

    /// What `HostKeyVerifier` did before the cache: load and parse the file for every host, scan every line.
    func verifyOldWay(path: String, hosts: Int) throws {
        for member in members.prefix(hosts) {
            let file = try KnownHostsFile.load(path: path)
            if file.entries.contains(where: { $0.marker == .revoked && $0.key.blob == member.key.blob }) {
                fatalError("revoked")
            }
            let matching = file.entries.filter { $0.marker != .revoked && $0.matches(host: member.host, port: member.port) }
            guard matching.contains(where: { $0.marker == nil && $0.key.blob == member.key.blob }) else {
                fatalError("\(member.lookupName) not known the old way")
            }
        }
    }
}
