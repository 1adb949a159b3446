import CSpawn
import Foundation
import Glibc

/// An ssh_config `ProxyCommand` running for one connection: `/bin/sh -c "trap '' INT; exec
/// COMMAND"` with its stdin and stdout on one end of a socket pair; the other end is the SSH
/// session's socket. It inherits no other descriptor than those and its stderr, and it ignores
/// SIGINT: a Ctrl-C is Cutover's to handle (a deploy's first one finishes the running wave,
/// through this session).
///
/// Tokens are expanded as ssh does when it connects: `%h` the address, `%p` the port, `%r` the
/// remote user, `%n` the host's name, `%%` a percent sign; any other token is an error. Values are
/// put in unquoted, as ssh does, when a shell reads them literally; any other value is quoted
/// (``shellWord(_:)``), so an address or user cannot run commands here. Unlike
/// ssh, which uses `$SHELL`, the command always runs under `/bin/sh`, so what it means does not
/// depend on the login shell of whoever runs Cutover. Its stderr goes to ``ProxyCommandLog``
/// when one is given (`--verbose`), else to `/dev/null`.
///
/// - Important: ``stop()`` must be called when the session ends (or never opened): it ends the
///   process by its pid (SIGTERM, then SIGKILL after a second) and reaps it.
final class ProxyCommand {
    let pid: pid_t
    /// The session's end of the socket pair; owned by the session once it exists.
    let socket: Int32
    let commandLine: String
    private var stderrReader: Thread?
    private var stopped = false

    /// The command line with ssh's connect-time tokens expanded.
    static func expand(_ template: String, endpoint: SSHEndpoint) throws(SSHError) -> String {
        var result = ""
        var iterator = template.makeIterator()
        while let character = iterator.next() {
            guard character == "%" else {
                result.append(character)
                continue
            }
            switch iterator.next() {
            case "%": result.append("%")
            case "h": result += shellWord(endpoint.host)
            case "p": result += String(endpoint.port)
            case "r": result += shellWord(endpoint.user)
            case "n": result += shellWord(endpoint.name)
            case let other:
                throw SSHError(.connect, about: endpoint.name, "ProxyCommand '\(template)': unknown token '%\(other.map(String.init) ?? "")'")
            }
        }
        return result
    }

