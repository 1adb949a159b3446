import Rollout

/// Why a host key was trusted, in words.
enum HostKeyText {
    static func describe(_ trust: HostKeyAcceptance) -> String {
        switch trust {
        case .known(let file, let line): return "known (\(file):\(line))"
        case .pinned: return "pinned"
        case .addedNew(let file): return "new, added to \(file)"
        }
    }
}
