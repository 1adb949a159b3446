import Foundation

/// Resident memory, open descriptors and threads of this process, from /proc/self.
struct ProcessFigures {
    var residentKiB: Int
    var descriptors: Int
    var threads: Int

    static func now() -> ProcessFigures {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> Int {
            let line = status.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
            return Int(line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") ?? -1
        }
        let descriptors = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count ?? 0) - 1  // the listing's own
        return ProcessFigures(residentKiB: field("VmRSS"), descriptors: descriptors, threads: field("Threads"))
    }
}
