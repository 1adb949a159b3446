import Foundation
import Diagnostics

/// The ssh command-line arguments an Ansible inventory hands to ssh (`ansible_ssh_args`,
/// `ansible_ssh_common_args`, `ansible_ssh_extra_args`), mapped onto Cutover's connection settings.
///
/// Each value is split like a shell argv (Python's `shlex.split`, as Ansible does). Understood:
/// `-o Key=Value`, `-oKey=Value`, `-o "Key Value"` (for HostName, Port, User, IdentityFile,
/// ProxyJump, ProxyCommand, UserKnownHostsFile, StrictHostKeyChecking), `-J`, `-p`, `-i`, `-l`.
/// Where the values go follows the ssh command line Ansible builds: `ansible_ssh_args` first, then
/// Ansible's own `-o Port/IdentityFile/User` from `ansible_port`, `ansible_ssh_private_key_file`,
/// `ansible_user`, then the common and the extra arguments; ssh keeps the first value it is given
/// (identity files accumulate), and a `-o HostName` beats `ansible_host`, which is only ssh's host
/// argument. Everything else: `-F` (another ssh_config for one host) and `-o Host/Match/Include`
/// are errors, as is an `-o` keyword OpenSSH does not know (ssh refuses the command line) unless an
/// `-o IgnoreUnknown` before it names it; an option that changes how ssh connects or trusts a host
/// is a warning naming the line; options with no bearing on what Cutover does (`-C`, `-q`, `-o ControlMaster=…`, keep-alives)
/// are accepted silently.
struct AnsibleSSHArguments {
    /// The variables, in the order ssh sees them on the command line.
    static let names = ["ansible_ssh_args", "ansible_ssh_common_args", "ansible_ssh_extra_args"]

    var collector: DiagnosticCollector
    var path: String
    /// The host the arguments are for, named in messages.
    var host: String

    /// `settings` (from `ansible_host`, `ansible_port`, …) with the arguments applied around them.
    func apply(_ variables: [String: AnsibleVariables.Variable], to settings: ConnectionSettings) -> ConnectionSettings {
        guard !variables.isEmpty else { return settings }
        // One ssh command line: an `-o IgnoreUnknown` covers the options after it, in later variables too.
        var ignoreUnknown: String?
        let layers = Self.names.map { name in
            guard let variable = variables[name] else { return Layer(ignoreUnknown: ignoreUnknown) }
            let layer = parse(variable, ignoreUnknown: ignoreUnknown)
            ignoreUnknown = layer.ignoreUnknown
            return layer
        }
        // ssh_args come before Ansible's own options, the common and extra ones after.
        var result = layers[0].settings
        var identities = layers[0].identities
        result = result.filling(from: settings)
        identities += settings.identityFiles ?? []
        for (position, layer) in layers.enumerated() {
            if let flag = layer.jumpFlag, layers[..<position].contains(where: { $0.settings.jump != nil }) {
                report(flag, .error, "'\(flag.name)': '-J' after a ProxyJump or ProxyCommand given earlier on the command line (ssh refuses it)")
            }
            guard position > 0 else { continue }
            result = result.filling(from: layer.settings)
            identities += layer.identities
        }
        if let address = layers.lazy.compactMap(\.settings.address).first {
            result.address = address
        }
        var unique: [String] = []
        for file in identities where !unique.contains(file) { unique.append(file) }
        result.identityFiles = unique.isEmpty ? nil : unique
        return result
    }

    /// What one variable's arguments set.
    struct Layer {
        var settings = ConnectionSettings()
        var identities: [String] = []
        /// The variable, when it holds a `-J`.
        var jumpFlag: AnsibleVariables.Variable?
        /// The first `-o IgnoreUnknown` value on the command line so far.
        var ignoreUnknown: String?
    }

    private func parse(_ variable: AnsibleVariables.Variable, ignoreUnknown: String?) -> Layer {
        var layer = Layer(ignoreUnknown: ignoreUnknown)
        let text = variable.value.description
        guard let words = ArgumentWords.split(text) else {
            report(variable, .error, "'\(variable.name)': unterminated quote in '\(text)'")
            return layer
        }
        var index = 0
        func value(for flag: String, attached: Substring) -> String? {
            if !attached.isEmpty { return String(attached) }
            guard index < words.count else {
                report(variable, .error, "'\(variable.name)': '\(flag)' needs a value")
                return nil
            }
            index += 1
            return words[index - 1]
        }
        while index < words.count {
            let word = words[index]
            index += 1
            guard word.hasPrefix("-"), word.count > 1 else {
                report(variable, .error, "'\(variable.name)': unexpected argument '\(word)' (only ssh options belong here)")
                continue
            }
            var flags = word.dropFirst()
            while let flag = flags.first {
                flags = flags.dropFirst()
                if Self.valueFlags.contains(flag) {
                    guard let argument = value(for: "-\(flag)", attached: flags) else { break }
                    option(flag, argument, variable: variable, into: &layer)
                    flags = ""
                } else if Self.silentFlags.contains(flag) {
                    continue
                } else if let warning = Self.flagWarnings[flag] {
                    report(variable, .warning, "'\(variable.name)': '-\(flag)' (\(warning)) is not honoured by Cutover; it is ignored")
                } else {
                    report(variable, .warning, "'\(variable.name)': unknown ssh option '-\(flag)' is ignored")
                }
            }
        }
        return layer
    }

