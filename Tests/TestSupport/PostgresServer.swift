public import Foundation
import Glibc

/// A real PostgreSQL server (Debian's `postgresql`) in a directory of the test's own, listening
/// only on a unix socket there; started and stopped by pid by the test that needs it. As root,
/// it runs as the `postgres` user (the server refuses root).
public final class PostgresServer: Sendable {
    /// A libpq URI for the `postgres` database as superuser `postgres` (trust auth on the socket).
    public let url: String
    public let socketDirectory: String
    private let process: Process

    public static func start(in directory: String) async throws -> PostgresServer {
        let bin = try binDirectory()
        let data = directory + "/pgdata", sockets = directory + "/pgsock", log = directory + "/postgres.log"
        for path in [data, sockets] { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        var prefix: [String] = []
        if getuid() == 0 {
            guard let user = getpwnam("postgres") else { throw TestSupportError("no postgres user (apt-get install postgresql)") }
            for path in [data, sockets, log] { chown(path, user.pointee.pw_uid, user.pointee.pw_gid) }
            prefix = ["/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres", "--clear-groups"]
        }
        let initdb = try await Shell.runDetached(prefix + [bin + "/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
        guard initdb.status == 0 else { throw TestSupportError("initdb failed: \(initdb.output)") }

        // Only a unix socket in this directory listens; the port still names the socket and keys
        // the server's System V shared memory, so servers started side by side each get their own.
        let port = Int.random(in: 20_000..<60_000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: prefix.first ?? bin + "/postgres")
        process.arguments = Array(prefix.dropFirst()) + (prefix.isEmpty ? [] : [bin + "/postgres"]) + [
            "-D", data, "-k", sockets, "-p", String(port), "-c", "listen_addresses=", "-c", "fsync=off",
            "-c", "full_page_writes=off", "-c", "synchronous_commit=off",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        let server = PostgresServer(url: "postgresql:///postgres?host=\(sockets)&port=\(port)&user=postgres",
                                    socketDirectory: sockets, process: process)
        for _ in 0..<200 {
            if !process.isRunning {
                throw TestSupportError("postgres exited: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            }
            let ready = try await Shell.runDetached([bin + "/pg_isready", "-q", "-h", sockets, "-p", String(port)])
            if ready.status == 0 { return server }
            try await Task.sleep(for: .milliseconds(100))
        }
        server.stop()
        throw TestSupportError("postgres did not become ready: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    private init(url: String, socketDirectory: String, process: Process) {
        self.url = url
        self.socketDirectory = socketDirectory
        self.process = process
    }

    /// Runs SQL with psql as the superuser; returns its output (unaligned, tuples only).
    public func psql(_ sql: String) async throws -> String {
        let result = try await Shell.runDetached([try Self.binDirectory() + "/psql", url, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        guard result.status == 0 else { throw TestSupportError("psql failed: \(result.output)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts psql, runs `statements` in its session and leaves it idle and connected (e.g.
    /// holding a lock, as a runner does while it deploys); the caller stops it by pid.
    public func session(_ statements: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.binDirectory() + "/psql")
        process.arguments = [url, "-X", "-q"]
        let input = Pipe()
        process.standardInput = input  // kept open by the process object: psql waits for more
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data(statements.map { $0 + ";\n" }.joined().utf8))
        return process
    }

    /// Fast shutdown (SIGINT) by pid; SIGKILL if it lingers.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGINT)
            for _ in 0..<200 where process.isRunning { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
    }

    /// The newest installed server's bin directory (`/usr/lib/postgresql/N/bin`).
    static func binDirectory() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .filter { FileManager.default.isExecutableFile(atPath: "\(root)/\($0)/bin/postgres") }
            .sorted { (Int($0) ?? 0) < (Int($1) ?? 0) }
        guard let newest = versions.last else { throw TestSupportError("no PostgreSQL server in \(root) (apt-get install postgresql)") }
        return "\(root)/\(newest)/bin"
    }
}
