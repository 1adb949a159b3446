import Foundation
import Testing
import TestSupport
@testable import Transport

@Suite("ssh-agent authentication", .timeLimit(.minutes(2)))
struct AgentTests {
    @Test func aKeyHeldOnlyByTheAgentAuthenticates() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let socket = fleet.directory + "/agent.sock"
            // ssh-agent -D stays in the foreground: we own its pid and stop it ourselves.
            let agent = Process()
            agent.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-agent")
            agent.arguments = ["-D", "-a", socket]
            agent.standardOutput = FileHandle.nullDevice
            try agent.run()
            defer {
                // ssh-agent -D may outlive SIGTERM while a client is attached: stop it for sure.
                kill(agent.processIdentifier, SIGKILL)
                agent.waitUntilExit()
            }
            // The agent may take a moment to listen on a loaded machine: retry until it answers.
            var added = try await Shell.runDetached(["ssh-add", fleet.identityPath], environment: ["SSH_AUTH_SOCK": socket])
            for _ in 0..<100 where added.status != 0 {
                try await Task.sleep(for: .milliseconds(100))
                added = try await Shell.runDetached(["ssh-add", fleet.identityPath], environment: ["SSH_AUTH_SOCK": socket])
            }
            #expect(added.status == 0, "ssh-add: \(added.output)")

            var endpoint = fleet.endpoint()
            endpoint.identityFiles = [fleet.directory + "/no-such-key"]
            endpoint.useAgent = true
            endpoint.agentSocketPath = socket
            let connection = try await SSHConnection.connect(to: endpoint)
            #expect(try await connection.run("whoami").stdoutText == "cutover\n")
            await connection.close()

            // Without the agent the same endpoint has nothing that works, and says what it tried.
            endpoint.useAgent = false
            do {
                _ = try await SSHConnection.connect(to: endpoint)
                Issue.record("connected without any usable key")
            } catch let error as SSHError {
                #expect(error.code == .authentication)
                #expect(error.message.contains("no-such-key"))
            }
        }
    }
}
