import Release

/// Reading what ``RemoteScripts/probe`` prints. Everything in it came from the host, and
/// whoever can write the deploy root may have crafted it (a directory named
/// `x$(touch /tmp/pwned)` under `releases/`, a line appended to the journal): each name and
/// field is checked here, where it is parsed, and what fails is listed in
/// ``HostState/unrecognised`` instead of being used.
extension HostState {
    /// Parses the probe's output (``ProbeScript``): `@TAG name` header lines, each followed by
    /// its data lines. Empty lines, lines before the first header and everything after the
    /// last section (`end`: what a script printed after the probe) are ignored.
    static func parse(_ output: String, tag: String) -> HostState {
        var sections: [String: [String]] = [:]
        var section = ""
        let header = "@" + tag + " "
        for line in output.split(separator: "\n") {
            if line.hasPrefix(header) {
                section = String(line.dropFirst(header.count))
                if section == "end" { break }
                if sections[section] == nil { sections[section] = [] }
            } else if !section.isEmpty {
                sections[section, default: []].append(String(line))
            }
        }
        var state = HostState(current: nil, releases: [], lock: nil, journal: [], hasTar: false)
        state.readCurrent(sections["current"] ?? [])
        state.readReleases(sections["releases"] ?? [])
        if let lines = sections["lock"], !lines.isEmpty {
            let lock = Self.lockFields(lines)
            state.lock = lock.fields
            state.unrecognised += lock.unrecognised.map { "lock: " + $0 }
        }
        for line in sections["journal"] ?? [] where !line.isEmpty {
            if let entry = JournalEntry(line: line) { state.journal.append(entry) } else { state.unrecognised.append("journal: " + line) }
        }
        state.releases = arrivalOrder(state.releases, journal: state.journal)
        state.hasTar = sections["tar"]?.contains("yes") == true
        state.readSlots(sections["slots"] ?? [])
        state.readManifests(sections["manifests"] ?? [])
        return state
    }

    /// The fields of a lock file's lines (`owner=`, `deploy=`, `expires=`, `token=`, `release=`,
    /// `sha256=`, `artifact=`)
    /// that are shaped as Cutover writes them; the other lines, as found. `owner` is free text,
    /// only ever shown.
    static func lockFields(_ lines: [String]) -> (fields: [String: String], unrecognised: [String]) {
        var fields: [String: String] = [:]
        var unrecognised: [String] = []
        for line in lines where !line.isEmpty {
            guard let eq = line.firstIndex(of: "=") else {
                unrecognised.append(line)
                continue
            }
            let key = String(line[..<eq]), value = String(line[line.index(after: eq)...])
            let valid: Bool
            switch key {
            case "owner": valid = true
            case "deploy": valid = HostWord.isName(value)
            case "expires", "token": valid = HostWord.isNumber(value)
            case "release": valid = ReleaseID.isValid(value)
            case "sha256": valid = LeaseArtifact.isSHA256(value)
            case "artifact": valid = LeaseArtifact.isRecordablePath(value)
            default: valid = false
            }
            if valid { fields[key] = value } else { unrecognised.append(line) }
        }
        return (fields, unrecognised)
    }

    /// The lock file's text as `cat` printed it (no `|` prefixes): its valid fields.
    static func lockFields(_ text: String) -> [String: String] {
        lockFields(text.split(separator: "\n").map(String.init)).fields
    }

    /// `readlink current`: one line whose last component is a release id. A target holding a
    /// newline prints more than one line (shown joined by `?`, as `ls -q` shows names).
    private mutating func readCurrent(_ lines: [String]) {
        guard let first = lines.first, !(lines.count == 1 && first.isEmpty) else { return }
        if lines.count == 1, let name = first.split(separator: "/").last.map(String.init), let release = ReleaseID(validating: name) {
            current = release
        } else {
            unrecognised.append("current -> " + lines.joined(separator: "?"))
        }
    }

    /// `ls -1trq releases`: one name a line (control characters printed as `?`), oldest first.
    /// Staging directories (`.stage-…`) are Cutover's own and skipped.
    private mutating func readReleases(_ lines: [String]) {
        for name in lines where !name.isEmpty && !name.hasPrefix(".") {
            if let release = ReleaseID(validating: name) { releases.append(release) } else { unrecognised.append("releases/" + name) }
        }
    }

    /// `RELEASE SHA256`: the artifact each release was extracted from (`.cutover/releases/<id>.sha256`).
    private mutating func readManifests(_ lines: [String]) {
        for line in lines where !line.isEmpty {
            let parts = line.split(separator: " ").map(String.init)
            if parts.count == 2, let release = ReleaseID(validating: parts[0]), parts[1].count == 64, parts[1].allSatisfy(\.isHexDigit) {
                manifests[release] = parts[1]
            } else {
                unrecognised.append("manifest: " + line)
            }
        }
    }

    /// `blue NAME`, `green NAME` (the release each slot points at) and `live SLOT`.
    private mutating func readSlots(_ lines: [String]) {
        for line in lines where !line.isEmpty {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2, parts[0] == "live", let slot = Slot(rawValue: parts[1]) {
                liveSlot = slot
            } else if parts.count == 2, let slot = Slot(rawValue: parts[0]), let release = ReleaseID(validating: parts[1]) {
                slots[slot] = release
            } else {
                unrecognised.append("slots: " + line)
            }
        }
    }
}
