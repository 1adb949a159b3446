import Diagnostics
import Release

/// The artifact store in a deploy's preparation: `--release` finds the bytes in the playbook's
/// `artifact_store` (their sha256 is checked against the one the stored name carries before
/// anything is pushed); `--store` adds a validated local artifact to it.
extension DeployPreparation {
    /// Where the artifact comes from: its path, and when it comes from the store, the version
    /// and the whole sha256 its stored name carries.
    struct ArtifactSource: Sendable, Hashable {
        var path: String
        var version: String?
        var sha256: String?
    }

    static func artifactSource(playbook: Playbook, override: String?, store: ArtifactStoreUse) throws(RolloutError) -> ArtifactSource {
        if let reference = store.release {
            let found: ArtifactStore.Stored
            let directory = try storeDirectory(playbook, for: "--release")
            do {
                found = try ArtifactStore(directory: directory).find(reference)
            } catch {
                throw .configuration(DiagnosticError(.error("--release \(reference): \(error.message)")))
            }
            return ArtifactSource(path: found.path, version: found.version, sha256: found.sha256)
        }
        guard let path = override ?? playbook.artifactPath else {
            throw .configuration(DiagnosticError(.error("\(playbook.path): no artifact: set `artifact:` in the playbook, pass --artifact FILE, or --release ID with an `artifact_store`")))
        }
        return ArtifactSource(path: path)
    }

    /// The bytes read are the bytes the store's name promised, or nothing is pushed.
    static func verify(_ artifact: Artifact, from source: ArtifactSource) throws(RolloutError) {
        guard let expected = source.sha256, artifact.sha256 != expected else { return }
        throw .configuration(DiagnosticError(.error(
            "artifact \(source.path) refused before any host was touched: its sha256 is \(artifact.sha256), not \(expected) as its name in the artifact store says")))
    }

    /// `--store`: the validated artifact, copied into the store under `<version>-<sha256>`.
    static func store(_ artifact: Artifact, release: ReleaseID, playbook: Playbook, use: ArtifactStoreUse) throws(RolloutError) {
        guard use.add else { return }
        let directory = try storeDirectory(playbook, for: "--store")
        do {
            try ArtifactStore(directory: directory)
                .add(artifact.path, version: release.version, sha256: artifact.sha256, gzip: artifact.format == .tarGzip)
        } catch {
            throw .configuration(DiagnosticError(.error("--store: \(error.message)")))
        }
    }

    /// The artifact's name in the store, when the store holds these bytes (or `--store` just
    /// added them): what a host downloads with `distribution: pull`. Nil when it does not.
    static func storedName(_ artifact: Artifact, source: ArtifactSource, release: ReleaseID, playbook: Playbook, use: ArtifactStoreUse) -> String? {
        guard let directory = playbook.artifactStore else { return nil }
        let path: String
        if source.sha256 != nil {
            path = source.path
        } else if use.add {
            return ArtifactStore.fileName(version: release.version, sha256: artifact.sha256, gzip: artifact.format == .tarGzip)
        } else {
            guard let found = try? ArtifactStore(directory: directory).artifacts().first(where: { $0.sha256 == artifact.sha256 }) else { return nil }
            path = found.path
        }
        return path.split(separator: "/").last.map(String.init)
    }

    private static func storeDirectory(_ playbook: Playbook, for option: String) throws(RolloutError) -> String {
        guard let directory = playbook.artifactStore else {
            throw .configuration(DiagnosticError(.error("\(option) needs an artifact store: set `artifact_store:` (a directory) in \(playbook.path)")))
        }
        return directory
    }
}
