import Crypto
import Foundation
import Glibc
import Release

/// The runner's side of delta pushes for one deploy: the artifact's manifest (read once), its
/// `sha256sum` listing as a local file for hosts to keep, and one delta bundle per distinct
/// listing a host sent back (most hosts of a fleet hold the same older release).
///
/// Reading the artifact and writing bundles block, so they run on threads of their own, never
/// on the cooperative pool. Files live in a private temporary directory removed by ``close()``.
actor DeltaSource {
    /// A bundle ready to upload, with the plan it carries.
    struct Bundle: Sendable {
        var written: DeltaBundle.Written
        var sentFiles: Int
        var copiedFiles: Int
        var copiedBytes: Int64
    }

    let artifact: Artifact
    let shared: [String]
    private var manifestTask: Task<ArtifactManifest?, Never>?
    private var listingTask: Task<String?, Never>?
    private var bundles: [String: Task<Bundle?, Never>] = [:]
    private let directory: String?

    init(artifact: Artifact, shared: [String]) {
        self.artifact = artifact
        self.shared = shared
        var template = Array((NSTemporaryDirectory() + "/cutover-delta.XXXXXX").utf8CString)
        directory = template.withUnsafeMutableBufferPointer { buffer in
            mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
        }
    }

    /// The artifact's manifest, nil when it cannot be read.
    func manifest() async -> ArtifactManifest? {
        if let manifestTask { return await manifestTask.value }
        let artifact = self.artifact
        let task = Task { await Self.onThread { try? ArtifactManifestReader.read(artifact) } }
        manifestTask = task
        return await task.value
    }

    /// A local file holding the artifact's `sha256sum` listing, nil when it cannot be written.
    func listingFile() async -> String? {
        if let listingTask { return await listingTask.value }
        let task = Task { () -> String? in
            guard let manifest = await manifest(), let directory else { return nil }
            let path = directory + "/listing"
            return FileManager.default.createFile(atPath: path, contents: Data(manifest.checksumText.utf8)) ? path : nil
        }
        listingTask = task
        return await task.value
    }

    /// The bundle for a host whose older release has this listing, or nil when a delta is not
    /// worth it or not possible (the listing is malformed, nothing matches, the artifact has
    /// hardlinks): the host then gets the whole artifact.
    func bundle(forListing text: String) async -> Bundle? {
        let key = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        if let task = bundles[key] { return await task.value }
        let (artifact, shared, directory) = (self.artifact, self.shared, self.directory)
        let task = Task { () -> Bundle? in
            guard let manifest = await manifest(), let directory, let sums = HostFileManifest.parse(text),
                  let plan = DeltaPlan(manifest: manifest, hostSums: sums, shared: shared) else { return nil }
            return await Self.onThread {
                guard let written = try? DeltaBundle.write(plan, from: artifact, to: directory + "/delta-" + key.prefix(16) + ".tar") else { return nil }
                // Not worth it when the bundle is no smaller than the artifact (a compressed one, say).
                guard written.size < artifact.size else { return nil }
                return Bundle(written: written, sentFiles: plan.sent.filter { $0.kind == .file }.count,
                              copiedFiles: plan.copied.count, copiedBytes: plan.copiedBytes)
            }
        }
        bundles[key] = task
        return await task.value
    }

    /// Removes the local files.
    func close() {
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Runs blocking work on a thread of its own.
    private static func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }
}