    private func option(_ flag: Character, _ argument: String, variable: AnsibleVariables.Variable, into layer: inout Layer) {
        switch flag {
        case "o": keyword(argument, variable: variable, into: &layer)
        case "p": set("port", argument, variable: variable, into: &layer)
        case "l": set("user", argument, variable: variable, into: &layer)
        case "i": set("identityfile", argument, variable: variable, into: &layer)
        case "J":
            // ssh allows one -J, and none after a ProxyCommand or ProxyJump (ssh.c refuses to run).
            if layer.jumpFlag != nil || layer.settings.jump != nil {
                report(variable, .error, "'\(variable.name)': '-J \(argument)' after another -J, ProxyJump or ProxyCommand (ssh refuses it)")
            }
            layer.jumpFlag = variable
            set("proxyjump", argument, variable: variable, into: &layer)
        case "F":
            report(variable, .error, "'\(variable.name)': '-F \(argument)' (another ssh_config for this host) is not supported; give the file to Cutover with --ssh-config")
        default:
            if let warning = Self.flagWarnings[flag] {
                report(variable, .warning, "'\(variable.name)': '-\(flag) \(argument)' (\(warning)) is not honoured by Cutover; it is ignored")
            }
        }
    }

    /// One `-o` option: `Key=Value`, `Key Value` or `Key = Value`.
    private func keyword(_ text: String, variable: AnsibleVariables.Variable, into layer: inout Layer) {
        let trimmed = text.drop { $0 == " " || $0 == "\t" }
        let name = trimmed.prefix { $0 != " " && $0 != "\t" && $0 != "=" }
        let rest = String(trimmed.dropFirst(name.count).drop { $0 == " " || $0 == "\t" || $0 == "=" })
        let keyword = SSHConfigKeywords.canonical(name.lowercased())
        switch keyword {
        case "host", "match", "include":
            report(variable, .error, "'\(variable.name)': '-o \(name)' is not allowed on ssh's command line")
        case _ where SSHConfigKeywords.honoured.contains(keyword):
            set(keyword, rest, variable: variable, into: &layer)
        case _ where rest.isEmpty:
            report(variable, .error, "'\(variable.name)': '-o \(name)' has no value (ssh refuses it)")
        case "ignoreunknown":
            if layer.ignoreUnknown == nil { layer.ignoreUnknown = ArgumentWords.split(rest)?.first ?? rest }
        case _ where SSHConfigKeywords.known[keyword] == nil:
            if !(layer.ignoreUnknown.map { SSHConfigKeywords.ignores($0, keyword) } ?? false) {
                report(variable, .error, "'\(variable.name)': '-o \(name)': unknown keyword\(Suggestion.hint(for: String(name), in: SSHConfigKeywords.currentNames)):"
                    + " ssh refuses the command line (\"Bad configuration option\") unless an -o IgnoreUnknown before it names it")
            }
        default:
            if let warning = SSHConfigKeywords.warning(for: keyword) {
                report(variable, .warning, "'\(variable.name)': -o " + warning.replacingOccurrences(of: "; this line is ignored", with: "; it is ignored"))
            }
        }
    }

