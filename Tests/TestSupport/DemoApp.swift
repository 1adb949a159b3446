public import Foundation

/// The demo app (Playbooks/demo-app) for tests: artifacts built with a version, an error rate
/// and health, an unprivileged nginx in front of its two blue/green slots on each host, and an
/// HTTP poller that records what every host's nginx answers while a deploy runs.
public struct DemoApp: Sendable {
    public let fleet: TestFleet
    public let directory: String

    public static var source: String { RepositoryPaths.root + "/Playbooks/demo-app" }

    public init(fleet: TestFleet) throws {
        self.fleet = fleet
        directory = fleet.directory + "/demo-app"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// Builds `demo-NAME.tar.gz` (NAME: `name`, else the version) from the app's source and an
    /// `app.conf`; `settings` adds lines to it (the app's fault switches, `KEY=VALUE`).
    public func artifact(version: String, errorPercent: Int = 0, healthy: Bool = true, settings: [String] = [], name: String? = nil) async throws -> String {
        let tree = directory + "/tree-\(name ?? version)"
        let path = directory + "/demo-\(name ?? version).tar.gz"
        let conf = "VERSION=\(version)\nERROR_PERCENT=\(errorPercent)\nHEALTHY=\(healthy ? "yes" : "no")\n" + settings.map { $0 + "\n" }.joined()
        let result = try await Shell.runDetached(["sh", "-c", """
            set -e; rm -rf "$1"; mkdir -p "$1"; cp -R "$2"/. "$1"/; printf '%s' "$3" > "$1/app.conf"; tar -czf "$4" --mode=go-w -C "$1" .
            """, "sh", tree, Self.source, conf, path])
        guard result.status == 0 else { throw TestSupportError(result.output) }
        return path
    }

    /// Starts nginx (as the hosts' login user, inside each host) on `address:proxyPort`, in
    /// front of `blue`'s port until the first switch. `root` is the app's deploy root.
    public func startNginx(root: String, proxyPort: Int, bluePort: Int) async throws {
        for member in fleet.members {
            let result = try await ssh(member.name, "sh -s \(root)/nginx \(member.address) \(proxyPort) \(bluePort) && mkdir -p \(root)",
                                       input: try String(contentsOfFile: Self.source + "/bin/nginx-setup", encoding: .utf8))
            guard result.status == 0 else { throw TestSupportError("nginx on \(member.name): \(result.output)") }
        }
    }

    /// Runs a command on a test host with OpenSSH (the fleet's own ssh_config).
    public func ssh(_ host: String, _ command: String, input: String? = nil) async throws -> Shell.Result {
        try await Shell.runDetached(["ssh", "-F", fleet.sshConfigPath, host, command], input: input)
    }

    /// One GET: (status, body), status 0 when the connection failed.
    public static func get(_ url: String) async throws -> (status: Int, body: String) {
        let result = try await Shell.runDetached(["python3", "-c", Self.getScript, url])
        let parts = result.output.split(separator: " ", maxSplits: 1).map(String.init)
        return (Int(parts.first ?? "") ?? 0, parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespacesAndNewlines) : "")
    }

    static let getScript = """
        import sys, urllib.request, urllib.error
        try:
            r = urllib.request.urlopen(sys.argv[1], timeout=2); print(r.status, r.read().decode().strip())
        except urllib.error.HTTPError as e:
            print(e.code, e.read().decode().strip())
        except Exception as e:
            print(0, type(e).__name__)
        """
}

/// Polls URLs in a python3 process every 20 ms until stopped (at most `limit`), recording
/// `time url status body` lines: what clients saw while a deploy ran.
public final class HTTPPoller: Sendable {
    public struct Sample: Sendable, Hashable {
        public let time: Date
        public let url: String
        public let status: Int
        public let body: String
    }

    private let output: String
    private let stopFile: String
    private let process = Process()

    public init(urls: [String], directory: String, limit: Duration = .seconds(120)) throws {
        output = directory + "/poll-\(UUID().uuidString).txt"
        stopFile = output + ".stop"
        let script = """
            import sys, time, urllib.request, urllib.error
            out, stop, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
            urls = sys.argv[4:]
            end = time.time() + limit
            import os
            with open(out, "w", buffering=1) as f:
                while time.time() < end and not os.path.exists(stop):
                    for url in urls:
                        try:
                            r = urllib.request.urlopen(url, timeout=2); status, body = r.status, r.read().decode().strip()
                        except urllib.error.HTTPError as e:
                            status, body = e.code, e.read().decode().strip()
                        except Exception as e:
                            status, body = 0, type(e).__name__
                        f.write("%f %s %d %s\\n" % (time.time(), url, status, body.replace("\\n", " ")))
                    time.sleep(0.02)
            """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, output, stopFile, String(limit.components.seconds)] + urls
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Waits (bounded) until every URL has been answered `rounds` times: on a loaded machine
    /// the poller starts late, and a test must not act before it watches.
    public func waitUntilWatching(_ urls: [String], rounds: Int = 3, within limit: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let seen = samples()
            if urls.allSatisfy({ url in seen.filter { $0.url == url }.count >= rounds }) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSupportError("the HTTP poller did not answer for every URL within \(limit)")
    }

    /// Stops the poller (by its pid, after asking it to stop) and returns what it saw.
    public func stop() async -> [Sample] {
        _ = FileManager.default.createFile(atPath: stopFile, contents: Data())
        for _ in 0..<100 where process.isRunning {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        return samples()
    }

    private func samples() -> [Sample] {
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
            guard parts.count >= 3, let time = Double(parts[0]), let status = Int(parts[2]) else { return nil }
            return Sample(time: Date(timeIntervalSince1970: time), url: parts[1], status: status, body: parts.count > 3 ? parts[3] : "")
        }
    }
}
