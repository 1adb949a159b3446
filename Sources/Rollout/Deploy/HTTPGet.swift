import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// GET requests from the orchestrator (http health checks, Prometheus and HTTP KPIs) over one
/// shared session: checks and KPI samples run every second or so on every host, and a session
/// per request would set up and tear down its machinery each time.
enum HTTPGet {
    struct Response: Sendable {
        var status: Int
        var body: Data
    }

    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 8
        return URLSession(configuration: configuration)
    }()

    /// The status and body, or the reason there is none.
    static func fetch(_ url: URL, timeout: Duration) async -> Result<Response, HTTPGetError> {
        var request = URLRequest(url: url)
        request.timeoutInterval = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        do {
            let (data, response) = try await session.data(for: request)
            guard let status = (response as? HTTPURLResponse)?.statusCode else { return .failure(HTTPGetError(message: "no HTTP response")) }
            return .success(Response(status: status, body: data))
        } catch {
            return .failure(HTTPGetError(message: error.localizedDescription))
        }
    }
}

struct HTTPGetError: Error {
    var message: String
}
