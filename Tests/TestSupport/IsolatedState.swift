import Foundation

/// Keeps what the tests' `cutover` runs record (the release ledger under `XDG_STATE_HOME`) out of
/// the user's own state: when the test process has no `XDG_STATE_HOME` (a plain `swift test`;
/// `Scripts/test` sets one), it gets a directory of its own, which every child inherits.
public enum IsolatedState {
    public static let ensure: Void = {
        guard ProcessInfo.processInfo.environment["XDG_STATE_HOME"] == nil else { return }
        let directory = NSTemporaryDirectory() + "cutover-test-state-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        setenv("XDG_STATE_HOME", directory, 0)
    }()
}
