import Release
@testable import Rollout
import Testing

/// What the lease round trip's output is split into: the probe's and the lease's lines, and the
/// listing after its header (``LeaseListing``). The listing is untrusted: nothing in it can
/// reach the lease's lines.
@Suite("Listing read with the lease")
struct LeaseListingTests {
    let listing = LeaseListing(layout: HostLayout(root: "/srv/app"))
    let release = "1.0.0-0123456789ab"

    @Test func theListingIsCutFromTheLeaseOutput() throws {
        let text = String(repeating: "a", count: 64) + "  bin/app\ntoken=999\n"
        let output = "probe lines\ntoken=7\n\n@\(listing.tag) listing \(release)\n" + text
        let (before, found) = listing.split(output)
        #expect(before == "probe lines\ntoken=7\n")
        #expect(found == LeaseListing.Found(release: try releaseID(release), text: text))
    }

    @Test func nothingPrintedMeansNoListing() {
        let (before, found) = listing.split("probe lines\ntoken=7\n")
        #expect(before == "probe lines\ntoken=7\n")
        #expect(found == nil)
    }

    @Test func aListingLongerThanTheLimitOrOfNoReleaseIsNotKept() {
        let long = String(repeating: "x", count: LeaseListing.limit + 1)
        #expect(listing.split("t\n\n@\(listing.tag) listing \(release)\n" + long).found == nil)
        #expect(listing.split("t\n\n@\(listing.tag) listing ../etc\nabc\n").found == nil)
        #expect(listing.split("t\n\n@\(listing.tag) listing \(release)\n").found == nil)
        // Another script's tag is data, not a header.
        let other = LeaseListing(layout: HostLayout(root: "/srv/app"))
        let output = "token=7\n\n@\(other.tag) listing \(release)\nabc\n"
        #expect(listing.split(output).before == output)
    }
}
