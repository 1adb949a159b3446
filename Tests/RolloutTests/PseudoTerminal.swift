import Foundation
import TestSupport

/// Runs a command with a real pseudo-terminal as its stdin, stdout and stderr (python3's pty
/// support), the way a person at a terminal runs it; optionally sends Ctrl-C (SIGINT) once a
/// text has appeared, or types an answer (and Enter) once a prompt has appeared. Returns everything the terminal received, escape sequences included.
enum PseudoTerminal {
    struct Result {
        var status: Int32
        var screen: String
    }

    private static let runner = """
    import fcntl, os, signal, struct, subprocess, sys, termios
    out, rows, cols, interrupt_on, answer_on, answer = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    child = subprocess.Popen(sys.argv[7:], stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    data, sent, answered = b"", False, False
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
        if interrupt_on and not sent and interrupt_on.encode() in data:
            child.send_signal(signal.SIGINT)
            sent = True
        if answer_on and not answered and answer_on.encode() in data:
            os.write(master, answer.encode() + b"\\n")
            answered = True
    code = child.wait()
    open(out, "wb").write(data)
    sys.exit(code if code >= 0 else 128 - code)
    """

    static func run(_ arguments: [String], environment: [String: String], rows: Int = 30, columns: Int = 100,
                    interruptOn: String = "", answer: (on: String, text: String)? = nil, in directory: String) async throws -> Result {
        let capture = directory + "/pty-\(UUID().uuidString).out"
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        let result = try await Shell.runDetached(
            ["python3", "-c", runner, capture, String(rows), String(columns), interruptOn, answer?.on ?? "", answer?.text ?? ""] + arguments,
            environment: env)
        let screen = (try? String(contentsOfFile: capture, encoding: .utf8)) ?? ""
        guard FileManager.default.fileExists(atPath: capture) else { throw TestSupportError("pty runner failed: \(result.output)") }
        return Result(status: result.status, screen: screen)
    }
}
