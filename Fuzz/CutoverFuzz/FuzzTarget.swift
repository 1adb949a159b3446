@testable import Fleet

/// The loaders fuzzed; each takes the input as the whole file it reads.
enum FuzzTarget: String, CaseIterable {
    case inventory
    case ansibleINI = "ansible-ini"
    case ansibleYAML = "ansible-yaml"
    case playbook
    case rollback
    case sshConfig = "ssh-config"
    case knownHosts = "known-hosts"
    case artifact

    /// Runs the loader on one input and checks it answered with a value or a diagnostic.
    func run(_ bytes: [UInt8]) {
        switch self {
        case .artifact:
            ArtifactFuzzing.run(bytes)
            return
        case .knownHosts:
            KnownHostsFuzzing.run(bytes)
            return
        default:
            break
        }
        // The loaders read UTF-8 files and reject anything else up front (SourceText.read).
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        switch self {
        case .inventory: InventoryFuzzing.run(text, as: .native)
        case .ansibleINI: InventoryFuzzing.run(text, as: .ansibleINI)
        case .ansibleYAML: InventoryFuzzing.run(text, as: .ansibleYAML)
        case .playbook: PlaybookFuzzing.runPlaybook(text)
        case .rollback: PlaybookFuzzing.runRollbackPolicy(text)
        case .sshConfig: SSHConfigFuzzing.run(text)
        case .knownHosts, .artifact: break
        }
    }
}
