import Foundation
import Testing
@testable import Console
import Rollout
import Transport

@Suite("JSON Lines for exec")
struct ExecJSONRendererTests {
    func decode(_ line: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func aSuccessfulHostHasNullError() throws {
        let result = RemoteCommandResult(exitStatus: 0, signal: nil, stdout: Array("hi ☃\n".utf8), stderr: [], duration: .milliseconds(42))
        let outcome = HostOutcome(host: "web-1", address: "10.0.0.1", status: .ok, result: result, duration: .milliseconds(42))
        let line = ExecJSONRenderer.line(for: outcome)
        #expect(!line.contains("\n"))
        let object = try decode(line)
        #expect(object["host"] as? String == "web-1")
        #expect(object["exit_status"] as? Int == 0)
        #expect(object["stdout"] as? String == "hi ☃\n")
        #expect(object["error"] is NSNull)
        #expect(object["duration_ms"] as? Int == 42)
    }

    @Test func aFailedCommandAndAnUnreachableHostCarryErrors() throws {
        let result = RemoteCommandResult(exitStatus: 3, signal: nil, stdout: [], stderr: Array("boom".utf8), duration: .seconds(1))
        let failed = try decode(ExecJSONRenderer.line(for: HostOutcome(host: "a", address: "x", status: .failed, result: result, duration: .seconds(1))))
        #expect(failed["exit_status"] as? Int == 3)
        #expect(failed["error"] as? String == "command ended with exit 3")
        let down = try decode(ExecJSONRenderer.line(for: HostOutcome(
            host: "b", address: "y", status: .unreachable,
            error: HostFailure(.connect, "b: cannot connect to y port 22: Connection refused"), duration: .zero)))
        #expect(down["status"] as? String == "unreachable")
        #expect(down["exit_status"] is NSNull)
        #expect(down["error_code"] as? String == "connect")
    }

    /// `error_code` is a public schema: these strings never change (a new code may be added).
    static let errorCodes = [
        "resolve", "connect", "handshake", "algorithms", "hostKey", "authentication", "channel", "io",
        "timeout", "stalled", "cancelled", "closed", "remote", "integrity", "localFile",
    ]

    @Test func errorCodesAreTheSchemasStrings() throws {
        #expect(HostFailure.Code.allCases.map(\.rawValue) == Self.errorCodes)
        for code in HostFailure.Code.allCases {
            let line = ExecJSONRenderer.line(for: HostOutcome(host: "h", address: "a", status: .failed,
                                                               error: HostFailure(code, "h: broke"), duration: .zero))
            #expect(try decode(line)["error_code"] as? String == code.rawValue)
            #expect(line.contains("\"error_code\":\"\(code.rawValue)\""), "\(line)")
        }
    }

    /// The text line names the host once: an error about that host shows its reason; one about
    /// another host (a jump host on the way) keeps its subject.
    @Test func anUnreachableLineNamesTheHostOnce() {
        func line(_ failure: HostFailure) -> String {
            ExecTextRenderer.describe(HostOutcome(host: "h1", address: "127.0.0.2", status: .unreachable, error: failure, duration: .zero))
        }
        #expect(line(HostFailure(.connect, about: "h1", "cannot connect to 127.0.0.2 port 22: timed out"))
                == "h1: UNREACHABLE: cannot connect to 127.0.0.2 port 22: timed out")
        #expect(line(HostFailure(.connect, about: "bastion", "timed out")) == "h1: UNREACHABLE: bastion: timed out")
        #expect(line(HostFailure(.connect, "h1: words")) == "h1: UNREACHABLE: h1: words")
    }
}
