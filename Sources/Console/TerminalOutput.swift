import Diagnostics
import Glibc
import Synchronization

/// stdout and stderr of the process, written a whole line at a time from any thread.
///
/// Every line passes through ``SecretRedaction`` on its way out, then ``TerminalSafeText``: what
/// ``out(_:)`` and ``err(_:)`` write is content, so a control character in it is shown, never
/// obeyed (a newline separates lines). The only escape sequences Cutover writes are its own: the
/// live view's colours (``LiveFrame``) and cursor control. While a live view is drawn on
/// stderr (``drawLive(_:)``), a line written to either stream is put above it: the live lines
/// are erased, the line written, and the live lines drawn again.
///
/// - Important: the state is process-wide (there is one terminal); instances are only handles.
public final class TerminalOutput: Sendable {
    private struct Screen {
        /// Lines of the live view currently on stderr (0 when none is drawn).
        var liveLines: [String] = []
        var cursorHidden = false
    }

    private static let screen = Mutex(Screen())

    /// Where ``out(_:)`` writes: stdout, or stderr for text beside a machine format on stdout.
    private let outDescriptor: Int32

    public init() { outDescriptor = 1 }

    /// A handle whose ``out(_:)`` writes to stderr too: the plain text of a run whose stdout
    /// carries JSON (a CI log then still shows progress and the summary).
    public init(everythingToStderr: Bool) { outDescriptor = everythingToStderr ? 2 : 1 }

    public func out(_ text: String) { Self.writeLine(text, to: outDescriptor) }
    public func err(_ text: String) { Self.writeLine(text, to: 2) }

    /// Replaces the live view on stderr with `lines` (each must fit the terminal's width).
    ///
    /// - Important: the lines are written as they are, escape sequences included: content in
    ///   them must already be ``TerminalSafeText`` (``LiveFrame`` makes it so).
    public func drawLive(_ lines: [String]) {
        Self.screen.withLock { screen in
            var bytes = Self.erase(screen.liveLines.count)
            if !screen.cursorHidden {
                bytes += Array("\u{1B}[?25l".utf8)
                screen.cursorHidden = true
            }
            // Kept redacted: a line written above the view draws these again.
            let redacted = lines.map(SecretRedaction.redact)
            for line in redacted { bytes += Array(line.utf8) + [UInt8(ascii: "\n")] }
            screen.liveLines = redacted
            Self.write(bytes, to: 2)
        }
    }

    /// Erases the live view and shows the cursor again; what is printed next stays.
    public func endLive() {
        Self.restoreTerminal()
    }

    /// Erases the live view and shows the cursor. Safe from any thread, and before `_exit`.
    public static func restoreTerminal() {
        screen.withLock { screen in
            guard screen.cursorHidden || !screen.liveLines.isEmpty else { return }
            let bytes = erase(screen.liveLines.count) + Array("\u{1B}[?25h".utf8)
            screen.liveLines = []
            screen.cursorHidden = false
            write(bytes, to: 2)
        }
    }

    private static func writeLine(_ text: String, to fd: Int32) {
        // Redacted whole first: a multi-line secret is only whole before the lines are made safe.
        var bytes = Array(TerminalSafeText(lines: SecretRedaction.redact(text)).text.utf8)
        if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
        screen.withLock { screen in
            guard !screen.liveLines.isEmpty else { return write(bytes, to: fd) }
            // Above the live view: erase it, write the line, draw it again.
            write(erase(screen.liveLines.count), to: 2)
            write(bytes, to: fd)
            write(screen.liveLines.flatMap { Array($0.utf8) + [UInt8(ascii: "\n")] }, to: 2)
        }
    }

    /// Cursor up `count` lines to the first live line, then clear to the end of the screen.
    private static func erase(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        return Array("\u{1B}[\(count)A\r\u{1B}[J".utf8)
    }

    private static func write(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return  // a closed pipe: nothing more we can say
            }
            offset += n
        }
    }
}
