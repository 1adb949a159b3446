import Diagnostics
import Foundation

/// A command or address with `{{ host }}`, `{{ address }}`, `{{ vars.NAME }}` and, in blue/green
/// deploys, `{{ slot }}` and `{{ slot_port }}` placeholders.
///
/// Parsing checks the placeholder names, so a misspelt one is a load-time mistake; `vars.*`
/// values are only looked up when rendering.
public struct Template: Sendable, Hashable, CustomStringConvertible {
    /// One piece of a parsed template.
    enum Segment: Sendable, Hashable {
        case literal(String)
        case placeholder(String)
    }

    /// Names every template may use besides `vars.NAME`.
    public static let builtinPlaceholders = ["host", "address", "slot", "slot_port"]

    /// The text as written.
    public let text: String
    let segments: [Segment]

    /// The template with no text, used as a placeholder while a check is being read.
    static let empty = Template(text: "", segments: [])

    private init(text: String, segments: [Segment]) {
        self.text = text
        self.segments = segments
    }

    /// Parses text, rejecting unterminated `{{` and unknown placeholder names.
    public init(parsing text: String) throws(TemplateError) {
        self.text = text
        var segments: [Segment] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex {
                segments.append(.literal(String(rest[..<open.lowerBound])))
            }
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else {
                throw TemplateError("unterminated '{{' in template '\(text)'")
            }
            let name = afterOpen[..<close.lowerBound].trimmingWhitespace()
            try Self.validate(name, in: text)
            segments.append(.placeholder(name))
            rest = afterOpen[close.upperBound...]
        }
        if !rest.isEmpty {
            segments.append(.literal(String(rest)))
        }
        self.segments = segments
    }

    /// The placeholder names in order of appearance, as written without surrounding spaces.
    public var placeholders: [String] {
        segments.compactMap { segment in
            if case .placeholder(let name) = segment { return name }
            return nil
        }
    }

    /// Substitutes the values; a `vars.NAME` the host does not define is an error naming the host.
    public func render(_ values: TemplateValues) throws(TemplateError) -> String {
        try render(values, escaping: { $0 })
    }

    /// Substitutes the values, each passed through `escape` first (shell-quoting for commands,
    /// so that a variable holding `$(…)` or `;` stays data).
    public func render(_ values: TemplateValues, escaping escape: (String) -> String) throws(TemplateError) -> String {
        var output = ""
        for segment in segments {
            switch segment {
            case .literal(let literal):
                output += literal
            case .placeholder("host"):
                output += escape(values.host)
            case .placeholder("address"):
                output += escape(values.address)
            case .placeholder("slot"):
                guard let slot = values.slot else { throw Self.noSlot("slot", in: text) }
                output += escape(slot)
            case .placeholder("slot_port"):
                guard let port = values.slotPort else {
                    throw values.slot == nil ? Self.noSlot("slot_port", in: text)
                        : TemplateError("slot \(values.slot ?? "") has no port ('slots.\(values.slot ?? "").port' in the playbook) for template '\(text)'")
                }
                output += escape(String(port))
            case .placeholder(let name):
                let variable = String(name.dropFirst("vars.".count))
                guard let value = values.vars[variable] else {
                    throw TemplateError("host '\(values.host)' has no variable '\(variable)' used in template '\(text)'"
                        + Suggestion.hint(for: variable, in: values.vars.keys.sorted()))
                }
                output += escape(value)
            }
        }
        return output
    }

    /// The text as written.
    public var description: String { text }

    private static func noSlot(_ name: String, in text: String) -> TemplateError {
        TemplateError("'{{ \(name) }}' has a value only in blue/green deploys (the slot being started, checked or serving), in template '\(text)'")
    }

    private static func validate(_ name: String, in text: String) throws(TemplateError) {
        if builtinPlaceholders.contains(name) { return }
        if name.hasPrefix("vars.") {
            let variable = name.dropFirst("vars.".count)
            let allowed = variable.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
            if !variable.isEmpty && allowed { return }
            throw TemplateError("invalid variable name '\(variable)' in placeholder '{{ \(name) }}'")
        }
        if name.isEmpty {
            throw TemplateError("empty placeholder '{{ }}' in template '\(text)'")
        }
        throw TemplateError("unknown placeholder '\(name)' (expected host, address, slot, slot_port or vars.NAME)"
            + Suggestion.hint(for: name, in: builtinPlaceholders + ["vars"]))
    }
}

/// The values a template is rendered with: one host's name, address and variables.
public struct TemplateValues: Sendable, Hashable {
    /// The inventory name of the host.
    public var host: String
    /// The address the orchestrator connects to.
    public var address: String
    /// The host's variables as text.
    public var vars: [String: String]
    /// Blue/green: the slot a check or command is about.
    public var slot: String?
    /// Blue/green: that slot's port.
    public var slotPort: Int?

    /// Creates the values for one host.
    public init(host: String, address: String, vars: [String: String] = [:], slot: String? = nil, slotPort: Int? = nil) {
        self.host = host
        self.address = address
        self.vars = vars
        self.slot = slot
        self.slotPort = slotPort
    }

    /// The same values about one slot.
    public func about(slot: Slot, port: Int?) -> TemplateValues {
        var values = self
        values.slot = slot.rawValue
        values.slotPort = port
        return values
    }
}

/// A template that cannot be parsed or rendered.
public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, naming the placeholder.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    /// Same as `message`.
    public var description: String { message }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
