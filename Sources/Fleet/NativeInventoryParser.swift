import Diagnostics
import Foundation
import Yams

/// Reads Cutover's own YAML inventory (`environment`, `defaults`, `hosts`, `groups`) into a draft, reporting every mistake.
struct NativeInventoryParser {
    /// Top-level keys.
    static let topLevelKeys = ["environment", "defaults", "hosts", "groups"]
    /// Keys a host entry may have.
    static let hostKeys = [
        "address", "port", "user", "identity_file", "identity_passphrase_env", "known_hosts",
        "host_key", "host_key_policy", "jump", "legacy_algorithms", "labels", "vars",
    ]
    /// Keys `defaults` may have: connection settings shared by all hosts (no address, host_key, labels, vars).
    static let defaultsKeys = [
        "port", "user", "identity_file", "identity_passphrase_env", "known_hosts", "host_key_policy", "jump",
        "legacy_algorithms",
    ]
    /// Keys a group entry may have.
    static let groupKeys = ["hosts", "vars", "children"]

    var reader: YAMLReader
    var paths: PathResolution

    /// Parses a composed root mapping.
    func parse(root: Node, path: String) -> InventoryDraft {
        var draft = InventoryDraft(path: path)
        guard let entries = reader.mapping(root, for: "the inventory") else { return draft }
        for entry in reader.rejectUnknownKeys(entries, allowed: Self.topLevelKeys) {
            switch entry.key {
            case "environment":
                if let name = reader.string(entry.value, for: "environment") {
                    if EnvironmentName.isValid(name) {
                        draft.environment = name
                        draft.environmentPoint = point(entry.value)
                    } else {
                        reader.error(EnvironmentName.invalidMessage(name), at: entry.value)
                    }
                }
            case "defaults":
                if let settings = reader.mapping(entry.value, for: "defaults", allowNull: true) {
                    draft.defaults = connectionSettings(reader.rejectUnknownKeys(settings, allowed: Self.defaultsKeys, in: "defaults"), owner: "defaults")
                }
            case "hosts":
                if let hosts = reader.mapping(entry.value, for: "hosts", allowNull: true) {
                    draft.hosts = hosts.compactMap(host)
                }
            default:
                if let groups = reader.mapping(entry.value, for: "groups", allowNull: true) {
                    draft.groups = groups.compactMap(group)
                }
            }
        }
        return draft
    }

    private func point(_ node: Node) -> SourcePoint {
        let location = reader.location(of: node)
        return SourcePoint(location: location, sourceLine: reader.source.line(location.line))
    }

    private func validName(_ entry: YAMLEntry, kind: String) -> Bool {
        guard HostName.isValid(entry.key) else {
            reader.error(HostName.invalidMessage(entry.key, kind: kind), at: entry.keyNode)
            return false
        }
        return true
    }

    /// One `name: { … }` host entry; `name:` alone is a host with defaults only.
    private func host(_ entry: YAMLEntry) -> InventoryDraft.HostEntry? {
        let isValid = validName(entry, kind: "host")
        var host = InventoryDraft.HostEntry(name: entry.key, point: point(entry.keyNode))
        guard let fields = reader.mapping(entry.value, for: entry.key, allowNull: true) else { return nil }
        let known = reader.rejectUnknownKeys(fields, allowed: Self.hostKeys, in: "host '\(entry.key)'")
        host.settings = connectionSettings(known, owner: "host '\(entry.key)'")
        for field in known {
            switch field.key {
            case "address":
                // A refused address is dropped: the load fails, and nothing (no ssh_config lookup) uses it.
                host.settings.address = reader.string(field.value, for: "address").flatMap { (address: String) -> String? in
                    guard let message = ConnectionValue.addressMessage(address, owner: "host '\(entry.key)'") else { return address }
                    reader.error(message, at: field.value)
                    return nil
                }
            case "labels":
                host.labels = labels(field.value)
            case "vars":
                host.vars = vars(field.value)
            default:
                break
            }
        }
        return isValid ? host : nil
    }

    /// One `name: { hosts: […], vars: {…}, children: […] }` group entry.
    private func group(_ entry: YAMLEntry) -> InventoryDraft.GroupEntry? {
        let isValid = validName(entry, kind: "group")
        var group = InventoryDraft.GroupEntry(name: entry.key, point: point(entry.keyNode))
        guard let fields = reader.mapping(entry.value, for: entry.key, allowNull: true) else { return nil }
        for field in reader.rejectUnknownKeys(fields, allowed: Self.groupKeys, in: "group '\(entry.key)'") {
            switch field.key {
            case "hosts":
                group.hosts = nameReferences(field.value, for: "hosts")
            case "children":
                group.children = nameReferences(field.value, for: "children")
            default:
                group.vars = vars(field.value)
            }
        }
        return isValid ? group : nil
    }

    private func nameReferences(_ node: Node, for context: String) -> [InventoryDraft.NameReference] {
        if reader.isNull(node) { return [] }
        guard let items = reader.sequence(node, for: context) else { return [] }
        return items.compactMap { item in
            reader.string(item, for: context).map { InventoryDraft.NameReference(name: $0, point: point(item)) }
        }
    }

