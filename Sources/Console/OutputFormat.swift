/// How results are printed: for people, or JSON Lines for programs.
public enum OutputFormat: String, Sendable, Hashable, CaseIterable {
    case text
    case json
}
