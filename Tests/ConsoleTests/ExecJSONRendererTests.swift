import Foundation
import Testing
@testable import Console
import Rollout

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
}
