/// Refuses permission bits that GNU tar applies as they are on the hosts (run as root it keeps
/// set-uid bits and world-writable directories), unless the caller allows them.
///
/// Refused: set-uid and set-gid on files and directories, sticky on files, group- or
/// other-writable. Not refused: a sticky directory that only its owner writes, and the modes of
/// symlinks and hardlinks, which tar never applies (a hardlink shares its target's mode).
struct TarModeRules {
    /// Whether special and writable modes pass (the playbook's `artifact_modes: preserve`).
    let allowSpecialModes: Bool

    /// Checks one member's mode; `nil` is a mode field that is no number.
    func check(type: UInt8, name: String, mode: Int?) throws(ArtifactError) {
        guard let mode else {
            throw ArtifactError(.corrupt, "entry '\(name)' has a mode field that is not a number")
        }
        let isDirectory = type == UInt8(ascii: "5")
        guard !allowSpecialModes, isDirectory || [0, UInt8(ascii: "0"), UInt8(ascii: "7")].contains(type) else { return }
        var bits: [String] = []
        if mode & 0o4000 != 0 { bits.append("set-uid") }
        if mode & 0o2000 != 0 { bits.append("set-gid") }
        if mode & 0o1000 != 0, !isDirectory { bits.append("sticky") }
        if mode & 0o020 != 0 { bits.append("group-writable") }
        if mode & 0o002 != 0 { bits.append("other-writable") }
        guard !bits.isEmpty else { return }
        var fix: [String] = []
        if mode & 0o022 != 0 { fix.append("go-w") }
        if mode & 0o6000 != 0 { fix.append("ug-s") }
        if bits.contains("sticky") { fix.append("a-t") }
        let octal = String(mode, radix: 8)
        let shown = String(repeating: "0", count: max(0, 4 - octal.count)) + octal
        throw ArtifactError(.unsafeMode, "\(isDirectory ? "directory" : "file") '\(name)' has mode \(shown) (\(bits.joined(separator: ", "))), "
            + "which tar would apply as it is on the hosts: run `chmod -R \(fix.joined(separator: ","))` on the tree before `tar`, "
            + "or set `artifact_modes: preserve` in the playbook")
    }
}
