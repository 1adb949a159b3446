@testable import Rollout
import Testing
import TestSupport
import Transport

/// Which failures to open a connection are tried again: the network's, never the host's answer.
/// Decided by codes (the error's and its causes'), never by the words of a message.
@Suite("connect retries")
struct ConnectRetryTests {
    @Test(arguments: [
        // As SessionOpening reports them: the code says the phase, the cause says what happened.
        SSHError(.connect, "h1: cannot connect to 127.0.0.2 port 22: timed out after 10.0 seconds",
                 cause: SSHError(.timeout, "connect timed out")),
        SSHError(.connect, "h1: cannot connect to 127.0.0.2 port 22: Connection refused",
                 cause: SSHError(.connect, "cannot connect to 127.0.0.2 port 22: Connection refused",
                                 cause: SSHError(.connect, "Connection refused", cause: SSHError(.refused, "Connection refused")))),
        SSHError(.handshake, "h1: SSH handshake with cutover@127.0.0.2:22 timed out after 10.0 seconds",
                 cause: SSHError(.timeout, "h1: timed out")),
        // Through a jump host, wrapped once more.
        SSHError(.connect, "h2: via jump host h1: cannot connect to 127.0.0.2 port 22: timed out after 10.0 seconds",
                 cause: SSHError(.connect, "h1: cannot connect …", cause: SSHError(.timeout, "connect timed out"))),
        // A socket that closed under the banner exchange (30% packet loss in the fault matrix).
        SSHError(.io, "h1: connection lost during the SSH handshake with cutover@127.0.0.2:22: Failed getting banner"),
    ])
    func aNetworkFailureIsTriedAgain(_ error: SSHError) {
        #expect(HostConnector.isWorthRetrying(error))
    }

    @Test(arguments: [
        SSHError(.hostKey, "h1: host key changed"),
        SSHError(.authentication, "h1: every key was refused"),
        SSHError(.handshake, "h1: SSH handshake with cutover@127.0.0.2:22 failed: Unable to exchange encryption keys"),
        SSHError(.resolve, "h1: no such host"),
        // Words alone decide nothing: a message that says "timed out" or "refused" without the code.
        SSHError(.connect, "h1: ProxyCommand 'nc %h %p' timed out, refused"),
        SSHError(.handshake, "h1: SSH handshake failed: connection refused by policy"),
        // A timeout of something else than opening the connection.
        SSHError(.authentication, "h1: authentication timed out", cause: SSHError(.timeout, "timed out")),
    ])
    func aRefusalIsNot(_ error: SSHError) {
        #expect(!HostConnector.isWorthRetrying(error))
    }

    /// A real refused connect (the host's sshd stopped) carries the `refused` code and is tried
    /// ``HostConnector/attempts`` times; the exec JSON still says `connect`.
    @Test(.timeLimit(.minutes(2))) func aRefusedConnectionIsTriedAgainForReal() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            try await fleet.stopHost("h2")
            let log = EventLog()
            let summary = try await AdHocCommand(ExecRequest(
                connection: ConnectionSettings(inventoryPath: fleet.inventoryPath, sshConfigPath: "none", connectTimeout: .seconds(5)),
                command: "true")).run(events: log.sink)
            #expect(summary.ok == 1)
            let down = try #require(log.outcomes.first { $0.host == "h2" })
            #expect(down.status == .unreachable)
            #expect(down.error?.code == .connect)
            #expect(down.error?.message.contains("no connection after \(HostConnector.attempts) attempts") == true, "\(String(describing: down.error))")
        }
    }
}
