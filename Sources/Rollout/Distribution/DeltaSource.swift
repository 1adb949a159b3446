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
        /// The most bytes of arguments one host command gets from one of its lists
        /// (``DeltaPlan/longestArgumentList``).
        var longestArgumentList: Int
    }

    let artifact: Artifact
    let shared: [String]
    /// At most this many distinct bundles per deploy (hosts holding as many different older
    /// releases, or lying listings): each costs a pass over the artifact and up to its size on
    /// disk. Later hosts get the whole artifact.
    static let maxBundles = 8
    private var copyTask: Task<Artifact?, Never>?
    private var manifestTask: Task<ArtifactManifest?, Never>?
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

    /// The artifact as it was inspected: a private copy (mode 0600, in this run's directory)
    /// whose bytes hash to the inspected sha256. The file at the artifact's path may be replaced
    /// after inspection (a pipeline rewriting its output); a full push is safe from that (the host
    /// checks the sha256), a delta is built and verified from the manifest, so it reads only this
    /// copy. Nil when the copy cannot be made or the bytes changed: the host gets a full push.
    func verifiedArtifact() async -> Artifact? {
        if let copyTask { return await copyTask.value }
        let (artifact, directory) = (self.artifact, self.directory)
        let task = Task { () -> Artifact? in
            guard let directory else { return nil }
            return await Self.onThread {
                let path = directory + "/artifact"
                guard Self.copy(artifact.path, to: path, expectedSHA256: artifact.sha256) else {
                    try? FileManager.default.removeItem(atPath: path)
                    return nil
                }
                var copy = artifact
                copy.path = path
                return copy
            }
        }
        copyTask = task
        return await task.value
    }

    /// The artifact's manifest, nil when it cannot be read.
    func manifest() async -> ArtifactManifest? {
        if let manifestTask { return await manifestTask.value }
        let task = Task { () -> ArtifactManifest? in
            guard let verified = await verifiedArtifact() else { return nil }
            return await Self.onThread { try? ArtifactManifestReader.read(verified) }
        }
        manifestTask = task
        return await task.value
    }

    /// Starts reading the manifest (when nothing did yet) and returns at once: a push reads it
    /// later without waiting as long.
    nonisolated func prepare() {
        Task { _ = await self.manifest() }
    }

    /// The most a host's listing of its older release may print: four times this artifact's
    /// listing and 1 MiB more (an older release may hold more files); a longer one is not read
    /// and the host gets a full push. Nil when there is no manifest.
    func listingLimit() async -> Int? {
        guard let manifest = await manifest() else { return nil }
        return 4 * manifest.checksumText.utf8.count + (1 << 20)
    }

    /// The artifact's `sha256sum` listing, for hosts to keep beside a fully pushed release
    /// (sent on the extract step's stdin); nil without a manifest.
    func listing() async -> [UInt8]? {
        await manifest().map { Array($0.checksumText.utf8) }
    }

    /// The bundle for a host whose older release has this listing, or nil when a delta is not
    /// worth it or not possible (the listing is malformed, nothing matches, the artifact has
    /// hardlinks): the host then gets the whole artifact.
    func bundle(forListing text: String) async -> Bundle? {
        let key = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        if let task = bundles[key] { return await task.value }
        guard bundles.count < Self.maxBundles else { return nil }
        let (shared, directory) = (self.shared, self.directory)
        let task = Task { () -> Bundle? in
            guard let manifest = await manifest(), let artifact = await verifiedArtifact(), let directory else { return nil }
            // Parsing and planning sort up to every file of the release: off the actor and the pool.
            return await Self.onThread {
                guard let sums = HostFileManifest.parse(text),
                      let plan = DeltaPlan(manifest: manifest, hostSums: sums, shared: shared) else { return nil }
                let path = directory + "/delta-" + key.prefix(16) + ".tar"
                guard let written = try? DeltaBundle.write(plan, from: artifact, to: path) else {
                    try? FileManager.default.removeItem(atPath: path)
                    return nil
                }
                // Not worth it when the bundle is no smaller than the artifact (a compressed one, say).
                guard written.size < artifact.size else {
                    try? FileManager.default.removeItem(atPath: path)
                    return nil
                }
                return Bundle(written: written, sentFiles: plan.sent.filter { $0.kind == .file }.count,
                              copiedFiles: plan.copied.count, copiedBytes: plan.copiedBytes,
                              longestArgumentList: plan.longestArgumentList)
            }
        }
        bundles[key] = task
        return await task.value
    }

    /// Removes the local files (a copy of the artifact still being made then fails, and no
    /// delta is offered). Safe to call more than once.
    func close() {
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Copies `source` to `destination` (created 0600) while hashing it; false when the bytes do
    /// not hash to `expectedSHA256` or a read or write fails.
    private static func copy(_ source: String, to destination: String, expectedSHA256: String) -> Bool {
        guard let input = FileHandle(forReadingAtPath: source),
              FileManager.default.createFile(atPath: destination, contents: nil, attributes: [.posixPermissions: 0o600]),
              let output = FileHandle(forWritingAtPath: destination) else { return false }
        defer {
            try? input.close()
            try? output.close()
        }
        var hasher = SHA256()
        do {
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                try output.write(contentsOf: chunk)
            }
        } catch {
            return false
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined() == expectedSHA256
    }

    /// Runs blocking work on a thread of its own.
    private static func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }
}
