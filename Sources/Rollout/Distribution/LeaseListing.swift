import Foundation
import Release
import Transport

/// The file listing of the release `current` points at, read in the lease's round trip of a
/// deploy, so that a delta push needs no round trip of its own to read it
/// (``HostDeployment/pushDelta(_:release:playbook:)``).
///
/// The script runs after the lease was taken and prints, after a header line
/// `@TAG listing <release>` (`TAG` a random word made per script, as in ``ProbeScript``), the
/// first ``limit`` + 1 bytes of `.cutover/releases/<release>.files`; nothing when `current` is
/// missing or has no listing. `cd -P` finds the release without a process; `head` is the only one.
/// A listing longer than ``limit`` is not kept: the delta then reads it in a round trip of its
/// own, with the limit its manifest allows.
struct LeaseListing: Sendable {
    /// What the host printed: the release `current` points at and its listing.
    struct Found: Sendable, Equatable {
        var release: ReleaseID
        var text: String
    }

    /// The most a listing read this way may hold: within what a delta allows any listing
    /// (``DeltaSource/listingLimit()`` is at least 1 MiB).
    static let limit = 1 << 20

    let tag: String
    let script: String

    init(layout: HostLayout) {
        let tag = ScriptTag().text
        self.tag = tag
        script = layout.preamble + """
        co_c=; if cd -P -- "$R/current" 2>/dev/null; then co_c=${PWD##*/}; cd /; fi
        co_f="$M/releases/$co_c.files"
        if [ -n "$co_c" ] && [ -f "$co_f" ] && [ ! -L "$co_f" ]; then printf '\\n@%s listing %s\\n' \(tag) "$co_c"; head -c \(Self.limit + 1) -- "$co_f" || true; fi
        """
    }

    /// Splits a round trip's output into what came before the listing (the probe's and the
    /// lease's lines) and the listing found, nil when none was printed, it is longer than
    /// ``limit`` or its release is not a valid release id.
    func split(_ output: String) -> (before: String, found: Found?) {
        guard let header = output.range(of: "\n@\(tag) listing ") else { return (output, nil) }
        let before = String(output[..<header.lowerBound])
        let rest = output[header.upperBound...]
        guard let newline = rest.firstIndex(of: "\n") else { return (before, nil) }
        let text = String(rest[rest.index(after: newline)...])
        guard let release = ReleaseID(validating: String(rest[..<newline])), !text.isEmpty, text.utf8.count <= Self.limit else { return (before, nil) }
        return (before, Found(release: release, text: text))
    }
}
