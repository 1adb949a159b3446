import Foundation
import Synchronization
import Testing
import TestSupport
@testable import Transport

/// ssh_config `ProxyCommand` against real sshd hosts: the session runs over the command's stdin
/// and stdout, the command is stopped by pid when the session ends, its stderr reaches the log.
@Suite("ProxyCommand", .timeLimit(.minutes(2)))
struct ProxyCommandTests {
    @Test func aHostUnreachableDirectlyIsReachedThroughSSHDashW() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            var target = fleet.endpoint("h2")
            // Root (this process and the ssh it starts) may not reach h2; h1's sshd forwards as 'cutover'.
            let fault = try await NetworkFault.install(["ip daddr \(target.host) tcp dport \(target.port) meta skuid 0 reject with tcp reset"])
            do {
                await #expect(throws: SSHError.self) {
                    _ = try await SSHConnection.connect(to: target, options: SSHOptions(connectTimeout: .seconds(3)))
                }
                target.proxyCommand = "ssh -F \(fleet.sshConfigPath) -W %h:%p h1"
                let connection = try await SSHConnection.connect(to: target)
                #expect(try await connection.run("hostname").stdoutText == "h2\n")
                let big = try await connection.run("head -c 2000000 /dev/zero | tr '\\0' x", timeout: .seconds(30))
                #expect(big.stdout.count == 2_000_000)
                await connection.close()
            } catch {
                await fault.remove()
                throw error
            }
            await fault.remove()
        }
    }

    @Test func theCommandIsStoppedWhenTheSessionEndsAndItsStderrIsLogged() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let marker = "cutover-proxy-\(UUID().uuidString)"
            let script = fleet.directory + "/\(marker).sh"
            // Not `exec`: the script's own process stays, so its pid is the one to find and stop.
            try "#!/bin/bash\necho \"proxy to $1:$2\" >&2\nexec 3<>/dev/tcp/$1/$2\ncat <&3 &\ncat >&3\nwait\n"
                .write(toFile: script, atomically: true, encoding: .utf8)
            chmod(script, 0o755)
            let lines = Mutex<[String]>([])
            let log = ProxyCommandLog { host, line in lines.withLock { $0.append("\(host): \(line)") } }
            var target = fleet.endpoint("h1")
            target.proxyCommand = "\(script) %h %p"
            let connection = try await SSHConnection.connect(to: target, options: SSHOptions(proxyLog: log))
            #expect(try await connection.run("echo through").stdoutText == "through\n")
            #expect(Self.processes(containing: marker) == 1)
            await connection.close()
            #expect(Self.processes(containing: marker) == 0)
            #expect(lines.withLock { $0 } == ["h1: proxy to \(target.host):\(target.port)"])
        }
    }

    /// The terminal's Ctrl-C reaches Cutover's whole process group, proxies included; a deploy's
    /// first one finishes the running wave, so the proxy ignores SIGINT (here `ssh -W`, which
    /// quits on a SIGINT it does not ignore) and the session goes on; SIGTERM still stops it.
    @Test func theCommandIgnoresSIGINTAndTheSessionGoesOn() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let marker = fleet.directory + "/proxy-\(UUID().uuidString).log"
            var target = fleet.endpoint("h2")
            target.proxyCommand = "ssh -F \(fleet.sshConfigPath) -E \(marker) -W %h:%p h1"
            let connection = try await SSHConnection.connect(to: target)
            #expect(try await connection.run("hostname").stdoutText == "h2\n")
            let proxies = Self.pids(containing: marker)
            #expect(proxies.count == 1)
            for pid in proxies {
                #expect(Self.ignoredSignals(of: pid) & (1 << (SIGINT - 1)) != 0, "SIGINT not ignored by the proxy")
                #expect(Self.ignoredSignals(of: pid) & (1 << (SIGTERM - 1)) == 0, "SIGTERM ignored by the proxy")
                kill(pid, SIGINT)
            }
            #expect(try await connection.run("hostname").stdoutText == "h2\n")
            #expect(Self.pids(containing: marker) == proxies)
            await connection.close()
            #expect(Self.pids(containing: marker).isEmpty)
        }
    }

    /// The `SigIgn` mask of `/proc/PID/status` (bit N-1 for signal N).
    static func ignoredSignals(of pid: pid_t) -> UInt64 {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("SigIgn:") } ?? ""
        return UInt64(line.dropFirst("SigIgn:".count).trimmingCharacters(in: .whitespaces), radix: 16) ?? 0
    }

    /// Live processes (not zombies) whose command line contains `text`.
    static func pids(containing text: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(text) && !state.contains(") Z ")
        }.sorted()
    }

    @Test func aCommandThatFailsSaysSo() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            var target = fleet.endpoint("h1")
            // Run as ssh runs it, `exec COMMAND`: the command's own status is what is reported.
            target.proxyCommand = "sh -c 'echo no route >&2; exit 3'"
            do {
                _ = try await SSHConnection.connect(to: target, options: SSHOptions(connectTimeout: .seconds(5)))
                Issue.record("connected through a proxy command that exited")
            } catch let error as SSHError {
                #expect(error.message.contains("ProxyCommand 'sh -c 'echo no route >&2; exit 3''"), "\(error.message)")
                #expect(error.message.contains("exited with status 3"), "\(error.message)")
            }
        }
    }

    /// The command gets the session's socket on stdin and stdout and its stderr, nothing else: no
    /// socket, pipe or file the runner holds (sessions to other hosts, the ledger) leaks into it.
    @Test func theCommandInheritsOnlyItsStandardDescriptors() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let listing = fleet.directory + "/proxy-fds-\(UUID().uuidString)"
            // A descriptor the runner holds open, not close-on-exec, as a plain open(2) leaves it.
            let held = open(fleet.directory + "/held-\(UUID().uuidString)", O_CREAT | O_RDWR, 0o600)
            #expect(held > 2)
            defer { close(held) }
            var target = fleet.endpoint("h1")
            // bash lists its own descriptors (fd 3 for /dev/tcp is opened afterwards), then relays.
            target.proxyCommand = "bash -c 'ls /proc/$$/fd > \(listing); exec 3<>/dev/tcp/$0/$1; cat <&3 & cat >&3; wait' %h %p"
            for options in [SSHOptions(), SSHOptions(proxyLog: ProxyCommandLog { _, _ in })] {
                let connection = try await SSHConnection.connect(to: target, options: options)
                #expect(try await connection.run("echo through").stdoutText == "through\n")
                await connection.close()
                let descriptors = try String(contentsOfFile: listing, encoding: .utf8).split(separator: "\n")
                #expect(descriptors == ["0", "1", "2"], "the proxy command held descriptors \(descriptors)")
            }
        }
    }

    @Test func tokensAreExpandedAsSSHDoesWhenItConnects() throws {
        let endpoint = SSHEndpoint(name: "web-1", host: "10.0.0.5", port: 2222, user: "deploy")
        #expect(try ProxyCommand.expand("ssh -W %h:%p -l %r gw # %n 100%%", endpoint: endpoint)
            == "ssh -W 10.0.0.5:2222 -l deploy gw # web-1 100%")
        #expect(throws: SSHError.self) { try ProxyCommand.expand("nc %x", endpoint: endpoint) }
    }

    /// Valid inventory values go in as ssh puts them, unquoted (the command is the one ssh runs).
    @Test func validValuesAreExpandedUnquoted() throws {
        let endpoint = SSHEndpoint(name: "db_1.example", host: "fe80::1%eth0", port: 22, user: "alice@corp.example.com")
        #expect(try ProxyCommand.expand("nc %h %p # %r %n", endpoint: endpoint) == "nc fe80::1%eth0 22 # alice@corp.example.com db_1.example")
    }

    /// Defence in depth: a hostile address, user or name that slipped past the inventory's checks
    /// reaches the real `/bin/sh` as one word, byte for byte, and runs nothing.
    @Test func aHostileValueThatGetsHereRunsNothing() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/cutover-proxy-quote-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let host = "127.77.1.10$(touch${IFS}\(directory)/PWNED);touch \(directory)/PWNED2 `touch \(directory)/PWNED3` 'q'"
        let endpoint = SSHEndpoint(name: "a b", host: host, port: 22, user: "machine$")
        let proxy = try ProxyCommand.start(for: endpoint, template: "echo %h %r %n > \(directory)/out", log: nil)
        var ended: String?
        for _ in 0..<100 where ended == nil { ended = proxy.exitDescription() }
        proxy.stop()
        #expect(ended == "exited with status 0")
        for marker in ["PWNED", "PWNED2", "PWNED3"] {
            #expect(!FileManager.default.fileExists(atPath: directory + "/" + marker), "\(marker) was created")
        }
        #expect(try String(contentsOfFile: directory + "/out", encoding: .utf8) == "\(host) machine$ a b\n")
    }

    /// Live processes whose command line contains `text`.
    static func processes(containing text: String) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { Int($0) != nil }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            return String(decoding: data, as: UTF8.self).contains(text) && !state.contains(") Z ")
        }.count
    }
}
