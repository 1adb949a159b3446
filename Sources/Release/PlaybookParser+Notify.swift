import Diagnostics
import Foundation
import Yams

extension PlaybookParser {
    /// Keys of one `notify:` webhook.
    static let webhookKeys = ["url", "events", "timeout"]

    /// `notify:`, a list of webhooks (`- url: https://…`, optional `events: [finished]`, `timeout: 5s`).
    func webhooks(_ node: Node) -> [Webhook] {
        if reader.isNull(node) { return [] }
        guard let items = reader.sequence(node, for: "notify") else { return [] }
        return items.compactMap(webhook)
    }

    private func webhook(_ node: Node) -> Webhook? {
        guard let entries = reader.mapping(node, for: "a notify webhook") else { return nil }
        var webhook = Webhook(url: "", location: reader.location(of: node))
        var url: String?
        var valid = true
        for entry in reader.rejectUnknownKeys(entries, allowed: Self.webhookKeys, in: "a notify webhook") {
            switch entry.key {
            case "url":
                guard let text = reader.string(entry.value, for: "url") else { valid = false; continue }
                guard let names = webhookSecretNames(text, at: entry.value) else { valid = false; continue }
                url = text
                webhook.secretNames = names
            case "events":
                guard let names = reader.stringList(entry.value, for: "events") else { valid = false; continue }
                var events = Set<Webhook.Event>()
                for name in names {
                    if let event = Webhook.Event(rawValue: name) { events.insert(event); continue }
                    let known = Webhook.Event.allCases.map(\.rawValue)
                    reader.error("unknown notify event '\(name)' (expected \(known.joined(separator: ", ")))" + Suggestion.hint(for: name, in: known), at: entry.value)
                    valid = false
                }
                if names.isEmpty {
                    reader.error("'events' must name at least one event (leave it out for all)", at: entry.value)
                    valid = false
                }
                webhook.events = events
            default:
                if let value = reader.duration(entry.value, for: "timeout") { webhook.timeout = value } else { valid = false }
            }
        }
        guard let url else {
            if valid { reader.error("a notify webhook needs 'url'", at: node) }
            return nil
        }
        webhook.url = url
        return valid ? webhook : nil
    }

    /// The `{{ secrets.NAME }}` names of a webhook URL; nil (with an error) when the URL is not
    /// `http(s)://host…` or has another placeholder.
    private func webhookSecretNames(_ text: String, at node: Node) -> [String]? {
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            reader.error("invalid notify url '\(Self.shownWebhookURL(text))' (expected http:// or https://)", at: node)
            return nil
        }
        guard !text.replacing(Webhook.placeholder, with: "").unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7f }) else {
            reader.error("invalid notify url: spaces and control characters must be percent-encoded", at: node)
            return nil
        }
        var names: [String] = []
        for match in text.matches(of: Webhook.placeholder) where !names.contains(String(match.output.1)) {
            names.append(String(match.output.1))
        }
        let rest = text.replacing(Webhook.placeholder, with: "")
        if rest.contains("{{") || rest.contains("}}") {
            reader.error("notify url placeholders are {{ secrets.NAME }} only (NAME: a variable of the runner's environment)", at: node)
            return nil
        }
        return names
    }

    /// A URL as a message may show it: only scheme and host.
    static func shownWebhookURL(_ text: String) -> String {
        guard let end = text.range(of: "://").map({ text[$0.upperBound...] }) else { return "[not a URL]" }
        return String(text[..<end.startIndex]) + String(end.prefix { $0 != "/" && $0 != "?" && $0 != "@" })
    }
}
