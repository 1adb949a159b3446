import Foundation
import Synchronization

/// Every secret value this process has read (secret inventory vars, secrets from the
/// environment, identity passphrases), and the one function that takes them out of text.
///
/// Loaders register a value the moment they read it; every sink that writes text people or
/// programs read (terminal lines, JSON events, JUnit and report files, error messages) passes it
/// through ``redact(_:)`` last, so a secret is hidden whichever path carried it there. A value
/// is redacted in every form ``SecretForms`` lists (each line of a multi-line value, shell-quoted
/// and JSON-escaped as Cutover writes it). Output that arrives in chunks goes through a
/// ``SecretStream``, so a secret split across chunks is hidden too.
///
/// - Important: process-wide on purpose: there is one terminal and one set of secrets per run,
///   and a sink must not depend on being handed the right registry.
public enum SecretRedaction {
    /// What a secret is replaced with.
    public static let mask = "[secret]"

    /// The registered forms, longest first (so a secret that contains another is hidden whole).
    struct Patterns: Sendable {
        var texts: [String] = []
        var bytes: [[UInt8]] = []
        var longest: Int { bytes.first?.count ?? 0 }
    }

    private static let patterns = Mutex(Patterns())

    /// Remembers a secret value (the empty string is not a secret).
    public static func register(_ value: String) {
        guard !value.isEmpty else { return }
        let forms = SecretForms(of: value).all
        patterns.withLock { patterns in
            var texts = Set(patterns.texts)
            // Checks register their URL's password on every attempt: a known value changes nothing.
            guard !texts.isSuperset(of: forms) else { return }
            texts.formUnion(forms)
            patterns.texts = texts.sorted { $0.utf8.count > $1.utf8.count || ($0.utf8.count == $1.utf8.count && $0 < $1) }
            patterns.bytes = patterns.texts.map { Array($0.utf8) }
        }
    }

    /// `text` with every form of every registered secret replaced by ``mask``.
    public static func redact(_ text: String) -> String {
        let known = current.texts
        guard !known.isEmpty else { return text }
        var result = text
        for value in known where result.contains(value) {
            result = result.replacingOccurrences(of: value, with: mask)
        }
        return result
    }

    /// The registered forms now.
    static var current: Patterns { patterns.withLock { $0 } }
}
