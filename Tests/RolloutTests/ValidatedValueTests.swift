import Release
@testable import Rollout
import Testing

/// The values the step scripts take instead of strings: a ``ReleaseID`` and a ``LeaseToken``
/// are made only from text that passes their validation, so hostile text never reaches a
/// remote command as a release name or a token.
@Suite("release ids and lease tokens")
struct ValidatedValueTests {
    static let hostileReleases = [
        "", "../x", "..", "a b", "$(id)", "`id`", "1.0.0-aaaaaaaaaaaa\0", "1.0.0\0-aaaaaaaaaaaa", "1.0.0-aaaaaaaaaaaa\n",
        "1.0.0\n-aaaaaaaaaaaa", "../1.0.0-aaaaaaaaaaaa", "1.0.0/x-aaaaaaaaaaaa", "a b-aaaaaaaaaaaa", "$(id)-aaaaaaaaaaaa",
        "-aaaaaaaaaaaa", ".1-aaaaaaaaaaaa", "1.0.0-AAAAAAAAAAAA", "1.0.0-aaaaaaaaaaa", "1.0.0-aaaaaaaaaaaaa", "1.0.0-gggggggggggg",
        "1.0.0", "1.0.0-aaaaaaaaaaaa ", " 1.0.0-aaaaaaaaaaaa", "1.0.0-aaaaaaaaaaaa'", "1'-aaaaaaaaaaaa",
        String(repeating: "1", count: 65) + "-aaaaaaaaaaaa", String(repeating: "x", count: 4096),
    ]

    @Test(arguments: hostileReleases) func aHostileNameIsNoReleaseID(text: String) {
        #expect(ReleaseID(validating: text) == nil, "\(text.debugDescription)")
    }

    static let releases = ["1.0.0-0123456789ab", "2.0.0+build.7-cccccccccccc", "v1_2-ffffffffffff", String(repeating: "9", count: 64) + "-aaaaaaaaaaaa"]

    @Test(arguments: releases) func aReleaseIDReadsBackAsItself(text: String) throws {
        let id = try #require(ReleaseID(validating: text))
        #expect(id.description == text)
    }

    static let hostileTokens = ["", "-1", "+1", " 1", "1 ", "1\n", "1\0", "0x1", "1e3", "$(id)", "1;id", "١", "１",
                                String(repeating: "9", count: 19), String(repeating: "1", count: 4096)]

    @Test(arguments: hostileTokens) func hostileTextIsNoLeaseToken(text: String) {
        #expect(LeaseToken(validating: text) == nil, "\(text.debugDescription)")
    }

    @Test(arguments: ["0", "1", "42", "007", String(repeating: "9", count: 18)]) func aNumberIsALeaseToken(text: String) throws {
        let token = try #require(LeaseToken(validating: text))
        #expect(token.value == Int(text))
        #expect(LeaseToken(validating: token.description) == token)
    }
}
