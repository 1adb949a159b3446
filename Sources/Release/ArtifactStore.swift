import Foundation

/// `artifact_store:`, a directory (a shared filesystem) holding artifacts built once, named
/// `<version>-<sha256>.tar.gz` (or `.tar`): a deploy names one by release id
/// (`--release 2.0.0-3fa2c09be1d4`) or by its whole sha256, and the same bytes go to every
/// environment. Names are the store's index; the bytes are trusted only once they hash to the
/// sha256 their name carries (the deploy checks it before anything is pushed).
public struct ArtifactStore: Sendable, Hashable {
    /// The store's directory (absolute).
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// An artifact the store holds.
    public struct Stored: Sendable, Hashable {
        public var path: String
        public var version: String
        /// The whole sha256 its name carries: what its bytes must hash to.
        public var sha256: String
        public var gzip: Bool

        /// `<version>-<first 12 hex>`.
        public var release: String { "\(version)-\(sha256.prefix(12))" }
    }

    /// The stored name of an artifact: `<version>-<sha256>.tar.gz` or `.tar`.
    public static func fileName(version: String, sha256: String, gzip: Bool) -> String {
        "\(version)-\(sha256.lowercased())" + (gzip ? ".tar.gz" : ".tar")
    }

    /// Reads a stored name back; nil for anything else in the directory.
    static func parse(_ name: String) -> (version: String, sha256: String, gzip: Bool)? {
        let gzip = name.hasSuffix(".tar.gz")
        guard gzip || name.hasSuffix(".tar") else { return nil }
        let stem = String(name.dropLast(gzip ? 7 : 4))
        guard let dash = stem.lastIndex(of: "-") else { return nil }
        let version = String(stem[..<dash]), sha256 = String(stem[stem.index(after: dash)...])
        guard sha256.count == 64, isLowerHex(sha256), VersionName.isValid(version) else { return nil }
        return (version, sha256, gzip)
    }

    /// Every artifact in the store, by name.
    public func artifacts() throws(ArtifactStoreError) -> [Stored] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ArtifactStoreError("cannot read the artifact store \(directory): \(Self.reason(error))")
        }
        return names.sorted().compactMap { name in
            Self.parse(name).map { Stored(path: directory + "/" + name, version: $0.version, sha256: $0.sha256, gzip: $0.gzip) }
        }
    }

    /// The artifact a reference names: a release id (`2.0.0-3fa2c09be1d4`) or a whole sha256.
    /// Exactly one must match.
    public func find(_ reference: String) throws(ArtifactStoreError) -> Stored {
        let wanted = reference.lowercased()
        let all = try artifacts()
        let matches: [Stored]
        if wanted.count == 64, Self.isLowerHex(wanted) {
            matches = all.filter { $0.sha256 == wanted }
        } else if let release = ReleaseID(validating: reference) {
            matches = all.filter { $0.version == release.version && $0.sha256.hasPrefix(release.digest) }
        } else {
            throw ArtifactStoreError("'\(reference)' is neither a release id (<version>-<12 hex digits>, as `cutover status` shows) nor a sha256 (64 hex digits)")
        }
        guard matches.count == 1, let found = matches.first else {
            if matches.isEmpty {
                throw ArtifactStoreError("the artifact store \(directory) holds no artifact \(reference) (\(all.count) artifact\(all.count == 1 ? "" : "s") there; "
                    + "add one with `cutover deploy … --artifact FILE --store`)")
            }
            throw ArtifactStoreError("\(reference) names \(matches.count) artifacts in \(directory) (\(matches.map { ($0.path as NSString).lastPathComponent }.joined(separator: ", "))): name it by its whole sha256")
        }
        return found
    }

    /// Copies a validated artifact into the store under its name (a temporary file renamed into
    /// place, so a reader never sees part of it). An artifact already stored under that name
    /// with the same bytes is left as it is; other bytes under that name are an error.
    @discardableResult
    public func add(_ path: String, version: String, sha256: String, gzip: Bool) throws(ArtifactStoreError) -> String {
        let name = Self.fileName(version: version, sha256: sha256, gzip: gzip)
        let destination = directory + "/" + name
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ArtifactStoreError("the artifact store \(directory) is not a directory")
        }
        if manager.fileExists(atPath: destination) {
            guard let digest = Self.sha256(of: destination), digest == sha256.lowercased() else {
                throw ArtifactStoreError("\(destination) is already in the store but does not hash to its name: remove it, then store the artifact again")
            }
            return destination
        }
        let temporary = directory + "/.incoming-\(name)-\(UUID().uuidString)"
        do {
            try manager.copyItem(atPath: path, toPath: temporary)
            try manager.setAttributes([.posixPermissions: 0o644], ofItemAtPath: temporary)
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw ArtifactStoreError("cannot copy the artifact into the store \(directory): \(Self.reason(error))")
        }
        guard Self.sha256(of: temporary) == sha256.lowercased() else {
            try? manager.removeItem(atPath: temporary)
            throw ArtifactStoreError("the artifact changed while it was copied into the store: nothing was stored")
        }
        guard rename(temporary, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            try? manager.removeItem(atPath: temporary)
            throw ArtifactStoreError("cannot store \(name) in \(directory): \(reason)")
        }
        return destination
    }

    static func sha256(of path: String) -> String? {
        try? ArtifactDigest.sha256(path: path)
    }

    static func isLowerHex(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}

/// Why the artifact store could not give or take an artifact.
public struct ArtifactStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
