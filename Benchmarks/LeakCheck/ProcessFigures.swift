import Foundation

/// Resident memory, open descriptors and threads of this process, from /proc/self.
struct ProcessFigures {
    var residentKiB: Int
    var descriptors: Int
    var threads: Int
    /// What each open descriptor is (`socket:[…]`, `anon_inode:[eventfd]`, a path), by number.
    var descriptorTargets: [Int: String] = [:]

    /// Descriptors a connection owns: its TCP socket and its session thread's eventfd. (The Swift
    /// runtime opens a few others once, when first needed, such as libdispatch's timerfds.)
    var sessionDescriptors: Int {
        descriptorTargets.values.filter { $0.hasPrefix("socket:") || $0 == "anon_inode:[eventfd]" }.count
    }

    static func now() -> ProcessFigures {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> Int {
            let line = status.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
            return Int(line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") ?? -1
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        var targets: [Int: String] = [:]
        for name in names {
            guard let number = Int(name), let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + name) else { continue }
            targets[number] = target
        }
        // The listing's own descriptor is closed by now and has no target.
        return ProcessFigures(residentKiB: field("VmRSS"), descriptors: targets.count, threads: field("Threads"), descriptorTargets: targets)
    }
}
