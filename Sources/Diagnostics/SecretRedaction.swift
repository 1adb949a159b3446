import Foundation
import Synchronization

/// Every secret value this process has read (secret inventory vars, secrets from the
/// environment, identity passphrases), and the one function that takes them out of text.
///
/// Loaders register a value the moment they read it; every sink that writes text people or
/// programs read (terminal lines, JSON events, JUnit and report files, error messages) passes it
/// through ``redact(_:)`` last, so a secret is hidden whichever path carried it there.
///
/// - Important: process-wide on purpose: there is one terminal and one set of secrets per run,
///   and a sink must not depend on being handed the right registry.
public enum SecretRedaction {
    /// What a secret is replaced with.
    public static let mask = "[secret]"

    private static let values = Mutex<Set<String>>([])

    /// Remembers a secret value (the empty string is not a secret).
    public static func register(_ value: String) {
        guard !value.isEmpty else { return }
        values.withLock { _ = $0.insert(value) }
    }

    /// `text` with every registered secret replaced by ``mask`` (longest first, so a secret that
    /// contains another is hidden whole).
    public static func redact(_ text: String) -> String {
        let known = values.withLock { $0 }
        guard !known.isEmpty else { return text }
        var result = text
        for value in known.sorted(by: { $0.count > $1.count }) where result.contains(value) {
            result = result.replacingOccurrences(of: value, with: mask)
        }
        return result
    }
}
