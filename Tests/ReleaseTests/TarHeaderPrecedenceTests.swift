import Release
import Testing

/// Cutover must read each member's name, link and size exactly as GNU tar will on the hosts, or a
/// member it checked is not the member tar unpacks. Every expectation here is what GNU tar 1.34
/// extracted from the same bytes.
@Suite struct TarHeaderPrecedenceTests {
    let scratch = Scratch()

    func symlink(_ name: String, _ target: String) -> [UInt8] {
        TarBytes.header(name, type: "2", link: target)
    }

    @Test func paxLinkpathWinsOverALaterGnuLongLink() {
        // GNU tar made `l -> ../../../etc` in both orders; the `K` record and the header lose.
        let paxFirst = TarBytes.pax([("linkpath", "../../../etc")]) + TarBytes.gnuLong("K", "inside") + symlink("l", "short") + TarBytes.end
        #expect(refusal(of: paxFirst, in: scratch)?.code == .linkEscape)
        let gnuFirst = TarBytes.gnuLong("K", "inside") + TarBytes.pax([("linkpath", "../../../etc")]) + symlink("l", "short") + TarBytes.end
        #expect(refusal(of: gnuFirst, in: scratch)?.code == .linkEscape)
    }

    @Test func paxPathWinsOverAGnuLongNameInAnyOrder() {
        let paxFirst = TarBytes.pax([("path", "../escaped")]) + TarBytes.gnuLong("L", "inside") + TarBytes.header("h", size: 1) + TarBytes.data("x") + TarBytes.end
        #expect(refusal(of: paxFirst, in: scratch)?.code == .parentTraversal)
        let gnuFirst = TarBytes.gnuLong("L", "../escaped") + TarBytes.pax([("path", "inside")]) + TarBytes.header("h", size: 1) + TarBytes.data("x") + TarBytes.end
        #expect(refusal(of: gnuFirst, in: scratch) == nil)
    }

    @Test func aLaterPaxHeaderReplacesAnEarlierOneWhole() {
        // GNU tar keeps only the last `x` header before a member: an earlier `linkpath` or `size` is gone.
        let staleLink = TarBytes.pax([("linkpath", "inside")]) + TarBytes.pax([("comment", "c")]) + symlink("l", "../../../etc") + TarBytes.end
        #expect(refusal(of: staleLink, in: scratch)?.code == .linkEscape)
        let emptyPax = TarBytes.header("PaxHeaders/y", type: "x")
        #expect(refusal(of: TarBytes.pax([("linkpath", "inside")]) + emptyPax + symlink("l", "/etc") + TarBytes.end, in: scratch)?.code == .linkEscape)
        // A stale `size=512` would skip the next header as data: GNU tar unpacked `evil -> /etc`.
        let hidden = TarBytes.pax([("size", "512")]) + TarBytes.pax([("comment", "c")]) + TarBytes.header("a") + symlink("evil", "/etc") + TarBytes.end
        #expect(refusal(of: hidden, in: scratch)?.code == .linkEscape)
    }

    @Test func oldGnuHeadersHaveNoPrefix() {
        // Bytes 345–500 of an old GNU header are times and offsets: GNU tar made `l -> ../../x` at the top.
        let oldGNU = TarBytes.header("l", type: "2", link: "../../x", magic: TarBytes.oldGNU, prefix: "a/b") + TarBytes.end
        #expect(refusal(of: oldGNU, in: scratch)?.code == .linkEscape)
        // `ustar\0` joins the prefix whatever the version bytes say (GNU tar made `a/b/l`).
        let posix = TarBytes.header("l", type: "2", link: "../../x", prefix: "a/b") + TarBytes.end
        #expect(refusal(of: posix, in: scratch) == nil)
        let oddVersion = TarBytes.header("l", type: "2", link: "../../x", magic: "ustar\u{0}xx", prefix: "a/b") + TarBytes.end
        #expect(refusal(of: oddVersion, in: scratch) == nil)
    }

    @Test func anEmptyGnuLongNameIsAnEmptyName() {
        // GNU tar substituted `.` for the empty name and failed; the header's own name is not used.
        let empty = TarBytes.header("././@LongLink", type: "L", magic: TarBytes.oldGNU) + TarBytes.header("named", size: 1) + TarBytes.data("x") + TarBytes.end
        #expect(refusal(of: empty, in: scratch)?.code == .corrupt)
    }
}
