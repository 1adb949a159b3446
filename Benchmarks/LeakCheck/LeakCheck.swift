import Foundation
import HostKeys
import Transport

/// `cutover-leak-check HOST PORT USER IDENTITY KNOWN_HOSTS [CYCLES] [JUMP_HOST JUMP_PORT]`:
/// connect, run a command (reading its output), disconnect, CYCLES times (default 1000) in one
/// process, printing resident memory, open file descriptors and threads every 100 cycles.
///
/// Each connection owns a socket, an eventfd and a session thread: a leaked session or channel
/// keeps them, so the counts of sockets, eventfds and threads must come back to where they were
/// after the first cycles. Exit 1 when they did not. Built with AddressSanitizer (Scripts/leak-check),
/// LeakSanitizer also reports, at exit, any libssh2 session or channel never freed.
@main
struct LeakCheck {
    static func main() async {
        let arguments = CommandLine.arguments
        guard arguments.count >= 6 else {
            FileHandle.standardError.write(Data("usage: cutover-leak-check HOST PORT USER IDENTITY KNOWN_HOSTS [CYCLES] [JUMP_HOST JUMP_PORT]\n".utf8))
            exit(64)
        }
        let cycles = arguments.count > 6 ? Int(arguments[6]) ?? 1000 : 1000
        var endpoint = SSHEndpoint(
            name: "leak-check", host: arguments[1], port: Int(arguments[2]) ?? 22, user: arguments[3],
            identityFiles: [arguments[4]], knownHostsFiles: [arguments[5]], useAgent: false)
        if arguments.count > 8 {
            var jump = endpoint
            jump.name = "jump"
            jump.host = arguments[7]
            jump.port = Int(arguments[8]) ?? 22
            endpoint.jumpHosts = [jump]
        }
        say("cycles  rss_kib  fds  session_fds  threads  (connect, run 'echo ok; head -c 65536 /dev/zero', close; \(endpoint.jumpHosts.isEmpty ? "direct" : "through a jump host"))")
        var baseline: ProcessFigures?
        var failures = 0
        for cycle in 1...cycles {
            do {
                let connection = try await SSHConnection.connect(to: endpoint)
                let result = try await connection.run("echo ok; head -c 65536 /dev/zero")
                if result.exitStatus != 0 || result.stdout.count != 3 + 65536 { failures += 1 }
                await connection.close()
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("cycle \(cycle): \(error)\n".utf8))
            }
            if cycle == 10 { baseline = ProcessFigures.now() }
            if cycle % 100 == 0 || cycle == 10 {
                let figures = ProcessFigures.now()
                say(String(format: "%6d %8d %4d %12d %8d", cycle, figures.residentKiB, figures.descriptors, figures.sessionDescriptors, figures.threads))
            }
        }
        // A session thread finishes exiting just after `close` returns: let the last ones settle
        // (up to 5 s) before comparing with the baseline.
        let start = baseline ?? ProcessFigures.now()
        var end = ProcessFigures.now()
        for _ in 0..<50 where end.sessionDescriptors > start.sessionDescriptors || end.threads > start.threads {
            try? await Task.sleep(for: .milliseconds(100))
            end = ProcessFigures.now()
        }
        say("after cycle 10: \(start.residentKiB) KiB, \(start.descriptors) fds, \(start.threads) threads; "
              + "at the end: \(end.residentKiB) KiB (\(end.residentKiB - start.residentKiB >= 0 ? "+" : "")\(end.residentKiB - start.residentKiB)), "
              + "\(end.descriptors) fds (\(end.sessionDescriptors) sockets and eventfds, \(start.sessionDescriptors) after cycle 10), \(end.threads) threads; \(failures) failed cycles")
        let added = end.descriptorTargets.filter { start.descriptorTargets[$0.key] != $0.value }.sorted { $0.key < $1.key }
        if !added.isEmpty {
            say("descriptors open at the end but not after cycle 10: " + added.map { "\($0.key) -> \($0.value)" }.joined(separator: ", "))
        }
        if failures > 0 || end.sessionDescriptors > start.sessionDescriptors || end.threads > start.threads {
            say("leak-check: FAILED (failed cycles, or sockets, eventfds or threads left behind)")
            exit(1)
        }
        say("leak-check: ok (no socket, eventfd or thread left behind)")
    }
}

/// One line on standard output, written at once (progress shows while the cycles run).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
