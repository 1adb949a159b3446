import Foundation

/// One process's line of `/proc/PID/stat` (Linux): `PID (COMM) STATE PPID …`. COMM may hold
/// spaces and parentheses, so the fields are read after its last `)`.
public struct ProcessStat: Sendable {
    /// The fields after COMM: `fields[0]` is field 3 (state), `fields[1]` field 4 (parent).
    private let fields: [Substring]

    /// Nil when there is no such process (or its line cannot be read).
    public init?(pid: Int32) {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
              let close = data.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        fields = String(decoding: data[(close + 1)...], as: UTF8.self).split(separator: " ")
        guard fields.count > 1 else { return nil }
    }

    /// Exited but not reaped yet (state `Z`).
    public var isZombie: Bool { fields[0] == "Z" }

    /// The parent's pid (field 4).
    public var parent: Int32? { Int32(fields[1]) }

    /// Field 22: when the process started, in clock ticks after boot.
    public var startTime: String? { fields.count > 19 ? String(fields[19]) : nil }
}
