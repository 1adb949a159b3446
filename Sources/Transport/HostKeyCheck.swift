import CLibSSH2
import HostKeys

/// Reads the key the server offered during key exchange and asks Cutover's own known_hosts
/// verifier whether to trust it (libssh2's checker accepts `@revoked` keys).
enum HostKeyCheck {
    static func verify(session: LibSSH2Session, endpoint: SSHEndpoint) throws(SSHError) -> HostKeyTrust {
        var length = 0
        var type: Int32 = 0
        // libssh2_session_hostkey(3): the raw key blob, valid while the session lives.
        guard let pointer = libssh2_session_hostkey(session.raw, &length, &type), length > 0 else {
            throw SSHError(.hostKey, about: endpoint.name, "the server offered no host key")
        }
        let blob = pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
        let key = HostKey(algorithm: algorithmName(type), blob: blob)
        let verifier = HostKeyVerifier(
            knownHostsFiles: endpoint.knownHostsFiles.isEmpty ? defaultKnownHostsFiles : endpoint.knownHostsFiles,
            policy: endpoint.hostKeyPolicy,
            pinnedFingerprint: endpoint.pinnedHostKey)
        do {
            return try verifier.verify(host: endpoint.host, port: endpoint.port, key: key)
        } catch {
            throw SSHError(.hostKey, about: endpoint.name, error.description, cause: error)
        }
    }

    static var defaultKnownHostsFiles: [String] {
        let home = HomeDirectory.path
        return ["\(home)/.ssh/known_hosts", "\(home)/.ssh/known_hosts2"]
    }

    static func algorithmName(_ type: Int32) -> String {
        switch type {
        case LIBSSH2_HOSTKEY_TYPE_RSA: return "ssh-rsa"
        case LIBSSH2_HOSTKEY_TYPE_DSS: return "ssh-dss"
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: return "ecdsa-sha2-nistp256"
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: return "ecdsa-sha2-nistp384"
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: return "ecdsa-sha2-nistp521"
        case LIBSSH2_HOSTKEY_TYPE_ED25519: return "ssh-ed25519"
        default: return "unknown"
        }
    }
}
