import Glibc

/// What the terminal behind stderr can do, decided once from the environment.
public struct TerminalCapabilities: Sendable, Hashable {
    /// Redraw a live view in place (cursor movement). False for pipes, files, `TERM=dumb` and
    /// `NO_COLOR`: those get plain, timestamped lines.
    public var live: Bool
    public var columns: Int
    public var rows: Int

    public init(live: Bool, columns: Int = 80, rows: Int = 24) {
        self.live = live
        self.columns = columns
        self.rows = rows
    }

    /// stderr's capabilities, given the environment (`TERM`, `NO_COLOR`).
    public static func stderr(environment: [String: String]) -> TerminalCapabilities {
        let term = environment["TERM"] ?? ""
        let plain = isatty(2) == 0 || term.isEmpty || term == "dumb" || !(environment["NO_COLOR"] ?? "").isEmpty
        var size = winsize()
        let measured = ioctl(2, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 && size.ws_row > 0
        return TerminalCapabilities(live: !plain, columns: measured ? Int(size.ws_col) : 80, rows: measured ? Int(size.ws_row) : 24)
    }
}
