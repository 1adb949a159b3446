import Foundation
import Release
@testable import Rollout
import Testing
import TestSupport

@Suite("what step scripts print about a release")
struct ScriptMessageQuotingTests {
    static let v1 = "1.0.0-aaaaaaaaaaaa"

    /// The crafted ids of the earlier test of these messages: none of them is a ``ReleaseID``,
    /// the only type the step scripts take as a release, so none reaches a script.
    static let crafted = ["x$(touch${IFS}$R.pwned-subst)", "`touch ${R}.pwned-tick`", "q'$(touch${IFS}$R.pwned-quote)'", "n\n$(touch${IFS}$R.pwned-nl)",
                          "1.0.0-aaaaaaaaaaaa$(id)", "1.0.0-aaaaaaaaaaaa\n$(id)", "$(id)-aaaaaaaaaaaa"]

    @Test(arguments: crafted) func aCraftedIDIsNoReleaseID(id: String) {
        #expect(ReleaseID(validating: id) == nil)
    }

    /// Every message a step script prints about a release names it (quoted with `ShellQuote`,
    /// as every value): run by the real `sh` against a deploy root without that release, each
    /// script stops with status 1 and says which.
    @Test func scriptMessagesNameTheReleaseQuoted() async throws {
        let base = NSTemporaryDirectory() + "crafted-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: base) }
        let root = base + "/web"
        try FileManager.default.createDirectory(atPath: root + "/releases/" + Self.v1, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/slots", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/slots/blue", withDestinationPath: "../releases/" + Self.v1)
        let scripts = RemoteScripts(layout: HostLayout(root: root), deploy: "d-1")
        for text in ["2.0.0-bbbbbbbbbbbb", "2.0.0+build.7-cccccccccccc"] {
            let id = try releaseID(text)
            for script in [scripts.switchCurrent(to: id), scripts.stage(.green, release: id, start: "true", environment: [:]),
                           scripts.switchSlot(to: .blue, release: id, hook: "true", environment: [:])] {
                let result = try await Shell.runDetached(["sh", "-c", scripts.layout.preamble + script])
                #expect(result.status == 1, "\(result.output)")
                #expect(result.stderr.contains(text), "\(result.stderr)")
            }
        }
    }
}
