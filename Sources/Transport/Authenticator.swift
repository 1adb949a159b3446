import CLibSSH2
import Glibc

/// Public-key authentication in OpenSSH's order: ssh-agent identities, then identity files.
/// Every attempt is remembered so that a final failure can say exactly what was tried.
struct Authenticator {
    let session: LibSSH2Session
    let endpoint: SSHEndpoint
    let token: CancelToken
    let deadline: ContinuousClock.Instant

    private(set) var attempts: [String] = []

    init(session: LibSSH2Session, endpoint: SSHEndpoint, token: CancelToken, deadline: ContinuousClock.Instant) {
        self.session = session
        self.endpoint = endpoint
        self.token = token
        self.deadline = deadline
    }

    /// OpenSSH 9's default identity files, in its order (sk, xmss and dsa keys are not supported).
    static var defaultIdentityFiles: [String] {
        let ssh = HomeDirectory.path + "/.ssh"
        return ["\(ssh)/id_rsa", "\(ssh)/id_ecdsa", "\(ssh)/id_ed25519"]
    }

    /// Offers the keys straight away; the server's list of methods (a "none" request, one
    /// round trip per host) is asked only when no key was accepted, to say why.
    mutating func authenticate() throws(SSHError) {
        if endpoint.useAgent, try tryAgent() { return }
        if try tryIdentityFiles() { return }
        let user = endpoint.user
        // libssh2_userauth_list(3): NULL with no error means "none" authentication succeeded.
        var methods = ""
        let list: String?
        do {
            list = try session.runPointerCString(token: token, deadline: deadline) {
                cutover_userauth_list(session.raw, user)
            }
        } catch where error.code == .timeout || error.code == .cancelled {
            throw error
        } catch {
            // The server may hang up after the last refused key (MaxAuthTries).
            list = nil
        }
        if let list {
            methods = list
        } else if libssh2_userauth_authenticated(session.raw) != 0 {
            return
        }
        if !methods.isEmpty && !methods.split(separator: ",").contains("publickey") {
            throw SSHError(.authentication,
                "\(endpoint.name): \(endpoint.display) accepts only \(methods); Cutover authenticates with public keys")
        }
        var message = "\(endpoint.name): authentication failed for \(endpoint.display)"
            + (methods.isEmpty ? "" : " (server accepts: \(methods))") + "; tried:"
        for attempt in attempts { message += "\n  - \(attempt)" }
        throw SSHError(.authentication, message)
    }

    private mutating func tryAgent() throws(SSHError) -> Bool {
        guard let socketPath = endpoint.agentSocketPath ?? getenv("SSH_AUTH_SOCK").map({ String(cString: $0) }),
              !socketPath.isEmpty else {
            attempts.append("ssh-agent: SSH_AUTH_SOCK is not set")
            return false
        }
        // libssh2_agent_init(3), libssh2_agent_connect(3), libssh2_agent_list_identities(3)
        guard let agent = libssh2_agent_init(session.raw) else {
            attempts.append("ssh-agent: libssh2_agent_init failed")
            return false
        }
        defer {
            libssh2_agent_disconnect(agent)
            libssh2_agent_free(agent)
        }
        // libssh2_agent_set_identity_path(3): the socket to use instead of SSH_AUTH_SOCK.
        libssh2_agent_set_identity_path(agent, socketPath)
        guard libssh2_agent_connect(agent) == 0 else {
            attempts.append("ssh-agent at \(socketPath): cannot connect")
            return false
        }
        guard libssh2_agent_list_identities(agent) == 0 else {
            attempts.append("ssh-agent at \(socketPath): cannot list identities")
            return false
        }
        var identity: UnsafeMutablePointer<libssh2_agent_publickey>?
        var previous: UnsafeMutablePointer<libssh2_agent_publickey>?
        var count = 0
        while libssh2_agent_get_identity(agent, &identity, previous) == 0, let current = identity {
            previous = current
            count += 1
            let comment = current.pointee.comment.map { String(cString: $0) } ?? "key \(count)"
            let blob = Array(UnsafeBufferPointer(start: current.pointee.blob, count: current.pointee.blob_len))
            var reader = SSHWireReader(blob)
            let algorithm = reader.string() ?? "unknown"
            if algorithm == "ssh-rsa" && !LibSSH2Runtime.supportsRSASHA2 {
                attempts.append("ssh-agent key \(comment) (ssh-rsa): skipped, \(Self.rsaExplanation)")
                continue
            }
            let user = endpoint.user
            let rc = try session.run(token: token, deadline: deadline) {
                // libssh2_agent_userauth(3)
                Int(libssh2_agent_userauth(agent, user, current))
            }
            if rc == 0 { return true }
            attempts.append("ssh-agent key \(comment) (\(algorithm)): refused by the server")
        }
        if count == 0 { attempts.append("ssh-agent at \(socketPath): holds no identities") }
        return false
    }

