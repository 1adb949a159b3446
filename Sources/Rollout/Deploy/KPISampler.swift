import Diagnostics
import Foundation
import Release
import Transport

/// Takes one sample of a KPI for one host: a command on the host, a Prometheus instant query or
/// an HTTP JSON value. Nil when there is no number (no data).
struct KPISampler: Sendable {
    let kpi: KPIDefinition

    func sample<Worker: HostWorker>(_ worker: Worker) async -> Double? {
        let values = await worker.templateValues
        do {
            switch kpi.source {
            case .command(let template):
                guard let text = await worker.measure(try template.render(values, escaping: ShellQuote.quote)) else { return nil }
                return Double(text.trimmingCharacters(in: .whitespacesAndNewlines))
            case .prometheus(let url, let query):
                guard let target = Self.prometheusQuery(try url.render(values), try query.render(values)),
                      let json = await Self.getJSON(target, bodyLimit: HTTPGet.queryBodyLimit) else { return nil }
                return Self.prometheusValue(json)
            case .http(let url, let path):
                guard let target = URL(string: try url.render(values)), let json = await Self.getJSON(target) else { return nil }
                return Self.value(at: path, in: json)
            }
        } catch {
            return nil
        }
    }

    /// Prometheus's instant-query URL for `query`. `+` is sent as `%2B`: `URLComponents` leaves
    /// it as is, and Prometheus (Go's form decoding) reads a bare `+` as a space, which turns
    /// `a + b` and `1e+0` into errors and the regex `code=~"5.+"` into `5. ` (hostile review).
    static func prometheusQuery(_ base: String, _ query: String) -> URL? {
        guard var components = URLComponents(string: base.trimmingSuffix("/") + "/api/v1/query") else { return nil }
        components.queryItems = [URLQueryItem(name: "query", value: query)]
        let encoded = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        components.percentEncodedQuery = encoded
        return components.url
    }

    /// The first sample of an instant vector, or a scalar: `{"data": {"resultType": …, "result": …}}`.
    static func prometheusValue(_ json: Any) -> Double? {
        guard let data = (json as? [String: Any])?["data"] as? [String: Any] else { return nil }
        let result = data["result"]
        if let vector = result as? [[String: Any]], let first = vector.first, let pair = first["value"] as? [Any], pair.count == 2 {
            return (pair[1] as? String).flatMap(Double.init)
        }
        if let pair = result as? [Any], pair.count == 2 {
            return (pair[1] as? String).flatMap(Double.init)
        }
        return nil
    }

    /// A number at a dot-separated path (`stats.errors.rate`, list indexes as numbers).
    static func value(at path: String, in json: Any) -> Double? {
        var node: Any? = json
        for part in path.split(separator: ".") {
            if let object = node as? [String: Any] { node = object[String(part)] }
            else if let list = node as? [Any], let index = Int(part), list.indices.contains(index) { node = list[index] }
            else { return nil }
        }
        if let number = node as? NSNumber { return number.doubleValue }
        if let text = node as? String { return Double(text) }
        return nil
    }

    /// The JSON of a 2xx answer within `bodyLimit` bytes; nil for anything else (another
    /// status, a redirect, which is not followed, a compressed body, which is not decoded).
    static func getJSON(_ url: URL, bodyLimit: Int = HTTPGet.checkBodyLimit) async -> Any? {
        URLPassword.register(in: url.absoluteString)
        guard case .success(let response) = await HTTPGet.fetch(url, timeout: .seconds(5), bodyLimit: bodyLimit),
              (200..<300).contains(response.status), response.contentEncoding == nil else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(response.body))
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
