import Foundation
import Release
import Testing
import TestSupport
@testable import Rollout

/// The runner's own HTTP requests (`http:` health checks, HTTP and Prometheus KPIs) against
/// endpoints that misbehave on purpose, on loopback: each ends within its time, memory and
/// trust bounds.
@Suite("HTTP checks against hostile endpoints", .timeLimit(.minutes(2)))
struct HTTPCheckTests {
    private func probe(timeout: Duration) -> HealthProbe {
        HealthProbe(check: HealthCheck(kind: .http(url: try! Template(parsing: "http://unused/"), status: nil), timeout: timeout),
                    values: TemplateValues(host: "h1", address: "127.0.0.1"))
    }

    /// An endpoint that sends one byte a second never lets a check outlive its timeout: the
    /// timeout bounds connect, request and the whole body, not the gap between two bytes.
    @Test func aDrippingEndpointFailsTheCheckWithinItsTimeout() async throws {
        let server = try HostileHTTPServer(address: "127.0.0.1", answer: .drip(interval: .seconds(1)))
        defer { server.stop() }
        let started = ContinuousClock.now
        let failure = await probe(timeout: .seconds(2)).http(server.url(), expected: nil)
        let elapsed = ContinuousClock.now - started
        // The drip takes 300 s; the deadline ends it at 2 s. The bound leaves room for a loaded
        // machine (12 s seen with every suite running), the message says which limit fired.
        #expect(elapsed < .seconds(30), "took \(elapsed)")
        let message = try #require(failure)
        #expect(message.contains("no complete answer within 2 s"), "\(message)")
    }

    /// A compressed answer is never decoded, and no answer is read past its cap: a gzip bomb
    /// (512 MiB of zeros in 2.3 MiB) fails the check at once with the cap in the message.
    @Test func aGzipBombFailsFastAtTheBodyCap() async throws {
        let server = try HostileHTTPServer(address: "127.0.0.1", answer: .gzipBomb(members: 8))
        defer { server.stop() }
        let started = ContinuousClock.now
        let failure = await probe(timeout: .seconds(60)).http(server.url(), expected: nil)
        // Well before the check's own 60 s: the cap ended it, not the timeout.
        #expect(ContinuousClock.now - started < .seconds(30))
        let message = try #require(failure)
        #expect(message.contains("body over 1 MiB"), "\(message)")
        // A KPI source gets no number from it either, just as fast.
        let kpiStart = ContinuousClock.now
        #expect(await KPISampler.getJSON(try #require(URL(string: server.url("/stats")))) == nil)
        #expect(ContinuousClock.now - kpiStart < .seconds(30))
    }

    /// An https:// URL naming an IP address in a form the resolver takes but OpenSSL does not
    /// check (`127.1`, one number, octal) is refused before the handshake: unchecked, any
    /// trusted certificate would pass for it (hostile review).
    @Test func httpsToAnAddressInAShortFormIsRefused() async throws {
        let server = try HostileHTTPServer(address: "127.0.0.1", answer: .body("ok"))
        defer { server.stop() }
        let port = server.port
        for host in ["127.1", "2130706433", "0177.0.0.1"] {
            let failure = await probe(timeout: .seconds(5)).http("https://\(host):\(port)/health", expected: nil)
            #expect(failure?.contains("plain form") == true, "\(host): \(failure ?? "passed")")
        }
        // The plain form gets as far as the handshake (which fails: the server speaks plain HTTP).
        let plain = await probe(timeout: .seconds(5)).http("https://127.0.0.1:\(port)/health", expected: nil)
        #expect(plain != nil && plain?.contains("plain form") == false, "\(plain ?? "passed")")
    }

    /// A Prometheus KPI query means to a real Prometheus what it says: a `+` (arithmetic, an
    /// exponent, a regex) is not read as a space.
    @Test func prometheusQueriesKeepTheirPlusSigns() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("co-prom-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A target that never answers still gives `up` a sample, which is what start waits for.
        let prometheus = try await PrometheusServer.start(in: directory, address: "127.0.0.1", targets: ["127.0.0.1:1"])
        defer { prometheus.stop() }
        // `up` of the scrape job `app` is 0 (its target never answers): the regex `a.+` matches
        // `app`, and with the `+` read as a space it would not (nor would `!~` exclude it).
        for (query, expected) in [("vector(1) + 1", 2.0), ("vector(1e+0) * 3", 3.0),
                                  ("up{job=~\"a.+\"}", 0.0), ("count(up{job!~\"a.+\"}) or vector(5)", 5.0)] {
            let url = try #require(KPISampler.prometheusQuery(prometheus.url + "/", query))
            let json = try #require(await KPISampler.getJSON(url, bodyLimit: HTTPGet.queryBodyLimit), "\(query): no answer")
            #expect(KPISampler.prometheusValue(json) == expected, "\(query) -> \(json)")
        }
    }

    /// A redirect is the check's answer: it fails naming the Location, and the address it
    /// points to never gets a request.
    @Test func aRedirectFailsTheCheckAndIsNotFollowed() async throws {
        let inside = try HostileHTTPServer(address: "127.0.0.2", answer: .body("{\"secret\": 1}"))
        defer { inside.stop() }
        let server = try HostileHTTPServer(address: "127.0.0.1", answer: .redirect(to: inside.url("/admin")))
        defer { server.stop() }
        let failure = await probe(timeout: .seconds(5)).http(server.url(), expected: nil)
        let message = try #require(failure)
        #expect(message.contains("302"), "\(message)")
        #expect(message.contains("Location \(inside.url("/admin"))"), "\(message)")
        #expect(await KPISampler.getJSON(try #require(URL(string: server.url("/stats")))) == nil)
        try await Task.sleep(for: .milliseconds(200))
        #expect(inside.requests == 0)
        #expect(server.requests == 2)
        // A playbook that expects the redirect gets it as the answer.
        #expect(await probe(timeout: .seconds(5)).http(server.url(), expected: 302) == nil)
    }

    /// A well-behaved endpoint still passes, and its JSON still reaches the KPI.
    @Test func anOrdinaryAnswerStillPasses() async throws {
        let server = try HostileHTTPServer(address: "127.0.0.1", answer: .body("{\"stats\": {\"errors\": 0.25}}"))
        defer { server.stop() }
        #expect(await probe(timeout: .seconds(5)).http(server.url(), expected: nil) == nil)
        let json = await KPISampler.getJSON(try #require(URL(string: server.url("/stats"))))
        #expect(json.flatMap { KPISampler.value(at: "stats.errors", in: $0) } == 0.25)
    }
}
