// Temporary interface stub; replaced by the real module from the `hostkeys` branch.
import Foundation
import Crypto

public struct HostKey: Sendable, Hashable {
    public var algorithm: String
    public var blob: [UInt8]
    public init(algorithm: String, blob: [UInt8]) { self.algorithm = algorithm; self.blob = blob }
    public var fingerprint: String {
        "SHA256:" + Data(SHA256.hash(data: blob)).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }
}
public enum HostKeyPolicy: String, Sendable, Hashable, CaseIterable {
    case strict
    case acceptNew = "accept-new"
}
public enum HostKeyTrust: Sendable, Hashable {
    case known(file: String, line: Int)
    case pinned
    case addedNew(file: String)
}
public struct HostKeyError: Error, Sendable, CustomStringConvertible {
    public var description: String
}
public struct HostKeyVerifier: Sendable {
    var pinned: String?
    public init(knownHostsFiles: [String], policy: HostKeyPolicy, pinnedFingerprint: String?) { pinned = pinnedFingerprint }
    public func verify(host: String, port: Int, key: HostKey) throws(HostKeyError) -> HostKeyTrust {
        .pinned
    }
}
