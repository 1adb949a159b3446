import Release

/// What a deploy's lease records about its artifact (`release=`, `sha256=`, `artifact=` lines of
/// the lock), so that `resume` can check an artifact it is given, or find the interrupted
/// deploy's own when it is given none.
///
/// Read back from a host, every field is the host's word: `resume` only ever uses `path` to
/// look for a local regular file whose sha256 equals `sha256` (and whose id equals `release`).
struct LeaseArtifact: Sendable, Hashable {
    let release: ReleaseID
    /// The artifact's full sha256, lowercase hex; nil in leases written before it was recorded.
    let sha256: String?
    /// The artifact's absolute path on the runner that started the deploy.
    let path: String?

    init(release: ReleaseID, sha256: String?, path: String?) {
        self.release = release
        self.sha256 = sha256.flatMap { Self.isSHA256($0) ? $0 : nil }
        self.path = path.flatMap { Self.isRecordablePath($0) ? $0 : nil }
    }

    /// From a lock's valid fields; nil without a `release=`.
    init?(lock: [String: String]) {
        guard let text = lock["release"], let release = ReleaseID(validating: text) else { return nil }
        self.init(release: release, sha256: lock["sha256"], path: lock["artifact"])
    }

    /// The lock lines, as `key value` pairs in the order written.
    var lockLines: [(key: String, value: String)] {
        [("release", release.description)] + (sha256.map { [("sha256", $0)] } ?? []) + (path.map { [("artifact", $0)] } ?? [])
    }

    /// 64 lowercase hex digits.
    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    /// An absolute path of one line: no control characters (a newline would add lock lines).
    static func isRecordablePath(_ text: String) -> Bool {
        text.hasPrefix("/") && text.utf8.count <= 4096
            && !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
