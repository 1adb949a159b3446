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
