import Transport

/// Where things live under a deploy root on a host (see DESIGN.md, "On each host").
struct HostLayout: Sendable, Hashable {
    let root: String

    var releases: String { root + "/releases" }
    var current: String { root + "/current" }
    var shared: String { root + "/shared" }
    var meta: String { root + "/.cutover" }
    var journal: String { meta + "/journal" }
    var lock: String { meta + "/lock" }
    var incoming: String { meta + "/incoming" }
    /// `<id>.sha256`: the artifact each release was extracted from (``RemoteScripts/extract(release:archive:sha256:gzip:shared:preserveModes:)``).
    var manifests: String { meta + "/releases" }
    /// Blue/green: `slots/blue` and `slots/green` point at releases; `live` points at the slot serving traffic.
    var slots: String { root + "/slots" }
    var live: String { root + "/live" }

    func release(_ id: String) -> String { releases + "/" + id }
    func incomingFile(sha256: String, gzip: Bool) -> String { incoming + "/" + sha256 + (gzip ? ".tar.gz" : ".tar") }

    /// Shell variable assignments every script starts with; all values quoted.
    var preamble: String {
        "R=\(ShellQuote.quote(root)); M=\"$R/.cutover\"; J=\"$M/journal\"; "
    }
}
