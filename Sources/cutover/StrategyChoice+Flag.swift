public import ArgumentParser
public import Rollout

/// `--canary`, `--rolling`, `--all-at-once`, `--blue-green` (the long names come from the cases).
extension StrategyChoice: EnumerableFlag {
    public static func help(for value: StrategyChoice) -> ArgumentHelp? {
        switch value {
        case .canary:
            "Canary ramp: 1 host (the `canary` group or spread across zones), 10%, 50%, 100%, each wave gated by the health checks (the playbook's canary steps when it has them)."
        case .rolling:
            "Rolling waves (the playbook's batch, else one host at a time)."
        case .allAtOnce:
            "Every host in one wave."
        case .blueGreen:
            "Blue/green: start the new release in each host's idle slot and check it there, then switch traffic (the playbook's slots and start/switch hooks)."
        }
    }
}
