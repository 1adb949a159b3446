public import Diagnostics

/// `hooks.migrate`: a command run once per deploy, on one host, in the new release's directory,
/// after the push and before any host is switched (Capistrano's and Kamal's migration role).
///
/// Not an error: a playbook without one. A failing migration switches nothing.
public struct Migration: Sendable, Hashable {
    /// The command, run with `sh -c` and the hook environment (the `CUTOVER_*` values and the host's secrets).
    public var command: String
    /// A host or inventory group name that says where it runs (`on:`); nil: the inventory group
    /// `migrate` when it has selected hosts, else the first host of the first wave.
    public var on: String?
    /// How long it may run; nil: the playbook's hook timeout.
    public var timeout: Duration?
    /// Where `hooks.migrate` was written, for messages about `on:`.
    public var location: SourceLocation?

    public init(command: String, on: String? = nil, timeout: Duration? = nil, location: SourceLocation? = nil) {
        self.command = command
        self.on = on
        self.timeout = timeout
        self.location = location
    }

    /// The inventory group whose selected hosts run the migration when `on:` is not set.
    public static let defaultGroup = "migrate"
}
