/// The release directory as unpacking the archive builds it, so that symlinks can be followed the
/// way the kernel follows them once the release is live.
///
/// Paths are canonical (`TarPath`). A path without a node is a directory tar creates on the way,
/// or nothing yet; a file is walked through like a directory. The kernel would stop at either, so
/// this finds every escape the kernel could take, and perhaps a few it could not.
struct ReleaseTree {
    /// What a member made at a path.
    enum Node: Equatable {
        case directory
        case file
        case symlink(target: String)
    }

    /// Where following a symlink's target ends.
    enum Resolution: Equatable {
        /// Inside the release, at this canonical path.
        case inside(String)
        /// Above the release root; `via` is the last symlink followed before it climbed out.
        case outside(via: String?)
        /// More than `maxHops` symlinks or `maxSteps` components (a loop): where it leads is unknown.
        case unresolved
    }

    /// Most symlinks followed in one resolution, as Linux does (`MAXSYMLINKS`, path_resolution(7)).
    static let maxHops = 40
    /// Most components walked in one resolution: a real release needs a few dozen.
    static let maxSteps = 4096

    private var nodes: [String: Node] = [:]
    /// Every symlink, in archive order: its canonical path and the name the archive gave it.
    private(set) var symlinks: [(path: String, name: String)] = []

    /// The node at a canonical path.
    func node(at path: String) -> Node? {
        nodes[path]
    }

    /// Records what a member makes at `path`. A symlink is never forgotten: when a directory of the
    /// same name follows, GNU tar keeps the symlink, and the kernel may follow it.
    mutating func add(_ node: Node, at path: String, name: String) {
        switch (nodes[path], node) {
        case (.symlink, .symlink):
            nodes[path] = node
        case (.symlink, _):
            return
        case (_, .symlink):
            nodes[path] = node
            symlinks.append((path, name))
        default:
            nodes[path] = node
        }
    }

    /// The first proper prefix of `components` that is a symlink, if any.
    func symlink(above components: [Substring]) -> String? {
        guard !symlinks.isEmpty, components.count > 1 else { return nil }
        var prefix = ""
        for component in components.dropLast() {
            prefix += prefix.isEmpty ? String(component) : "/" + component
            if case .symlink = nodes[prefix] { return prefix }
        }
        return nil
    }

    /// Follows `target` from the directory at `parent` component by component, through every
    /// symlink met on the way, as the kernel does; refuses nothing, says where it ends.
    func resolve(_ target: String, from parent: [Substring]) -> Resolution {
        if target.hasPrefix("/") { return .outside(via: nil) }
        var position = parent
        var pending = Array(target.split(separator: "/", omittingEmptySubsequences: true).reversed())
        var hops = 0, steps = 0
        var via: String?
        while let component = pending.popLast() {
            steps += 1
            guard steps <= Self.maxSteps else { return .unresolved }
            if component == "." { continue }
            if component == ".." {
                guard !position.isEmpty else { return .outside(via: via) }
                position.removeLast()
                continue
            }
            position.append(component)
            let path = position.joined(separator: "/")
            guard case .symlink(let next) = nodes[path] else { continue }
            hops += 1
            guard hops <= Self.maxHops else { return .unresolved }
            via = path
            if next.hasPrefix("/") { return .outside(via: via) }
            position.removeLast()
            pending.append(contentsOf: next.split(separator: "/", omittingEmptySubsequences: true).reversed())
        }
        return .inside(position.joined(separator: "/"))
    }
}
