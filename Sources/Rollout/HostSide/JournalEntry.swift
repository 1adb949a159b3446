import Foundation
import Release
import Transport

/// One line of `.cutover/journal`: `<UTC time> deploy=<id> step=<step> key=value…`.
/// Values are release ids, deploy ids, words: never spaces or newlines (replaced before writing).
/// A line read back is checked to be shaped so: its release fields are release ids, parsed once
/// there (``release(_:)``).
struct JournalEntry: Sendable, Hashable {
    let time: String
    let deploy: String
    let step: JournalStep
    /// Every field as written, release ids as their text (`status` shows them so).
    let fields: [String: String]
    /// The release fields that hold a release id (not an empty `from`), as parsed.
    private let releases: [String: ReleaseID]

    /// Fields whose values are release ids (empty when there was none: `from` of a first switch).
    static let releaseFields: Set<String> = ["to", "from", "release"]

    /// An entry as Cutover writes it: `releases` are its release fields (nil: written empty, as
    /// the `from` of a first switch), `fields` the others.
    init(time: String, deploy: String, step: JournalStep, releases: [String: ReleaseID?] = [:], fields: [String: String] = [:]) {
        assert(fields.keys.allSatisfy { !Self.releaseFields.contains($0) }, "release fields go in `releases`")
        (self.time, self.deploy, self.step) = (time, deploy, step)
        self.fields = fields.merging(releases.mapValues { $0?.description ?? "" }) { _, release in release }
        self.releases = releases.compactMapValues { $0 }
    }

    /// Parses a line; nil for lines that are not journal entries, and for lines Cutover did not
    /// write: a deploy id, step or key that is not a ``HostWord`` name, or a release field that
    /// is not a release id. Such a line is never acted on. A step word this version does not
    /// know (another version wrote it) is not an error: ``JournalStep/other(_:)``.
    init?(line: String) {
        // Split on the space byte (no grapheme breaking: `status` reads 200 lines per host).
        // A space followed by a combining mark splits here too: the word after it is not a
        // name, so the line means what it would with any other word there.
        let space = UInt8(ascii: " "), equals = UInt8(ascii: "=")
        let parts = line.utf8.split(separator: space)
        guard parts.count >= 3 else { return nil }
        time = String(Substring(parts[0]))
        var values: [String: String] = [:]
        for part in parts.dropFirst() {
            guard let eq = part.firstIndex(of: equals) else { continue }
            values[String(Substring(part[..<eq]))] = String(Substring(part[part.index(after: eq)...]))
        }
        guard let deploy = values.removeValue(forKey: "deploy"), let step = values.removeValue(forKey: "step"),
              HostWord.isName(deploy), HostWord.isName(step) else { return nil }
        var releases: [String: ReleaseID] = [:]
        for (key, value) in values {
            guard HostWord.isName(key) else { return nil }
            guard Self.releaseFields.contains(key), !value.isEmpty else { continue }
            guard let release = ReleaseID(validating: value) else { return nil }
            releases[key] = release
        }
        self.deploy = deploy
        self.step = JournalStep(word: step)
        fields = values
        self.releases = releases
    }

    /// A release field (`to`, `from`, `release`) as a release id; nil when the entry has no such
    /// field or it is empty (the `from` of a first switch).
    func release(_ key: String) -> ReleaseID? {
        releases[key]
    }

    var line: String {
        ([time, "deploy=\(deploy)", "step=\(step.word)"] + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
            .joined(separator: " ")
    }

    /// A shell command (one brace group) appending an entry stamped with the host's clock.
    /// `shellFields` values are shell expressions (such as `$old`) expanded on the host.
    static func appendCommand(deploy: String, step: JournalStep, fields: [String: String] = [:], shellFields: [String: String] = [:]) -> String {
        let rest = (["deploy=\(deploy)", "step=\(step.word)"] + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
            .map(DeployPreparation.oneWord)
            .joined(separator: " ")
        var format = "%s %s"
        var arguments = ["\"$co_when\"", ShellQuote.quote(rest)]
        for (key, expression) in shellFields.sorted(by: { $0.key < $1.key }) {
            format += " \(key)=%s"
            arguments.append("\"\(expression)\"")
        }
        return "{ \(Self.utcNow) printf '\(format)\\n' \(arguments.joined(separator: " ")) >> \"$J\"; }"
    }

    /// Sets `$co_when` to the host's UTC time (`2026-12-07T10:06:29Z`): bash's own `printf`
    /// where it can (no process), `date` elsewhere.
    static let utcNow = "case ${BASH_VERSION:-} in [5-9]*) TZ=UTC0 printf -v co_when '%(%Y-%m-%dT%H:%M:%SZ)T' -1 ;; "
        + "*) co_when=$(date -u +%Y-%m-%dT%H:%M:%SZ) ;; esac;"
}
