import CLibSSH2
import Glibc
import HostKeys

/// The steps from nothing to an authenticated session, on the session thread: TCP connect,
/// SSH handshake, host-key verification, authentication.
struct SessionOpening {
    let endpoint: SSHEndpoint
    let options: SSHOptions
    let context: SessionThreadContext
    let token: CancelToken
    /// An already connected socket (a tunnel through a jump host), or nil to connect over TCP.
    var socket: Int32?

    func open() throws(SSHError) -> HostKeyTrust {
        let deadline = ContinuousClock.now + options.connectTimeout
        let socket: Int32
        var proxy: ProxyCommand?
        if let tunnel = self.socket {
            socket = tunnel
        } else if let template = endpoint.proxyCommand {
            let started = try ProxyCommand.start(for: endpoint, template: template, log: options.proxyLog)
            TCPSocket.setNonBlocking(started.socket)
            socket = started.socket
            proxy = started
        } else { do {
            socket = try TCPSocket.connect(
                host: endpoint.host, port: endpoint.port, options: options,
                deadline: deadline, wakeFD: context.wakeFD, token: token)
        } catch where error.code == .timeout {
            throw SSHError(.connect, about: endpoint.name, "cannot connect to \(endpoint.host) port \(endpoint.port): timed out after \(options.connectTimeout)",
                           cause: error)
        } catch where error.code == .connect || error.code == .resolve {
            throw SSHError(error.code, about: endpoint.name, error.message, cause: error)
        } }
        let session: LibSSH2Session
        do {
            session = try LibSSH2Session(socket: socket, wakeFD: context.wakeFD, label: endpoint.name)
        } catch {
            Glibc.close(socket)
            proxy?.stop()
            throw error
        }
        do {
            try handshake(session, deadline: deadline)
            let trust = try HostKeyCheck.verify(session: session, endpoint: endpoint)
            var authenticator = Authenticator(session: session, endpoint: endpoint, token: token, deadline: deadline)
            try authenticator.authenticate()
            // libssh2_keepalive_config(3): no reply asked for (a reply nobody reads would pile up
            // in libssh2's packet queue); LibSSH2Session.waitForData sends them when due.
            if options.sshKeepaliveInterval > 0 {
                libssh2_keepalive_config(session.raw, 0, UInt32(options.sshKeepaliveInterval))
                session.keepalives = true
            }
            context.session = session
            context.teardown = { [weak context] in
                context?.session?.close()
                context?.session = nil
                proxy?.stop()
            }
            return trust
        } catch where error.code == .timeout {
            let exit = proxy?.exitDescription()
            session.close()
            proxy?.stop()
            throw SSHError(.handshake, about: endpoint.name, "SSH handshake with \(endpoint.display) timed out after \(options.connectTimeout)"
                + Self.proxyNote(proxy, exit: exit), cause: error)
        } catch {
            let exit = proxy?.exitDescription()
            session.close()
            proxy?.stop()
            guard proxy != nil else { throw error }
            var noted = SSHError(error.code, error.reason + Self.proxyNote(proxy, exit: exit), cause: error)
            noted.subject = error.subject
            throw noted
        }
    }

    /// ` (through ProxyCommand 'nc …', which exited with status 1)`, or nothing without a proxy.
    private static func proxyNote(_ proxy: ProxyCommand?, exit: String?) -> String {
        guard let proxy else { return "" }
        return " (through ProxyCommand '\(proxy.commandLine)'" + (exit.map { ", which \($0)" } ?? "") + ")"
    }

    /// libssh2_session_handshake(3): banner exchange, key exchange, host key; with Cutover's
    /// algorithm preferences set first.
    private func handshake(_ session: LibSSH2Session, deadline: ContinuousClock.Instant) throws(SSHError) {
        let preferences = AlgorithmPreferences.forEndpoint(endpoint)
        try preferences.apply(to: session)
        let socket = session.socket
        let rc = try session.run(token: token, deadline: deadline) {
            Int(libssh2_session_handshake(session.raw, libssh2_socket_t(socket)))
        }
        if rc != 0 {
            let error = session.lastError()
            // The socket failed or closed under the handshake (a lossy link, an sshd restarting):
            // the connection broke, which is worth another attempt; a key exchange refused is not.
            if error.code == LIBSSH2_ERROR_SOCKET_RECV || error.code == LIBSSH2_ERROR_SOCKET_SEND
                || error.code == LIBSSH2_ERROR_SOCKET_DISCONNECT {
                throw SSHError(.io, about: endpoint.name, "connection lost during the SSH handshake with \(endpoint.display): \(error.message)")
            }
            if rc == Int(LIBSSH2_ERROR_KEX_FAILURE), let kind = AlgorithmPreferences.unagreed(in: session) {
                throw SSHError(.algorithms, about: endpoint.name, Self.noAgreement(on: kind, with: endpoint, offered: preferences))
            }
            throw SSHError(.handshake, about: endpoint.name, "SSH handshake with \(endpoint.display) failed: \(error.message)")
        }
    }

    /// `no cipher in common with deploy@10.0.0.1: Cutover offers aes128-ctr, …; …legacy_algorithms…`.
    static func noAgreement(on kind: AlgorithmPreferences.Kind, with endpoint: SSHEndpoint, offered: AlgorithmPreferences) -> String {
        let what: String
        let lists: String
        switch kind {
        case .keyExchange, .hostKey:
            what = "key exchange method and host key type"
            lists = "key exchange \(offered.keyExchange.joined(separator: ", ")); host keys \(offered.hostKey.joined(separator: ", "))"
        case .cipher, .mac:
            what = kind.name
            lists = offered[kind].joined(separator: ", ")
        }
        let hint = endpoint.allowsLegacyAlgorithms ? "" :
            " (if the server cannot be upgraded, `legacy_algorithms: true` on the host also allows SHA-1, CBC and 3DES ones)"
        return "no \(what) in common with \(endpoint.display): Cutover offers \(lists)\(hint)"
    }
}