    private mutating func tryIdentityFiles() throws(SSHError) -> Bool {
        let explicit = !endpoint.identityFiles.isEmpty
        let files = explicit ? endpoint.identityFiles.map(HomeDirectory.expand) : Self.defaultIdentityFiles
        let passphrase = endpoint.passphraseEnvironmentVariable.flatMap { name in
            getenv(name).map { String(cString: $0) }
        }
        for path in files {
            let identity = IdentityFiles.load(path)
            guard let key = identity.file else {
                if explicit { attempts.append("\(path): cannot read the file") }
                continue
            }
            let algorithm = key.algorithm ?? "unknown type"
            if key.isRSA && !LibSSH2Runtime.supportsRSASHA2 {
                attempts.append("\(path) (ssh-rsa): skipped, \(Self.rsaExplanation)")
                continue
            }
            if key.isEncrypted && passphrase == nil {
                let hint = endpoint.passphraseEnvironmentVariable.map { "environment variable \($0) is not set" }
                    ?? "name an environment variable holding it with identity_passphrase_env"
                attempts.append("\(path) (\(algorithm)): encrypted and no passphrase (\(hint))")
                continue
            }
            let user = endpoint.user
            let rc: Int
            if let signer = identity.signer {
                rc = try signIn(user: user, signer: signer)
            } else {
                rc = try session.run(token: token, deadline: deadline) {
                    // libssh2_userauth_publickey_fromfile(3): a NULL public key path derives it from the private key.
                    Int(cutover_userauth_publickey_fromfile(session.raw, user, nil, path, passphrase ?? ""))
                }
            }
            if rc == 0 { return true }
            switch Int32(rc) {
            case LIBSSH2_ERROR_FILE:
                attempts.append("\(path) (\(algorithm)): cannot load the key\(key.isEncrypted ? " (wrong passphrase?)" : "")")
            case LIBSSH2_ERROR_AUTHENTICATION_FAILED, LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED:
                attempts.append("\(path) (\(algorithm)): refused by the server")
            default:
                let error = session.lastError()
                if error.code == LIBSSH2_ERROR_SOCKET_RECV || error.code == LIBSSH2_ERROR_SOCKET_SEND
                    || error.code == LIBSSH2_ERROR_SOCKET_DISCONNECT {
                    throw SSHError(.io, about: endpoint.name, "connection lost during authentication: \(error.message)")
                }
                attempts.append("\(path) (\(algorithm)): \(error.message)")
            }
        }
        if !explicit && attempts.isEmpty {
            attempts.append("no identity file in \(HomeDirectory.path)/.ssh (id_ecdsa, id_ed25519)")
        }
        return false
    }

    /// libssh2_userauth_publickey(3) with a key read once per process: libssh2 asks the
    /// callback for the signature, so the key file is not decoded again for this host.
    private func signIn(user: String, signer: IdentitySigner) throws(SSHError) -> Int {
        let blob = signer.publicKeyBlob
        let box = Unmanaged.passRetained(SignerBox(signer))
        let abstract = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: 1)
        abstract.initialize(to: box.toOpaque())
        defer {
            abstract.deallocate()
            box.release()
        }
        return try session.run(token: token, deadline: deadline) {
            blob.withUnsafeBufferPointer { key in
                Int(libssh2_userauth_publickey(session.raw, user, key.baseAddress, key.count, signWithIdentity, abstract))
            }
        }
    }

    static var rsaExplanation: String {
        "the linked libssh2 \(LibSSH2Runtime.version) can only sign with ssh-rsa (SHA-1), which OpenSSH 8.8+ refuses; use an ed25519 or ecdsa key, or link libssh2 1.11 or later"
    }
}

/// Holds the signer for libssh2's sign callback (passed through its `abstract` pointer).
private final class SignerBox {
    let signer: IdentitySigner
    init(_ signer: IdentitySigner) { self.signer = signer }
}

/// LIBSSH2_USERAUTH_PUBLICKEY_SIGN_FUNC: signs the session's data with the identity in
/// `abstract`; the signature is malloc'd, as libssh2 frees it with the session's allocator
/// (the default, `free`).
private let signWithIdentity: @convention(c) (
    OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?, UnsafeMutablePointer<Int>?,
    UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> Int32 = { _, signature, length, data, count, abstract in
    guard let signature, let length, let data, let context = abstract?.pointee else { return -1 }
    let signer = Unmanaged<SignerBox>.fromOpaque(context).takeUnretainedValue().signer
    guard let bytes = try? signer.sign(Array(UnsafeBufferPointer(start: data, count: count))),
          let out = malloc(max(bytes.count, 1))?.assumingMemoryBound(to: UInt8.self) else { return -1 }
    out.initialize(from: bytes, count: bytes.count)
    signature.pointee = out
    length.pointee = bytes.count
    return 0
}

extension LibSSH2Session {
    /// Runs a call returning a C string that may fail with EAGAIN (NULL + EAGAIN).
    func runPointerCString(
        token: CancelToken, deadline: ContinuousClock.Instant?, _ op: () -> UnsafeMutablePointer<CChar>?
    ) throws(SSHError) -> String? {
        while true {
            if let result = op() { return String(cString: result) }
            let code = lastError().code
            if code != LIBSSH2_ERROR_EAGAIN { return nil }
            if isWaitingToSend {
                var fds = [pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)]
                _ = poll(&fds, 1, 1000)
                continue
            }
            _ = try waitForData(token: token, deadline: deadline)
        }
    }
}
