import Foundation
import Glibc

/// A real nginx (Debian's `nginx-light` or `nginx`) serving an artifact store over HTTP on a
/// loopback address, as a web server, a CDN or an S3-compatible store would: `/releases/` serves
/// the store's directory (to a request carrying `?token=TOKEN` only, when a token is given),
/// `/missing/` answers 404 to everything, `/corrupt/` serves another directory (bytes other than
/// the names promise). Runs in the foreground as one process (`master_process off`) and is
/// stopped by its pid.
public final class NginxStore: Sendable {
    /// `http://ADDRESS:PORT`.
    public let base: String
    /// The requests nginx answered, one line each: `ADDRESS "GET /path?query HTTP/1.1" STATUS BYTES`.
    public let accessLog: String
    private let process: Process

    /// Starts nginx and waits until it answers. A missing nginx is an error saying how to install it.
    public static func start(in directory: String, address: String = "127.0.0.1", store: String, corrupt: String? = nil,
                             token: String? = nil) async throws -> NginxStore {
        guard let binary = ["/usr/sbin/nginx", "/usr/bin/nginx"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestSupportError("nginx is not installed (the pull tests serve the artifact store with it): run Scripts/install-deps (Debian package nginx-light)")
        }
        try FileManager.default.createDirectory(atPath: directory + "/tmp", withIntermediateDirectories: true)
        let port = try freePort(address)
        let guardToken = token.map { "if ($arg_token != \"\($0)\") { return 403; }" } ?? ""
        let config = directory + "/nginx.conf"
        let accessLog = directory + "/access.log"
        try """
        daemon off;
        master_process off;
        worker_processes 1;
        pid \(directory)/nginx.pid;
        error_log \(directory)/error.log warn;
        events { worker_connections 1024; }
        http {
          log_format store '$remote_addr "$request" $status $body_bytes_sent';
          access_log \(accessLog) store;
          client_body_temp_path \(directory)/tmp/body;
          proxy_temp_path \(directory)/tmp/proxy;
          fastcgi_temp_path \(directory)/tmp/fastcgi;
          uwsgi_temp_path \(directory)/tmp/uwsgi;
          scgi_temp_path \(directory)/tmp/scgi;
          sendfile on;
          default_type application/octet-stream;
          server {
            listen \(address):\(port);
            location /releases/ { \(guardToken) alias \(store)/; }
            location /missing/ { return 404; }
            location /corrupt/ { alias \(corrupt ?? directory + "/none")/; }
          }
        }
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-p", directory, "-c", config, "-e", directory + "/error.log"]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let server = NginxStore(base: "http://\(address):\(port)", accessLog: accessLog, process: process)
        for _ in 0..<200 {
            if !process.isRunning {
                throw TestSupportError("nginx exited: \((try? String(contentsOfFile: directory + "/error.log", encoding: .utf8)) ?? "")")
            }
            if Self.accepts(address, port) { return server }
            try await Task.sleep(for: .milliseconds(50))
        }
        server.stop()
        throw TestSupportError("nginx did not start listening on \(address):\(port)")
    }

    private init(base: String, accessLog: String, process: Process) {
        self.base = base
        self.accessLog = accessLog
        self.process = process
    }

    /// The access log's lines so far.
    public var requests: [String] {
        ((try? String(contentsOfFile: accessLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<100 where process.isRunning { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
    }

    private static func accepts(_ address: String, _ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, address, &addr.sin_addr)
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
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
