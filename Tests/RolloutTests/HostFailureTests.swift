@testable import Rollout
import Testing
import Transport

/// Transport's error codes as Rollout reports them: the exec JSON's `error_code` keeps the
/// strings it always had, whatever Transport calls its codes.
@Suite("host failure codes")
struct HostFailureTests {
    /// Every code Transport has, and the schema string it is reported as.
    static let pinned: [(SSHError.Code, String)] = [
        (.resolve, "resolve"), (.connect, "connect"), (.handshake, "handshake"), (.algorithms, "algorithms"),
        (.hostKey, "hostKey"), (.authentication, "authentication"), (.channel, "channel"), (.io, "io"),
        (.timeout, "timeout"), (.stalled, "stalled"), (.cancelled, "cancelled"), (.closed, "closed"),
        (.remote, "remote"), (.integrity, "integrity"), (.localFile, "localFile"),
        // Finer in Transport than in the schema: a refused connect is a `connect` failure.
        (.refused, "connect"),
    ]

    @Test func eachTransportCodeKeepsItsSchemaString() {
        for (transport, text) in Self.pinned {
            let failure = HostFailure(SSHError(transport, "h1: broke"))
            #expect(failure.code.rawValue == text, "\(transport)")
            #expect(failure.message == "h1: broke")
        }
        // Each is mapped explicitly, none by the fallback, and no Rollout code is left without one.
        #expect(HostFailure.codes.map(\.transport) == Self.pinned.map(\.0))
        #expect(Set(HostFailure.codes.map(\.code)) == Set(HostFailure.Code.allCases))
    }

    @Test func unreachableMeansTheSameOnBothSides() {
        for (transport, _) in Self.pinned {
            #expect(HostFailure(SSHError(transport, "x")).isUnreachable == SSHError(transport, "x").isUnreachable, "\(transport)")
        }
    }

    @Test func anOutcomeCarriesTheMappedFailure() {
        let outcome = HostOutcome.failure(host: "h1", address: "127.0.0.2", error: SSHError(.hostKey, "h1: host key changed"), duration: .zero)
        #expect(outcome.status == .failed)
        #expect(outcome.error == HostFailure(.hostKey, "h1: host key changed"))
        let lost = HostOutcome.failure(host: "h1", address: "127.0.0.2", error: SSHError(.io, "h1: gone"), duration: .zero)
        #expect(lost.status == .unreachable)
    }

    /// The host's name travels as a field, never cut back out of the words: a line that names
    /// the host shows the reason; an error about another host keeps its whole message.
    @Test func theSubjectIsAFieldNotAPrefixToCutOff() {
        let own = SSHError(.connect, about: "h1", "cannot connect to 127.0.0.2 port 22: timed out")
        #expect(own.message == "h1: cannot connect to 127.0.0.2 port 22: timed out")
        #expect(own.reason(about: "h1") == "cannot connect to 127.0.0.2 port 22: timed out")
        #expect(own.reason(about: "h2") == own.message)
        // A reason that happens to start like another host's name is never cut.
        let plain = SSHError(.io, "h1: looks like a subject")
        #expect(plain.subject == nil && plain.reason(about: "h1") == "h1: looks like a subject")
        let failure = HostFailure(own)
        #expect(failure.subject == "h1" && failure.message == own.message && failure.reason(about: "h1") == own.reason)
        // Retries keep the subject: the wrapped reason names the last attempt's reason only.
        let retried = HostConnector.afterAttempts(own, attempts: 3, spent: .seconds(32), host: "h1")
        #expect(retried.subject == "h1")
        #expect(retried.message == "h1: no connection after 3 attempts in 32.0 s (last: cannot connect to 127.0.0.2 port 22: timed out)")
    }
}
