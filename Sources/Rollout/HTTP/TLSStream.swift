import COpenSSL
import Glibc

/// TLS over an ``HTTPSocket`` with the system's OpenSSL: TLS 1.2 or later, the certificate
/// chain checked against the system's trust store (`SSL_CERT_FILE` / `SSL_CERT_DIR` as
/// OpenSSL reads them) and against the URL's host name or IP address.
///
/// - Important: blocking, like its socket: only on the exchange's own thread. OpenSSL's error
///   queue is per thread, so each exchange reads only its own errors.
final class TLSStream: HTTPByteStream {
    let socket: HTTPSocket
    private let ssl: OpaquePointer

    /// One client context for every exchange; SSL_CTX_new(3), SSL_CTX_set_default_verify_paths(3).
    /// Configured once, here, then only read (SSL_new), which OpenSSL allows from any thread.
    private nonisolated(unsafe) static let context: OpaquePointer? = {
        guard let context = SSL_CTX_new(TLS_client_method()) else { return nil }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        guard SSL_CTX_set_default_verify_paths(context) == 1, cutover_ssl_ctx_min_tls12(context) == 1 else {
            SSL_CTX_free(context)
            return nil
        }
        _ = cutover_ssl_ctx_nonblocking_modes(context)
        cutover_ssl_ctx_ignore_unexpected_eof(context)
        return context
    }()

    /// Shakes hands over `socket` for `host` by the socket's deadline. (A failure after `ssl`
    /// exists frees it in `deinit`.)
    init(socket: HTTPSocket, host: String) throws(HTTPGetError) {
        ERR_clear_error()
        guard let context = Self.context, let ssl = SSL_new(context) else {
            throw HTTPGetError(.tls, "TLS is not available: \(Self.lastError())")
        }
        self.socket = socket
        self.ssl = ssl
        SSL_set_fd(ssl, socket.fd)
        let isAddress = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        if isAddress {
            // X509_VERIFY_PARAM_set1_ip_asc(3): the certificate must name this IP address. Only
            // the address's plain form: the resolver also takes `127.1`, `2130706433` or
            // `0177.0.0.1` (octal), which OpenSSL refuses or reads otherwise, and a check not set
            // would be no check at all.
            var plain = in6_addr()
            let canonical = host.contains(":") ? inet_pton(AF_INET6, host, &plain) == 1 : inet_pton(AF_INET, host, &plain) == 1
            guard canonical, X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1 else {
                throw HTTPGetError(.tls, "cannot check the certificate of \(host): write the IP address in its plain form (as 10.0.0.7 or [::1])")
            }
        } else {
            // SSL_set1_host(3) checks the certificate's names; SNI tells the server which we want.
            SSL_set1_host(ssl, host)
            _ = cutover_ssl_set_server_name(ssl, host)
        }
        while true {
            let rc = SSL_connect(ssl)
            if rc == 1 { return }
            let error = SSL_get_error(ssl, rc)
            if error == SSL_ERROR_WANT_READ { try socket.wait(for: Int16(POLLIN)); continue }
            if error == SSL_ERROR_WANT_WRITE { try socket.wait(for: Int16(POLLOUT)); continue }
            let verdict = SSL_get_verify_result(ssl)
            let reason = verdict != X509_V_OK ? "certificate not trusted: " + String(cString: X509_verify_cert_error_string(verdict)) : Self.lastError()
            throw HTTPGetError(.tls, "TLS handshake with \(host) failed: \(reason)")
        }
    }

    deinit {
        SSL_free(ssl)
    }

    func send(_ bytes: [UInt8]) throws(HTTPGetError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32(clamping: $0.count)) }
            if n > 0 { offset += Int(n); continue }
            let error = SSL_get_error(ssl, n)
            if error == SSL_ERROR_WANT_READ { try socket.wait(for: Int16(POLLIN)); continue }
            if error == SSL_ERROR_WANT_WRITE { try socket.wait(for: Int16(POLLOUT)); continue }
            throw HTTPGetError(.tls, "sending the request failed: \(Self.lastError())")
        }
    }

    func receive(into buffer: UnsafeMutableRawBufferPointer) throws(HTTPGetError) -> Int {
        while true {
            let n = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
            if n > 0 { return Int(n) }
            let error = SSL_get_error(ssl, n)
            if error == SSL_ERROR_ZERO_RETURN { return 0 }
            if error == SSL_ERROR_WANT_READ { try socket.wait(for: Int16(POLLIN)); continue }
            if error == SSL_ERROR_WANT_WRITE { try socket.wait(for: Int16(POLLOUT)); continue }
            if error == SSL_ERROR_SYSCALL && n == 0 { return 0 }
            throw HTTPGetError(.tls, "reading the answer failed: \(Self.lastError())")
        }
    }

    /// The oldest error on this thread's OpenSSL error queue; ERR_get_error(3).
    private static func lastError() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "unknown error" }
        var buffer = [UInt8](repeating: 0, count: 256)
        buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: pointer.count) { ERR_error_string_n(code, $0, pointer.count) }
        }
        return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    }
}
