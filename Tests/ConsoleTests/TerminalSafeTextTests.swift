@testable import Console
import Foundation
@testable import Rollout
import Testing

/// Host text is shown, never obeyed: every control character but tab (and newline where it
/// separates lines) made visible, in plain lines, live frames and JSON alike.
@Suite("terminal-safe text")
struct TerminalSafeTextTests {
    @Test func controlsAreShownAndPlainTextIsUntouched() {
        #expect(TerminalSafeText(lines: "plain text, tab\there, ünïcode ✓").text == "plain text, tab\there, ünïcode ✓")
        #expect(TerminalSafeText(inline: "\u{1B}]52;c;ZXZpbA==\u{07}\u{1B}[2K\rok").text == "^[]52;c;ZXZpbA==^G^[[2K^Mok")
        #expect(TerminalSafeText(inline: "a\u{00}b\u{7F}c\u{9B}2Jd\u{85}e").text == "a^@b^?c<U+009B>2Jd<U+0085>e")
        // A newline separates lines (CRLF too), unless the text is one line's content.
        #expect(TerminalSafeText(lines: "one\r\ntwo\nthree\r").text == "one\ntwo\nthree^M")
        #expect(TerminalSafeText(inline: "one\ntwo").text == "one^Jtwo")
    }

    @Test func aLiveFrameShowsHostTextButKeepsItsOwnColours() throws {
        let start = ContinuousClock.now
        var progress = DeployProgress()
        progress.apply(.planned(DeployPlan(app: "shop", deployID: "d-1", release: "2.0.0", artifactSHA256: "ab", strategy: "rolling",
                                           waves: [["web-1"]], maxFailures: 0, rollbackPolicy: "standard")), at: start)
        progress.apply(.step(host: "web-1", step: .health, state: .failed, detail: "\u{1B}[2K\rok \u{1B}]0;pwned\u{07}"), at: start)
        let lines = LiveFrame(progress: progress, now: start, columns: 100, rows: 30, color: true).lines
        let failed = try #require(lines.first { $0.contains("web-1") && $0.contains("FAILED") })
        #expect(failed.hasPrefix("\u{1B}[31m") && failed.hasSuffix("\u{1B}[0m"), "\(lines)")
        #expect(failed.contains("^[[2K^Mok ^[]0;pwned^G"), "\(lines)")
        // The only escapes are the frame's own colour codes.
        for line in lines {
            let styles = line.replacing(/\u{1B}\[[0-9;]*m/, with: "")
            #expect(!styles.contains("\u{1B}"), "\(line.debugDescription)")
        }
    }

    @Test func jsonLinesEscapeWhatTheEncoderLeavesRaw() throws {
        let value = "a\u{7F}b\u{9B}2Jc\u{1B}d"
        let encoded = try JSONSerialization.data(withJSONObject: ["k": value])
        let line = JSONLine.escapingControls(String(decoding: encoded, as: UTF8.self))
        #expect(line == #"{"k":"a\u007fb\u009b2Jc\u001bd"}"#)
        let back = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
        #expect(back?["k"] == value)
        // Passing a JSON line through the terminal's safety changes nothing.
        #expect(TerminalSafeText(lines: line).text == line)
    }
}
