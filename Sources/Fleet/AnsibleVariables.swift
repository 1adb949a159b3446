import Diagnostics

/// Maps Ansible inventory variables onto Cutover's host model.
///
/// `ansible_host`, `ansible_port`, `ansible_user` and `ansible_ssh_private_key_file` (and the older
/// `ansible_ssh_host`/`_port`/`_user` spellings) become connection settings; every other variable,
/// including other `ansible_*` ones, is kept in `vars`. Variables named `zone`, `rack` or `region`
/// are also copied into labels, since Ansible has no labels. The ssh arguments Ansible passes
/// (`ansible_ssh_common_args`, `ansible_ssh_extra_args`, `ansible_ssh_args`) are applied as ssh
/// would apply them (``AnsibleSSHArguments``); `ansible_connection` other than `ssh` or `smart` is
/// an error (Cutover only connects over SSH); password and host-key-checking switches are warnings.
struct AnsibleVariables {
    /// One variable with where it was written.
    struct Variable {
        var name: String
        var value: InventoryValue
        var point: SourcePoint?
    }

    /// What the variables of one host or group amount to.
    struct Mapped {
        var settings = ConnectionSettings()
        var vars: [String: InventoryValue] = [:]
        var labels: [String: String] = [:]
    }

    static let labelNames: Set<String> = ["zone", "rack", "region"]

    var paths: PathResolution
    var collector: DiagnosticCollector
    var path: String

    /// Maps the variables of `host` in order; a later variable of the same name wins. An address
    /// or user that could run commands through ssh_config (``ConnectionValue``) is an error and is
    /// not used.
    func map(_ variables: [Variable], host: String) -> Mapped {
        var mapped = Mapped()
        var sshArguments: [String: Variable] = [:]
        for variable in variables {
            let text = variable.value.description
            switch variable.name {
            case "ansible_host", "ansible_ssh_host":
                if let message = ConnectionValue.addressMessage(text, owner: "host '\(host)'", field: variable.name) {
                    report(variable.point, message)
                } else {
                    mapped.settings.address = text
                }
            case "ansible_user", "ansible_ssh_user":
                if let message = ConnectionValue.userMessage(text, owner: "host '\(host)'", field: variable.name) {
                    report(variable.point, message)
                } else {
                    mapped.settings.user = text
                }
            case "ansible_port", "ansible_ssh_port":
                if let port = Int(text), (1...65535).contains(port) {
                    mapped.settings.port = port
                } else {
                    report(variable.point, "invalid port '\(text)' for '\(variable.name)' (expected 1...65535)")
                }
            case "ansible_ssh_private_key_file", "ansible_private_key_file":
                mapped.settings.identityFiles = [paths.resolve(text)]
                if !text.hasPrefix("/") && !text.hasPrefix("~") {
                    let message = "relative key path '\(text)' is resolved against the inventory's directory "
                        + "(Ansible hands it to ssh as written, relative to the working directory)"
                    collector.report(variable.point?.warning(message) ?? .warning(message, at: SourceLocation(file: path, line: 1, column: 1)))
                }
            default:
                mapped.vars[variable.name] = variable.value
                if Self.labelNames.contains(variable.name) {
                    mapped.labels[variable.name] = text
                }
                if AnsibleSSHArguments.names.contains(variable.name) {
                    sshArguments[variable.name] = variable
                }
                checkConnection(variable, text: text)
            }
        }
        mapped.settings = AnsibleSSHArguments(collector: collector, path: path, host: host).apply(sshArguments, to: mapped.settings)
        return mapped
    }

    /// Connection variables Cutover cannot honour: an error or a warning naming the line.
    private func checkConnection(_ variable: Variable, text: String) {
        let location = SourceLocation(file: path, line: 1, column: 1)
        switch variable.name {
        case "ansible_connection":
            guard text != "ssh" && text != "smart" else { return }
            report(variable.point, "'ansible_connection=\(text)' cannot be honoured: Cutover reaches every host over SSH (ssh or smart)")
        case "ansible_password", "ansible_ssh_pass", "ansible_ssh_password":
            let message = "'\(variable.name)' is not honoured: Cutover authenticates with keys (ssh-agent or identity files) only"
            collector.report(variable.point?.warning(message) ?? .warning(message, at: location))
        case "ansible_host_key_checking", "ansible_ssh_host_key_checking":
            guard ["false", "no", "0", "off"].contains(text.lowercased()) else { return }
            let message = "'\(variable.name)=\(text)' is treated as true: Cutover never disables host-key checking"
            collector.report(variable.point?.warning(message) ?? .warning(message, at: location))
        default:
            return
        }
    }

    private func report(_ point: SourcePoint?, _ message: String) {
        collector.report(point?.error(message) ?? .error(message, at: SourceLocation(file: path, line: 1, column: 1)))
    }
}
