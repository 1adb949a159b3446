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

/// A release id in a test's table (a static value, which cannot throw): a typo in the table
/// stops the test run at once.
func tableReleaseID(_ text: String) -> ReleaseID {
    guard let id = ReleaseID(validating: text) else { preconditionFailure("not a release id in a test table: \(text)") }
    return id
}
