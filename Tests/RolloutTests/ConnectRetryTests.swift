@testable import Rollout
import Testing
import Transport

/// Which failures to open a connection are tried again: the network's, never the host's answer.
@Suite("connect retries")
struct ConnectRetryTests {
    @Test(arguments: [
        SSHError(.connect, "h1: cannot connect to 127.0.0.2 port 22: timed out after 10.0 seconds"),
        SSHError(.connect, "h1: cannot connect to 127.0.0.2 port 22: Connection refused"),
        SSHError(.handshake, "h1: SSH handshake with cutover@127.0.0.2:22 timed out after 10.0 seconds"),
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
    ])
    func aRefusalIsNot(_ error: SSHError) {
        #expect(!HostConnector.isWorthRetrying(error))
    }
}
