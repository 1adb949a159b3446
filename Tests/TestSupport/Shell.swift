import Foundation

/// Runs local programs for tests and collects their combined output.
public enum Shell {
    public struct Result: Sendable {
        public let status: Int32
        public let output: String
        public let stdout: String
        public let stderr: String
    }

    /// Runs a program on a thread of its own, so the cooperative pool is never blocked.
    @discardableResult
    public static func runDetached(_ arguments: [String], environment: [String: String]? = nil, input: String? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Swift.Result { try run(arguments, environment: environment, input: input) })
            }
            thread.start()
        }
    }

    /// Runs `arguments[0]` with the rest as arguments; waits for it to exit (blocking the caller's thread).
    @discardableResult
    public static func run(_ arguments: [String], environment: [String: String]? = nil, input: String? = nil) throws -> Result {
        IsolatedState.ensure
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0].hasPrefix("/") ? arguments[0] : "/usr/bin/env")
        process.arguments = arguments[0].hasPrefix("/") ? Array(arguments.dropFirst()) : arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdin.fileHandleForWriting.close()
        // Read both pipes concurrently so neither fills up.
        let box = OutputBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            box.setErr(err.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let stdoutText = String(decoding: outData, as: UTF8.self)
        let stderrText = String(decoding: box.err, as: UTF8.self)
        return Result(status: process.terminationStatus, output: stdoutText + stderrText, stdout: stdoutText, stderr: stderrText)
    }
}

private final class OutputBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func setErr(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    var err: Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// Paths inside the repository, found from this source file.
public enum RepositoryPaths {
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    public static var testFleetScript: String { root + "/Scripts/test-fleet" }

    /// The built `cutover` executable, next to the test bundle.
    public static var cutoverExecutable: String {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        url.deleteLastPathComponent()
        let beside = url.path + "/cutover"
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return root + "/.build/debug/cutover"
    }
}