    /// Sets one honoured keyword; first value wins within the variable, as in ssh.
    private func set(_ keyword: String, _ value: String, variable: AnsibleVariables.Variable, into layer: inout Layer) {
        let first = ArgumentWords.split(value)?.first ?? value
        var settings = layer.settings
        switch keyword {
        case "hostname":
            if let message = ConnectionValue.addressMessage(first, owner: "host '\(host)'", field: "'\(variable.name)': HostName") {
                report(variable, .error, message)
                return
            }
            if settings.address == nil { settings.address = first }
        case "port":
            guard let port = SSHConfigPort.parse(first) else {
                report(variable, .error, "'\(variable.name)': invalid port '\(first)' (expected 1...65535)")
                return
            }
            if settings.port == nil { settings.port = port }
        case "user":
            if let message = ConnectionValue.userMessage(first, owner: "host '\(host)'", field: "'\(variable.name)': User") {
                report(variable, .error, message)
                return
            }
            if settings.user == nil { settings.user = first }
        case "identityfile":
            layer.identities.append(PathResolution.absolutePath(SSHConfigTokens.expandTilde(first, home: PathResolution.currentHome)))
        case "proxyjump":
            if settings.jump == nil {
                let hops = first.split(separator: ",").map(String.init).filter { !$0.isEmpty }
                settings.jump = first.lowercased() == "none" || hops.isEmpty ? .direct : .proxyJump(hops)
            }
        case "proxycommand":
            if settings.jump == nil { settings.jump = value.lowercased() == "none" ? .direct : .proxyCommand(value) }
        case "userknownhostsfile":
            if settings.knownHostsFiles == nil {
                let files = ArgumentWords.split(value) ?? [value]
                settings.knownHostsFiles = files.first?.lowercased() == "none" ? ["/dev/null"]
                    : files.map { PathResolution.absolutePath(SSHConfigTokens.expandTilde($0, home: PathResolution.currentHome)) }
            }
        case "stricthostkeychecking":
            switch first.lowercased() {
            case "accept-new":
                if settings.hostKeyPolicy == nil { settings.hostKeyPolicy = .acceptNew }
            case "yes", "ask", "true":
                if settings.hostKeyPolicy == nil { settings.hostKeyPolicy = .strict }
            case "no", "off", "false":
                if settings.hostKeyPolicy == nil { settings.hostKeyPolicy = .strict }
                report(variable, .warning, "'\(variable.name)': StrictHostKeyChecking \(first) is treated as 'yes': Cutover never disables host-key checking")
            default:
                report(variable, .error, "'\(variable.name)': invalid StrictHostKeyChecking value '\(first)'")
            }
        default:
            break
        }
        layer.settings = settings
    }

    private func report(_ variable: AnsibleVariables.Variable, _ severity: Diagnostic.Severity, _ message: String) {
        if let point = variable.point {
            collector.report(severity == .error ? point.error(message) : point.warning(message))
        } else {
            collector.report(Diagnostic(severity: severity, message: message, location: SourceLocation(file: path, line: 1, column: 1), sourceLine: nil))
        }
    }

    /// ssh(1) options that take a value.
    private static let valueFlags: Set<Character> = ["B", "b", "c", "D", "E", "e", "F", "I", "i", "J", "L", "l", "m", "O", "o", "p", "Q", "R", "S", "W", "w"]
    /// ssh(1) options with no bearing on what Cutover does.
    private static let silentFlags: Set<Character> = ["C", "q", "v", "T", "t", "n", "N", "x", "X", "Y", "a", "k", "K", "f", "g", "s", "M", "G", "V", "P"]
    /// ssh(1) options that would change the connection, and what they are.
    private static let flagWarnings: [Character: String] = [
        "A": "agent forwarding", "4": "IPv4 only", "6": "IPv6 only", "B": "bind interface", "b": "bind address",
        "c": "ciphers", "m": "MACs", "D": "dynamic forwarding", "L": "local forwarding", "R": "remote forwarding",
        "I": "PKCS#11 provider", "w": "tunnel device", "W": "stdio forwarding",
    ]
}

/// Splits text into words as Python's `shlex.split` does (POSIX mode, `#` not a comment, as Ansible calls it): blanks separate words;
/// single quotes keep everything; double quotes keep everything but `\` before `"`, `\`, `$`,
/// `` ` `` and a newline; a backslash outside quotes escapes the next character. Nil when a quote
/// is left open.
enum ArgumentWords {
    static func split(_ text: String) -> [String]? {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var iterator = Array(text).makeIterator()
        while let character = iterator.next() {
            switch quote {
            case "'":
                if character == "'" { quote = nil } else { current.append(character) }
            case "\"":
                if character == "\"" {
                    quote = nil
                } else if character == "\\" {
                    guard let next = iterator.next() else { return nil }
                    if "\"\\$`\n".contains(next) { current.append(next) } else { current.append("\\"); current.append(next) }
                } else {
                    current.append(character)
                }
            default:
                if character == " " || character == "\t" || character == "\n" || character == "\r" {
                    if inWord { words.append(current); current = ""; inWord = false }
                } else if character == "'" || character == "\"" {
                    quote = character
                    inWord = true
                } else if character == "\\" {
                    guard let next = iterator.next() else { return nil }
                    current.append(next)
                    inWord = true
                } else {
                    current.append(character)
                    inWord = true
                }
            }
        }
        guard quote == nil else { return nil }
        if inWord { words.append(current) }
        return words
    }
}
