/// A request body and the method that carries it (a webhook's `POST` of JSON).
struct HTTPPayload: Sendable, Hashable {
    var method = "POST"
    var contentType = "application/json"
    var body: [UInt8]
}
