import Diagnostics
import Foundation
import Release

/// `distribution: pull` for one deploy: the URL every host downloads the artifact from (the
/// store's URL with the artifact's stored name appended). Hosts that cannot are pushed to.
///
/// - Important: ``url`` may carry a token: it goes to the hosts on stdin only, and messages
///   print its redacted form.
struct PullSource: Sendable, Hashable {
    let url: ArtifactStoreURL

    /// Pull from `store` when the deploy distributes by pull; nil for a direct push.
    ///
    /// Pulling needs the artifact under its stored name: deployed by `--release`, added with
    /// `--store`, or a file of the store's directory named `<version>-<sha256>.tar[.gz]`.
    /// Anything else is a configuration error (say `--distribution direct` to push it).
    static func choose(_ distribution: ArtifactDistribution, playbook: Playbook, storedName: String?) throws(RolloutError) -> PullSource? {
        guard distribution == .pull else { return nil }
        guard let url = playbook.artifactStoreURL else {
            throw .configuration(DiagnosticError(.error(
                "\(playbook.path): distribution pull needs `artifact_store: { path: DIR, url: URL }` (where the hosts download the store's artifacts); "
                + "or deploy with --distribution direct")))
        }
        let resolved: ArtifactStoreURL
        switch url.resolve(ProcessInfo.processInfo.environment) {
        case .success(let value): resolved = value
        case .failure(let error): throw .configuration(DiagnosticError(.error("\(playbook.path): artifact_store.url \(error.message)")))
        }
        guard let storedName else {
            throw .configuration(DiagnosticError(.error(
                "distribution pull: the hosts can only download an artifact of the store: deploy it with --release ID, add it with --store, "
                + "or push it with --distribution direct")))
        }
        return PullSource(url: resolved.appending(storedName))
    }
}
