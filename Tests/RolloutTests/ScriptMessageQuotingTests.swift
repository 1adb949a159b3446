import Foundation
import Release
@testable import Rollout
import Testing
import TestSupport

@Suite("what step scripts print about a release")
struct ScriptMessageQuotingTests {
    static let v1 = "1.0.0-aaaaaaaaaaaa"

    /// Every message a step script prints about a release quotes it: run by the real `sh`
    /// against a deploy root without that release, no crafted id runs.
    @Test func scriptMessagesQuoteTheReleaseID() async throws {
        let base = NSTemporaryDirectory() + "crafted-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: base) }
        let root = base + "/web"
        try FileManager.default.createDirectory(atPath: root + "/releases/" + Self.v1, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/slots", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/slots/blue", withDestinationPath: "../releases/" + Self.v1)
        let scripts = RemoteScripts(layout: HostLayout(root: root), deploy: "d-1")
        for id in ["x$(touch${IFS}$R.pwned-subst)", "`touch ${R}.pwned-tick`", "q'$(touch${IFS}$R.pwned-quote)'", "n\n$(touch${IFS}$R.pwned-nl)"] {
            for script in [scripts.switchCurrent(to: id), scripts.stage(.green, release: id, start: "true", environment: [:]),
                           scripts.switchSlot(to: .blue, release: id, hook: "true", environment: [:])] {
                let result = try await Shell.runDetached(["sh", "-c", scripts.layout.preamble + script])
                #expect(result.status == 1, "\(result.output)")
                #expect(result.stderr.contains(id), "\(result.stderr)")
            }
        }
        let markers = try FileManager.default.contentsOfDirectory(atPath: base).filter { $0.contains("pwned") }
        #expect(markers == [])
    }
}
