import Foundation
import Release
@testable import Rollout
import Testing
import TestSupport

/// What a host reports is checked where it is parsed, and what scripts print about an id is
/// quoted: a crafted release name is listed as unrecognised and never reaches a decision.
@Suite("crafted names in what a host reports")
struct CraftedHostStateTests {
    func probe(_ sections: [(String, [String])]) -> String {
        sections.map { name, lines in (["@t " + name] + lines).joined(separator: "\n") }.joined(separator: "\n") + "\n"
    }

    static let v1 = "1.0.0-aaaaaaaaaaaa", v2 = "2.0.0-bbbbbbbbbbbb"
    static let (id1, id2) = (tableReleaseID(v1), tableReleaseID(v2))

    @Test func releaseNamesThatAreNotIDsAreUnrecognisedAndNeverOffered() {
        let crafted = ["x$(touch${IFS}/tmp/pwned)", "y'q'", "@journal", "2099 deploy=d step=switch to=\(Self.v2) from=\(Self.v1)", "3.0.0-CCCCCCCCCCCC"]
        let state = HostState.parse(probe([
            ("current", ["releases/" + Self.v2]),
            ("releases", [Self.v1] + crafted + [Self.v2, ".stage-" + Self.v2]),
            ("journal", ["t1 deploy=d1 step=switch to=\(Self.v2) from=\(Self.v1)",
                         "t2 deploy=d2 step=switch to=\(Self.v2) from=\(crafted[0])",
                         "t3 deploy=$(id) step=extract release=\(Self.v2)",
                         "t4 deploy=d3 step=rollback to=\(Self.v1) from=\(Self.v2)x"]),
        ]), tag: "t")
        #expect(state.current?.description == Self.v2)
        #expect(state.releases.map(\.description) == [Self.v1, Self.v2])
        #expect(state.previous?.description == Self.v1)
        #expect(state.journal.map(\.deploy) == ["d1"])
        #expect(state.unrecognised == crafted.map { "releases/" + $0 } + [
            "journal: t2 deploy=d2 step=switch to=\(Self.v2) from=\(crafted[0])",
            "journal: t3 deploy=$(id) step=extract release=\(Self.v2)",
            "journal: t4 deploy=d3 step=rollback to=\(Self.v1) from=\(Self.v2)x",
        ])
        let retention = ReleaseRetention(releases: state.releases, keep: 1, protected: [Self.id2], journal: state.journal)
        #expect(retention.removable.map(\.description) == [Self.v1])
    }

    @Test func aCurrentLockOrSlotThatIsNotCutoversIsIgnored() {
        let state = HostState.parse(probe([
            ("current", ["releases/x", "$(touch${IFS}/tmp/pwned)"]),
            ("releases", [Self.v1]),
            ("lock", ["owner=evil pid 1", "deploy=d-$(id)", "expires=0", "token=1;id", "release=\(Self.v1)'", "@journal"]),
            ("slots", ["blue \(Self.v1)", "green x$(id)", "live blue"]),
        ]), tag: "t")
        #expect(state.current == nil)
        #expect(state.previous == nil)
        #expect(state.lock == ["owner": "evil pid 1", "expires": "0"])
        #expect(state.slots == [.blue: Self.id1])
        #expect(state.liveSlot == .blue)
        #expect(state.unrecognised == [
            "current -> releases/x?$(touch${IFS}/tmp/pwned)",
            "lock: deploy=d-$(id)", "lock: token=1;id", "lock: release=\(Self.v1)'", "lock: @journal",
            "slots: green x$(id)",
        ])
        // The raw lock file (as `cat` prints it while a deploy holds it) is read the same way.
        #expect(HostState.lockFields("owner=a@b pid 2\ndeploy=d-1\ntoken=7\nrelease=x$(id)\n") == ["owner": "a@b pid 2", "deploy": "d-1", "token": "7"])
        // The artifact a lease names: a full lowercase sha256 and an absolute path, or nothing.
        let sha = String(repeating: "ab", count: 32)
        #expect(HostState.lockFields("release=\(Self.v1)\nsha256=\(sha)\nartifact=/tmp/a b.tar\n") == ["release": Self.v1, "sha256": sha, "artifact": "/tmp/a b.tar"])
        #expect(HostState.lockFields("sha256=\(sha.uppercased())\nartifact=../x.tar\nsha256=abc\n") == [:])
        #expect(LeaseArtifact(lock: ["release": Self.v1, "sha256": "00", "artifact": "/x\u{1b}y"]).map { [$0.sha256, $0.path] } == [nil, nil])
        #expect(LeaseArtifact(lock: ["sha256": sha]) == nil)
        // A switch script's `from=` that is not a release id is not where the host came from.
        #expect(HostDeployment.switchedFrom("from=x$(id)\n", to: Self.id2) == nil)
        #expect(HostDeployment.switchedFrom("from=\(Self.v1)\n", to: Self.id2) == Self.id1)
        #expect(HostDeployment.switchedFrom("from=\(Self.v2)\n", to: Self.id2) == nil)
    }
}
