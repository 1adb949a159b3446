import Release
import Testing

/// Symlinks followed the way the kernel follows them once the release is unpacked: each one
/// lexically inside the archive, together they climb out. Each case was unpacked with GNU tar 1.34
/// and `realpath` of the last link named a directory above the release.
@Suite struct SymlinkResolutionTests {
    let scratch = Scratch()

    func link(_ name: String, _ target: String) -> [UInt8] {
        TarBytes.header(name, type: "2", link: target)
    }

    @Test func aChainOfLinksEachClimbingOneDirectoryIsRefused() throws {
        // `a1 -> a0/..` is the release's parent once `a0 -> .` is followed; `config` reads `../../etc`.
        let chain = link("a0", ".") + link("a1", "a0/..") + link("a2", "a1/..") + link("config", "a2/etc") + TarBytes.end
        let error = try #require(refusal(of: chain, in: scratch))
        #expect(error.code == .linkEscape)
        #expect(error.message.contains("'a1'") && error.message.contains("'a0'"), "\(error.message)")
    }

    @Test func aLinkMadeToEscapeByALaterLinkIsRefused() throws {
        // `config -> sub/up/../etc` stays inside until `sub/up -> ..` arrives: the order is no defence.
        let later = TarBytes.header("sub/", type: "5") + link("config", "sub/up/../etc") + link("sub/up", "..") + TarBytes.end
        let error = try #require(refusal(of: later, in: scratch))
        #expect(error.code == .linkEscape)
        #expect(error.message.contains("'config'") && error.message.contains("'sub/up'"), "\(error.message)")
    }

    @Test func dotComponentsInANameDoNotHideItsDepth() {
        // GNU tar writes `a/./l` as `a/l`: `../..` from there is the release's parent.
        let dotted = TarBytes.header("a/", type: "5") + link("a/./l", "../..") + TarBytes.end
        #expect(refusal(of: dotted, in: scratch)?.code == .linkEscape)
        let below = TarBytes.header("a/", type: "5") + link("a/./d", "b") + TarBytes.header("a/d/f", size: 1) + TarBytes.data("x") + TarBytes.end
        #expect(refusal(of: below, in: scratch)?.code == .linkEscape)
    }

    @Test func linksThatNeverResolveAreRefused() {
        let loop = link("a", "b/x") + link("b", "a/..") + TarBytes.end
        #expect(refusal(of: loop, in: scratch)?.code == .linkEscape)
    }

    @Test func linksResolvingInsideThroughOtherLinksPass() {
        // What real releases hold: a link to the current directory, a library alias, links through both.
        let fine = link("current", ".") + TarBytes.header("lib64/", type: "5") + link("lib", "lib64")
            + TarBytes.header("lib64/a.so.1", size: 1) + TarBytes.data("x") + link("lib64/a.so", "a.so.1")
            + TarBytes.header("bin/", type: "5") + link("bin/a", "../current/lib/a.so") + link("bin/self", "../bin/../bin")
            + link("up", "bin/..") + link("dangling", "not/yet/there") + TarBytes.end
        #expect(refusal(of: fine, in: scratch) == nil)
    }
}
