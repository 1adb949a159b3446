import Rollout

/// The colours of the report's charts (also named in its legend and CSS).
enum ChartPalette {
    static let canary = "#e8590c"
    static let baseline = "#1c7ed6"
    static let threshold = "#c92a2a"
    static let relativeLimit = "#ae3ec9"
    static let failed = "#e03131"
    static let skipped = "#dee2e6"
    static let bake = "#ffe8cc"
    static let rollback = "#c92a2a"
    static let wave = "#495057"
    static let grid = "#e9ecef"
    static let axis = "#868e96"

    /// One colour per step kind, so a timeline reads at a glance.
    static func step(_ step: DeployStep) -> String {
        switch step {
        case .connect: "#adb5bd"
        case .lease: "#868e96"
        case .upload: "#4dabf7"
        case .extract: "#1098ad"
        case .stage: "#3bc9db"
        case .beforeSwitch, .afterSwitch, .migrate: "#b197fc"
        case .switch: "#7048e8"
        case .activate: "#9775fa"
        case .health: "#37b24d"
        case .stable: "#8ce99a"
        case .smoke: "#0ca678"
        case .rollback: "#f08c00"
        case .checks: "#f59f00"
        case .prune, .unlock, .status: "#ced4da"
        }
    }
}
