/// A release directory name: `<version>-<first 12 hex digits of the artifact's sha256>`.
public struct ReleaseID: Sendable, Hashable, CustomStringConvertible {
    /// The version part.
    public let version: String
    /// The 12 lowercase hex digits after the last `-`.
    public let digest: String

    /// Builds the id from a version and a full (or at least 12-digit) hex digest.
    public init(version: String, sha256: String) throws(ReleaseIDError) {
        guard VersionName.isValid(version) else {
            throw ReleaseIDError("invalid version '\(version)' (expected letters, digits and '._+-', starting with a letter or digit, at most 64)")
        }
        let digest = String(sha256.lowercased().prefix(12))
        guard digest.count == 12, Self.isHex(digest) else {
            throw ReleaseIDError("invalid sha256 '\(sha256)' (expected at least 12 hex digits)")
        }
        self.version = version
        self.digest = digest
    }

    /// Parses a directory name such as `1.4.2-0123456789ab`; `nil` when it is not a release id.
    public init?(validating text: String) {
        guard let dash = text.lastIndex(of: "-") else { return nil }
        let version = String(text[..<dash]), digest = String(text[text.index(after: dash)...])
        guard digest.count == 12, Self.isHex(digest), digest == digest.lowercased(), VersionName.isValid(version) else { return nil }
        self.version = version
        self.digest = digest
    }

    /// Whether `text` is a release id.
    public static func isValid(_ text: String) -> Bool {
        ReleaseID(validating: text) != nil
    }

    /// `<version>-<digest>`.
    public var description: String { "\(version)-\(digest)" }

    private static func isHex(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) || ("A"..."F").contains($0) }
    }
}

/// A release id that cannot be built.
public struct ReleaseIDError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    /// Same as `message`.
    public var description: String { message }
}