    /// Connection keys shared by hosts and `defaults`; other keys are left to the caller. `owner`
    /// names the entry in messages (`host 'web1'`, `defaults`).
    private func connectionSettings(_ fields: [YAMLEntry], owner: String) -> ConnectionSettings {
        var settings = ConnectionSettings()
        for field in fields {
            let value = field.value
            switch field.key {
            case "port":
                settings.port = port(value)
            case "user":
                settings.user = reader.string(value, for: "user").flatMap { (user: String) -> String? in
                    guard let message = ConnectionValue.userMessage(user, owner: owner) else { return user }
                    reader.error(message, at: value)
                    return nil
                }
            case "identity_file":
                settings.identityFiles = reader.stringList(value, for: "identity_file")?.map(paths.resolve)
            case "identity_passphrase_env":
                settings.passphraseEnvironmentVariable = reader.string(value, for: "identity_passphrase_env")
            case "known_hosts":
                settings.knownHostsFiles = reader.stringList(value, for: "known_hosts")?.map(paths.resolve)
            case "host_key":
                if let key = reader.string(value, for: "host_key") {
                    if key.hasPrefix("SHA256:") {
                        settings.hostKey = key
                    } else {
                        reader.error("host_key must be a SHA256 fingerprint starting with 'SHA256:', found '\(key)'", at: value)
                    }
                }
            case "host_key_policy":
                settings.hostKeyPolicy = policy(value)
            case "jump":
                if let name = reader.string(value, for: "jump") {
                    settings.jump = .inventory(name: name, point: point(value))
                }
            case "legacy_algorithms":
                settings.legacyAlgorithms = reader.bool(value, for: "legacy_algorithms")
            default:
                break
            }
        }
        return settings
    }

    private func port(_ node: Node) -> Int? {
        guard let port = reader.int(node, for: "port") else { return nil }
        guard (1...65535).contains(port) else {
            reader.error("invalid port \(port) (expected 1...65535)", at: node)
            return nil
        }
        return port
    }

    private func policy(_ node: Node) -> HostKeyPolicySetting? {
        guard let text = reader.string(node, for: "host_key_policy") else { return nil }
        if let policy = HostKeyPolicySetting(rawValue: text) { return policy }
        let allowed = HostKeyPolicySetting.allCases.map(\.rawValue)
        reader.error("invalid host_key_policy '\(text)' (expected 'strict' or 'accept-new')" + Suggestion.hint(for: text, in: allowed), at: node)
        return nil
    }

    private func labels(_ node: Node) -> [String: String] {
        guard let fields = reader.mapping(node, for: "labels", allowNull: true) else { return [:] }
        var labels: [String: String] = [:]
        for field in fields {
            if case .scalar = field.value, !reader.isNull(field.value), let text = reader.string(field.value, for: "label '\(field.key)'") {
                labels[field.key] = text
            } else {
                reader.error("expected a string for label '\(field.key)', found \(reader.kind(of: field.value))", at: field.value)
            }
        }
        return labels
    }

    private func vars(_ node: Node) -> [String: InventoryValue] {
        guard let fields = reader.mapping(node, for: "vars", allowNull: true) else { return [:] }
        var vars: [String: InventoryValue] = [:]
        for field in fields {
            vars[field.key] = secret(field) ?? InventoryValue(node: field.value)
        }
        return vars
    }

    /// `name: { secret: true, value: … }` or `name: { secret: true, env: NAME }`; nil when the
    /// value is not a mapping with a `secret` key (an ordinary variable).
    private func secret(_ field: YAMLEntry) -> InventoryValue? {
        guard case .mapping(let mapping) = field.value, mapping.keys.contains(where: { $0.string == "secret" }),
              let entries = reader.mapping(field.value, for: "secret var '\(field.key)'") else { return nil }
        let context = "secret var '\(field.key)'"
        var value: String?
        var sources = 0
        for entry in reader.rejectUnknownKeys(entries, allowed: ["secret", "value", "env"], in: context) {
            switch entry.key {
            case "secret":
                if let flag = reader.bool(entry.value, for: "secret"), !flag {
                    reader.error("'secret' can only be true (leave it out for an ordinary variable)", at: entry.value)
                }
            case "value":
                sources += 1
                if let text = reader.string(entry.value, for: "value") {
                    SecretRedaction.register(text)
                    value = text
                }
            case "env":
                sources += 1
                guard let name = reader.string(entry.value, for: "env") else { continue }
                if let text = ProcessInfo.processInfo.environment[name], !text.isEmpty {
                    SecretRedaction.register(text)
                    value = text
                } else {
                    reader.error("environment variable '\(name)' for \(context) is not set", at: entry.value)
                }
            default:
                break
            }
        }
        if sources != 1 {
            reader.error("\(context) needs exactly one of 'value' or 'env'", at: field.keyNode)
        }
        let hostName = field.key.uppercased()
        if !Self.isEnvironmentName(hostName) {
            reader.error("\(context): a secret's name must be letters, digits and '_' (not starting with a digit): its hosts see it as $\(hostName)", at: field.keyNode)
        } else if let reservation = SecretVariable.reservation(of: hostName) {
            reader.error("\(context): its hosts would see it as $\(hostName), \(reservation); choose another name", at: field.keyNode)
        }
        return .secret(SecretVariable(hostName: hostName, value: value ?? ""))
    }

    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}

extension InventoryValue {
    /// Converts a YAML node: quoted scalars are strings; plain ones become int, double, bool or string.
    ///
    /// A null becomes the empty string (inventories have no null); non-string map keys use their text.
    init(node: Node) {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain || scalar.style == .any {
                if let value = Int(scalar.string) {
                    self = .int(value)
                } else if node.null != nil {
                    self = .string("")
                } else if let value = node.bool {
                    self = .bool(value)
                } else if let value = node.float, !scalar.string.isEmpty {
                    self = .double(value)
                } else {
                    self = .string(scalar.string)
                }
            } else {
                self = .string(scalar.string)
            }
        case .sequence(let sequence):
            self = .list(sequence.map(InventoryValue.init(node:)))
        case .mapping(let mapping):
            var values: [String: InventoryValue] = [:]
            for (key, value) in mapping {
                values[key.string ?? "\(key)"] = InventoryValue(node: value)
            }
            self = .map(values)
        case .alias:
            self = .string("")
        }
    }
}
