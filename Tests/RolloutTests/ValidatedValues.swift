import Release
@testable import Rollout
import Testing

/// A release id the test writes by hand, as the script builders take it: recorded as a test
/// failure (and thrown) when the text is not one.
func releaseID(_ text: String) throws -> ReleaseID {
    try #require(ReleaseID(validating: text), "not a release id: \(text)")
}

/// A lease token the test writes by hand, as the fenced scripts take it.
func leaseToken(_ value: Int) throws -> LeaseToken {
    try #require(LeaseToken(validating: String(value)), "not a lease token: \(value)")
}
