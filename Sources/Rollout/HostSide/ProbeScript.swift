import Foundation
import Transport

/// The read-only script that prints a deploy root's state, and the one reader of what it
/// prints (``HostState/parse(_:tag:)``).
///
/// The state comes in sections, each after a header line `@TAG name`, where `TAG` is a random
/// word made for this script: nothing on the host can know it, so no data line (a release
/// named `@journal`, a crafted lock file) can pass for a header, and the data is printed as it
/// is, without a filter. `ls -q` prints a newline in a name as `?`.
///
/// Few processes on the host: `readlink` (the link's own text: a shell cannot read it, and
/// resolving it would hide an alias), `tail` (keeps every byte of the journal's lines), and
/// `ls` only where ``HostLayout/listReader``'s builtins cannot answer; so `status` costs about
/// what `exec -- true` does.
struct ProbeScript: Sendable {
    let tag: String
    let text: String

    init(layout: HostLayout) {
        let tag = ScriptTag().text
        self.tag = tag
        // Each header starts on a line of its own even after data without a final newline.
        text = layout.preamble + """
        \(HostLayout.listReader)
        s() { printf '\\n@%s %s\\n' \(tag) "$1"; }
        s current; readlink "$R/current" 2>/dev/null
        s releases; co_list "$R/releases"
        s lock; if [ -f "$M/lock" ] && [ ! -L "$M/lock" ]; then while IFS= read -r l || [ -n "$l" ]; do printf '%s\\n' "$l"; done < "$M/lock"; fi
        s journal; if [ -f "$J" ] && [ ! -L "$J" ]; then tail -n 200 "$J"; fi
        s tar; if command -v tar >/dev/null 2>&1; then echo yes; else echo no; fi
        s manifests
        for f in "$M"/releases/*.sha256; do if [ -f "$f" ] && [ ! -L "$f" ] && read -r h < "$f"; then n=${f##*/}; echo "${n%.sha256} $h"; fi; done
        s slots
        for n in blue green; do if [ -L "$R/slots/$n" ]; then t=$(readlink "$R/slots/$n") && printf '%s %s\\n' "$n" "${t##*/}"; fi; done
        if [ -L "$R/live" ]; then t=$(readlink "$R/live") && printf 'live %s\\n' "${t##*/}"; fi
        s end
        true
        """
    }

    /// What the host said, read from the script's output (and whatever a script printed after it).
    func state(_ output: String) -> HostState {
        HostState.parse(output, tag: tag)
    }

    /// What a script run after the probe printed (after its last header): never the probe's data.
    func after(_ output: String) -> String {
        guard let range = output.range(of: "\n@\(tag) end\n") else { return "" }
        return String(output[range.upperBound...])
    }
}