    /// A token's value as it goes into the command: as is when a shell reads every character of it
    /// literally (the only values an inventory may give, ``Fleet``'s `ConnectionValue`), so the
    /// command is the one ssh would run; otherwise single-quoted, so a value that slipped past the
    /// inventory's checks (`$(…)`, `;`, a space) is one word and never runs.
    static func shellWord(_ value: String) -> String {
        let literal = !value.isEmpty && value.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-:%@+=,/".unicodeScalars.contains(scalar))
        }
        return literal ? value : ShellQuote.quote(value)
    }

    /// Starts the command for `endpoint`.
    static func start(for endpoint: SSHEndpoint, template: String, log: ProxyCommandLog?) throws(SSHError) -> ProxyCommand {
        let command = try expand(template, endpoint: endpoint)
        var pair: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw SSHError(.connect, about: endpoint.name, "socketpair failed: \(String(cString: strerror(errno)))")
        }
        var errorPipe: [Int32] = [-1, -1]
        if log != nil {
            if pipe(&errorPipe) == 0 {
                for fd in errorPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            } else {
                errorPipe = [-1, -1]
            }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pair[1], 0)
        posix_spawn_file_actions_adddup2(&actions, pair[1], 1)
        if errorPipe[1] >= 0 {
            posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        // Nothing else the runner holds (sessions to other hosts, the ledger, pipes, files opened
        // without O_CLOEXEC) reaches the command; ssh closes them the same way (closefrom).
        let closing = cutover_spawn_file_actions_addclosefrom(&actions, 3)
        guard closing == 0 else {
            Glibc.close(pair[0])
            Glibc.close(pair[1])
            for fd in errorPipe where fd >= 0 { Glibc.close(fd) }
            throw SSHError(.connect, about: endpoint.name, "cannot prepare ProxyCommand: \(String(cString: strerror(closing)))")
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A fresh signal mask and default handlers: the command must not inherit Cutover's.
        let signals = cutover_spawnattr_fresh_signals(&attributes)
        guard signals == 0 else {
            Glibc.close(pair[0])
            Glibc.close(pair[1])
            for fd in errorPipe where fd >= 0 { Glibc.close(fd) }
            throw SSHError(.connect, about: endpoint.name, "cannot prepare ProxyCommand: \(String(cString: strerror(signals)))")
        }
        // SIGINT ignored (`trap ''`; an ignored signal stays ignored across exec): the terminal's
        // Ctrl-C reaches Cutover's whole process group, and the first one of a deploy asks to finish
        // the running wave, which needs the sessions through the proxy. SIGTERM and SIGKILL (`stop`)
        // keep their default.
        let argv: [String] = ["/bin/sh", "-c", "trap '' INT; exec " + command]
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &cArguments, environ)
        Glibc.close(pair[1])
        if errorPipe[1] >= 0 { Glibc.close(errorPipe[1]) }
        guard rc == 0 else {
            Glibc.close(pair[0])
            if errorPipe[0] >= 0 { Glibc.close(errorPipe[0]) }
            throw SSHError(.connect, about: endpoint.name, "cannot start ProxyCommand '\(command)': \(String(cString: strerror(rc)))")
        }
        let proxy = ProxyCommand(pid: pid, socket: pair[0], commandLine: command)
        if let log, errorPipe[0] >= 0 {
            proxy.stderrReader = Self.forward(errorPipe[0], to: log, host: endpoint.name)
        }
        return proxy
    }

    private init(pid: pid_t, socket: Int32, commandLine: String) {
        self.pid = pid
        self.socket = socket
        self.commandLine = commandLine
    }

    /// Hands each line the command writes to stderr to `log`, until the command closes it.
    private static func forward(_ fd: Int32, to log: ProxyCommandLog, host: String) -> Thread {
        let thread = Thread {
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                pending += buffer[0..<n]
                while let newline = pending.firstIndex(of: 10) {
                    log.record(host: host, line: String(decoding: pending[..<newline], as: UTF8.self))
                    pending.removeFirst(newline + 1)
                }
            }
            if !pending.isEmpty { log.record(host: host, line: String(decoding: pending, as: UTF8.self)) }
            Glibc.close(fd)
        }
        thread.name = "ProxyCommand stderr \(host)"
        thread.start()
        return thread
    }

    /// `exited with status 1` when the command has ended (waiting up to 0.2 s for a command that
    /// just closed its end to be reaped), nil while it runs (it is then left running).
    func exitDescription() -> String? {
        guard !stopped else { return nil }
        var status: Int32 = 0
        for _ in 0..<20 {
            if waitpid(pid, &status, WNOHANG) == pid {
                stopped = true
                return Self.describe(status)
            }
            usleep(10_000)
        }
        return nil
    }

    /// Ends the command by its pid and reaps it. Safe to call more than once.
    func stop() {
        guard !stopped else { return }
        stopped = true
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { return }
        kill(pid, SIGTERM)
        for _ in 0..<100 {
            if waitpid(pid, &status, WNOHANG) == pid { return }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    private static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "exited with status \((status >> 8) & 0xff)" }
        return "was killed by signal \(signal)"
    }

    deinit {
        stop()
    }
}

/// Where a `ProxyCommand`'s stderr goes (`--verbose`); compared by identity.
public final class ProxyCommandLog: Sendable, Hashable {
    private let sink: @Sendable (_ host: String, _ line: String) -> Void

    public init(_ sink: @escaping @Sendable (_ host: String, _ line: String) -> Void) {
        self.sink = sink
    }

    func record(host: String, line: String) { sink(host, line) }

    public static func == (lhs: ProxyCommandLog, rhs: ProxyCommandLog) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
