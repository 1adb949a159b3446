/// One GET on a connection of its own: connect (TLS for `https`), send the request, read the
/// whole answer with ``HTTPResponseReader``, close. Every step shares one deadline.
///
/// - Important: blocking; ``HTTPGet`` runs it on a thread of its own.
struct HTTPExchange: Sendable {
    let target: HTTPTarget
    let deadline: ContinuousClock.Instant
    /// The deadline as messages name it: `2 s`.
    let limit: String
    let bodyLimit: Int
    let abandonment: HTTPAbandonment
    /// What a POST sends; nil for a GET.
    var payload: HTTPPayload? = nil

    func run() throws(HTTPGetError) -> HTTPGet.Response {
        let socket = try HTTPSocket.connect(host: target.host, port: target.port, deadline: deadline, limit: limit, abandonment: abandonment)
        defer { socket.close() }
        let stream: any HTTPByteStream = target.usesTLS ? try TLSStream(socket: socket, host: target.host) : socket
        try stream.send(target.request(sending: payload))
        var reader = HTTPResponseReader(bodyLimit: bodyLimit)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let count = try stream.receive(into: buffer)
            if count == 0 {
                try reader.finishAtClose()
                break
            }
            if try reader.consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) { break }
        }
        guard let response = reader.response else { throw HTTPGetError(.closed, "no answer") }
        return response
    }
}
