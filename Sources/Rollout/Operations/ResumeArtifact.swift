import Foundation
import Release
import Transport

/// `resume` given no `--artifact`: the interrupted deploy's own artifact, found by its sha256.
///
/// The lease names the release, its sha256 and the path the deploy read it from. The candidates
/// are that path, then the playbook's `artifact`; the first regular file whose sha256 is the
/// lease's (or, for a lease that predates `sha256=`, whose id is the lease's release) is used.
/// Nothing else is trusted: the path is the host's word, so it only ever names a file to hash.
struct ResumeArtifact: Sendable {
    /// Why a candidate was passed over, for the error when none fits.
    struct Miss: Sendable, Hashable {
        let path: String
        let reason: String
    }

    let leased: LeaseArtifact

    /// The path to deploy; throws a usage error naming every candidate and why it did not fit.
    func find(playbookArtifact: String?) throws(RolloutError) -> String {
        var candidates: [String] = []
        for path in [leased.path, playbookArtifact].compactMap({ $0 }) {
            let normal = URL(fileURLWithPath: path).standardizedFileURL.path
            if !candidates.contains(normal) { candidates.append(normal) }
        }
        var misses: [Miss] = []
        for path in candidates {
            if let reason = Self.mismatch(path, leased: leased) {
                misses.append(Miss(path: path, reason: reason))
            } else {
                return path
            }
        }
        let tried = misses.isEmpty ? "the lease names no artifact file and the playbook has no `artifact`"
            : misses.map { "\($0.path): \($0.reason)" }.joined(separator: "; ")
        throw .usage("the interrupted deploy was deploying \(leased.release)\(leased.sha256.map { " (sha256 \($0))" } ?? ""), and no artifact at hand is it (\(tried)): pass it with --artifact, or `cutover unlock` and deploy another")
    }

    /// Why `path` is not the leased artifact; nil when it is.
    static func mismatch(_ path: String, leased: LeaseArtifact) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return String(cString: strerror(errno)).lowercased() }
        guard info.st_mode & S_IFMT == S_IFREG else { return "not a regular file" }
        let sha256: String
        do {
            sha256 = try LocalFileDigest.sha256(path: path)
        } catch {
            return error.message
        }
        if let expected = leased.sha256 {
            return sha256 == expected ? nil : "sha256 \(sha256.prefix(12))…, not \(expected.prefix(12))…"
        }
        return sha256.hasPrefix(leased.release.digest) ? nil : "sha256 \(sha256.prefix(12))…, not \(leased.release.digest)…"
    }
}
