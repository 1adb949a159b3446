import Foundation
import HostKeys
import Transport

/// `cutover-leak-check HOST PORT USER IDENTITY KNOWN_HOSTS [CYCLES] [JUMP_HOST JUMP_PORT]`:
/// connect, run a command (reading its output), disconnect, CYCLES times (default 1000) in one
/// process, printing resident memory, open file descriptors and threads every 100 cycles.
///
/// Each connection owns a socket, an eventfd and a session thread: a leaked session or channel
/// keeps them, so the descriptor and thread counts must come back to where they were after the
/// first cycles. Exit 1 when they did not. Built with AddressSanitizer (Scripts/leak-check),
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
        print("cycles  rss_kib  fds  threads  (connect, run 'echo ok; head -c 65536 /dev/zero', close; \(endpoint.jumpHosts.isEmpty ? "direct" : "through a jump host"))")
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
                print(String(format: "%6d %8d %4d %8d", cycle, figures.residentKiB, figures.descriptors, figures.threads))
            }
        }
        // A session thread finishes exiting just after `close` returns: let the last ones settle
        // (up to 5 s) before comparing with the baseline.
        let start = baseline ?? ProcessFigures.now()
        var end = ProcessFigures.now()
        for _ in 0..<50 where end.descriptors > start.descriptors || end.threads > start.threads {
            try? await Task.sleep(for: .milliseconds(100))
            end = ProcessFigures.now()
        }
        print("after cycle 10: \(start.residentKiB) KiB, \(start.descriptors) fds, \(start.threads) threads; "
              + "at the end: \(end.residentKiB) KiB (\(end.residentKiB - start.residentKiB >= 0 ? "+" : "")\(end.residentKiB - start.residentKiB)), "
              + "\(end.descriptors) fds, \(end.threads) threads; \(failures) failed cycles")
        if failures > 0 || end.descriptors > start.descriptors || end.threads > start.threads {
            print("leak-check: FAILED (failed cycles, or descriptors or threads left behind)")
            exit(1)
        }
        print("leak-check: ok (no descriptor or thread left behind)")
    }
}
