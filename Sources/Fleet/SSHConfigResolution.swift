import Diagnostics
import Foundation

/// The fields Cutover uses for one host, resolved from ssh_config as `ssh -G` resolves them, with
/// tokens expanded where OpenSSH expands them.
///
/// `IdentityFile` and `UserKnownHostsFile` get `~`, `%` tokens and `${VAR}`; a relative path is
/// relative to the working directory, as for ssh. `ProxyCommand` is kept as written: its tokens
/// name the final address, port and user, which the inventory may still change, so Transport
/// expands it when it connects. `ProxyJump` takes no tokens in OpenSSH 9.2.
struct SSHConfigResolution {
    var settings: ConnectionSettings
    /// The host name ssh would connect to (`hostname` in `ssh -G`).
    var hostName: String
    /// Mistakes found while evaluating and expanding (an unknown keyword ssh would refuse the file
    /// for, an unknown token), with where they were written.
    var diagnostics: [Diagnostic]
    /// A warning when `StrictHostKeyChecking no` (or `off`, `false`) applies: Cutover checks anyway.
    var disabledHostKeyChecking: Diagnostic?

    /// `runsCommands`: whether `Match exec` may run (see ``SSHConfigEvaluator``).
    init(config: SSHConfig, host hostArgument: String, runsCommands: Bool = true) {
        let (values, host) = SSHConfigEvaluator(config: config, runsCommands: runsCommands).evaluate(hostArgument)
        let local = config.local
        var diagnostics = values.unknownKeywords + values.execWarnings
        var settings = ConnectionSettings()
        hostName = host
        if values.hostName != nil { settings.address = host }
        settings.port = values.port
        settings.user = values.user
        let port = values.port ?? 22
        let remoteUser = values.user ?? local.user
        let tokens = SSHConfigTokens(values: [
            "C": SSHConfigTokens.connectionHash(local: local.hostName, host: host, port: port, user: remoteUser),
            "d": local.home, "h": host, "i": String(local.userID), "k": host, "L": local.shortHostName,
            "l": local.hostName, "n": hostArgument, "p": String(port), "r": remoteUser, "u": local.user,
        ])
        func path(_ written: String, keyword: String) -> String? {
            do {
                let expanded = try SSHConfigTokens.expandEnvironment(
                    tokens.expand(SSHConfigTokens.expandTilde(written, home: local.home)), environment: local.environment)
                return PathResolution.absolutePath(expanded)
            } catch {
                let message = "cannot expand '\(written)' for host '\(hostArgument)': \(error.message)"
                diagnostics.append(values.points[keyword]?.error(message) ?? .error(message))
                return nil
            }
        }
        if !values.identityFiles.isEmpty {
            settings.identityFiles = values.identityFiles.compactMap { path($0, keyword: "identityfile") }
        }
        if let files = values.userKnownHostsFiles {
            // `none`: no user known_hosts file at all (an empty one, which nothing can be added to).
            settings.knownHostsFiles = files.first?.lowercased() == "none" ? ["/dev/null"] : files.compactMap { path($0, keyword: "userknownhostsfile") }
        }
        if let value = values.strictHostKeyChecking {
            settings.hostKeyPolicy = value == "accept-new" ? .acceptNew : .strict
            if ["no", "off", "false"].contains(value) {
                disabledHostKeyChecking = values.points["stricthostkeychecking"]?.warning(
                    "StrictHostKeyChecking \(value) is treated as 'yes': Cutover never disables host-key checking")
            }
        }
        switch values.proxy {
        case .jump(let text) where text.lowercased() == "none":
            settings.jump = .direct
        case .jump(let text):
            let hops = text.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            settings.jump = hops.isEmpty ? nil : .proxyJump(hops)
        case .command(let text) where text.lowercased() == "none":
            settings.jump = .direct
        case .command(let text):
            settings.jump = .proxyCommand(text)
        case nil:
            break
        }
        self.settings = settings
        self.diagnostics = diagnostics
    }
}
