import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc

/// A real Prometheus (Debian's `prometheus`) scraping given targets every second, listening on
/// a loopback address; started and stopped by pid by the test that needs it.
public final class PrometheusServer: Sendable {
    public let url: String
    private let process: Process
    private let directory: String

    /// Starts Prometheus and waits until it is ready (and has scraped once).
    public static func start(in directory: String, address: String, targets: [String]) async throws -> PrometheusServer {
        let port = try freePort(address)
        let config = directory + "/prometheus.yml"
        let list = targets.map { "'\($0)'" }.joined(separator: ", ")
        try """
        global: { scrape_interval: 1s, evaluation_interval: 1s }
        scrape_configs:
          - job_name: app
            scrape_interval: 1s
            static_configs: [ { targets: [\(list)] } ]
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
        process.arguments = ["--config.file=\(config)", "--storage.tsdb.path=\(directory)/tsdb",
                             "--web.listen-address=\(address):\(port)", "--log.level=warn"]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        let log = FileManager.default.createFile(atPath: directory + "/prometheus.log", contents: nil)
        _ = log
        process.standardError = FileHandle(forWritingAtPath: directory + "/prometheus.log")
        try process.run()
        let server = PrometheusServer(url: "http://\(address):\(port)", process: process, directory: directory)
        for _ in 0..<200 {
            if !process.isRunning { throw TestSupportError("prometheus exited: \((try? String(contentsOfFile: directory + "/prometheus.log", encoding: .utf8)) ?? "")") }
            if let (data, _) = try? await URLSession.shared.data(from: URL(string: server.url + "/api/v1/query?query=up")!),
               let text = String(data: data, encoding: .utf8), text.contains("\"value\"") {
                return server
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        server.stop()
        throw TestSupportError("prometheus did not become ready")
    }

    private init(url: String, process: Process, directory: String) {
        self.url = url
        self.process = process
        self.directory = directory
    }

    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<100 where process.isRunning { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
    }

    private static func freePort(_ address: String) throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, address, &addr.sin_addr)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw TestSupportError("no free port on \(address)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
