import Foundation

/// Where a GET goes and what its request line and `Host` header say, taken from a URL:
/// `http` or `https`, a host (a name or an IP address, IPv6 in brackets), an optional port,
/// the path and query exactly as written (still percent-encoded), and user info as basic auth.
struct HTTPTarget: Sendable, Hashable {
    var usesTLS: Bool
    /// The name or address to connect to (IPv6 without brackets).
    var host: String
    var port: Int
    /// `/path?query`, as sent in the request line.
    var requestTarget: String
    /// The `Host` header: the host, and the port unless it is the scheme's default.
    var hostHeader: String
    /// `Authorization: Basic …` from `user:password@` in the URL.
    var basicAuthorization: String?

    init(_ url: URL) throws(HTTPGetError) {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw HTTPGetError(.url, "only http:// and https:// URLs can be requested")
        }
        var host = components.percentEncodedHost ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || ".-_:%".contains($0) }) else {
            throw HTTPGetError(.url, "the URL has no usable host")
        }
        usesTLS = scheme == "https"
        let defaultPort = usesTLS ? 443 : 80
        port = components.port ?? defaultPort
        guard (1...65535).contains(port) else { throw HTTPGetError(.url, "invalid port \(port)") }
        self.host = host
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        requestTarget = path + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        let shownHost = host.contains(":") ? "[\(host)]" : host
        hostHeader = port == defaultPort ? shownHost : "\(shownHost):\(port)"
        if let user = components.user {
            basicAuthorization = "Basic " + Data("\(user):\(components.password ?? "")".utf8).base64EncodedString()
        }
    }

    /// The request: HTTP/1.1, one request per connection, no compressed encodings asked for.
    var request: [UInt8] { request(sending: nil) }

    /// A GET, or with `payload` a request of its method carrying its body.
    func request(sending payload: HTTPPayload?) -> [UInt8] {
        var lines = [
            "\(payload?.method ?? "GET") \(requestTarget) HTTP/1.1",
            "Host: \(hostHeader)",
            "User-Agent: cutover",
            "Accept: */*",
            "Accept-Encoding: identity",
            "Connection: close",
        ]
        if let basicAuthorization { lines.append("Authorization: \(basicAuthorization)") }
        if let payload {
            lines.append("Content-Type: \(payload.contentType)")
            lines.append("Content-Length: \(payload.body.count)")
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) + (payload?.body ?? [])
    }
}
