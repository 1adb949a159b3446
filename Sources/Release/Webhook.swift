public import Diagnostics

/// One `notify:` webhook: a JSON POST to `url` on the deploy events it asks for.
///
/// Not an error: a webhook that fails. It is warned about and never changes the exit code.
public struct Webhook: Sendable, Hashable {
    /// The events a webhook can ask for.
    public enum Event: String, Sendable, Hashable, CaseIterable, Comparable {
        case started, paused, verdict
        case rolledBack = "rolled_back"
        case finished

        public static func < (lhs: Event, rhs: Event) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// The URL as written: `http://` or `https://`, with `{{ secrets.NAME }}` placeholders that
    /// are filled from the runner's environment variable `NAME` when the deploy starts.
    public var url: String
    /// The runner variables the URL names (`{{ secrets.NAME }}`), in order.
    public var secretNames: [String]
    /// Which events are sent (default: all).
    public var events: Set<Event>
    /// Bounds each POST: connect, TLS, request and answer (default 5 s).
    public var timeout: Duration
    /// Where the webhook was written.
    public var location: SourceLocation?

    public init(url: String, secretNames: [String] = [], events: Set<Event> = Set(Event.allCases), timeout: Duration = .seconds(5),
                location: SourceLocation? = nil) {
        self.url = url
        self.secretNames = secretNames
        self.events = events
        self.timeout = timeout
        self.location = location
    }

    /// The URL with each `{{ secrets.NAME }}` replaced by `values[NAME]`; nil names the first
    /// variable that has no value.
    public func resolvedURL(_ values: [String: String]) -> Result<String, MissingSecret> {
        var text = url
        for name in secretNames {
            guard let value = values[name], !value.isEmpty else { return .failure(MissingSecret(name: name)) }
            text = Self.replacing(name, in: text, with: value)
        }
        return .success(text)
    }

    /// A `{{ secrets.NAME }}` whose runner variable is unset or empty.
    public struct MissingSecret: Error, Sendable, Hashable {
        public var name: String
    }

    /// `{{ secrets.NAME }}` placeholders, with any spacing inside the braces.
    static var placeholder: Regex<(Substring, Substring)> { #/\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/# }

    static func replacing(_ name: String, in text: String, with value: String) -> String {
        text.replacing(placeholder) { match in
            String(match.output.1) == name ? value : String(match.output.0)
        }
    }
}
