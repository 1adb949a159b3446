public import Foundation

/// Who ran a verb: the local user and machine, and the CI job when one ran it.
public struct Invoker: Sendable, Hashable, Codable {
    public var user: String
    public var machine: String
    /// The CI system (`github`, `gitlab`, `jenkins`, `circleci`, `buildkite`, …), when in one.
    public var ciSystem: String?
    /// The job's id or number there.
    public var ciJob: String?
    /// A link to the job, without any credentials the variable may carry.
    public var ciURL: String?

    public init(user: String, machine: String, ciSystem: String? = nil, ciJob: String? = nil, ciURL: String? = nil) {
        self.user = user
        self.machine = machine
        self.ciSystem = ciSystem
        self.ciJob = ciJob
        self.ciURL = ciURL
    }

    /// This process's user and machine, and the CI job its environment names.
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> Invoker {
        let job = CIJob.detect(environment)
        return Invoker(user: localUser(environment), machine: machineName(),
                       ciSystem: job?.system, ciJob: job?.id, ciURL: job?.url)
    }

    /// `user@machine`, with the CI job after it.
    public var description: String {
        var text = "\(user)@\(machine)"
        if let ciSystem { text += " (\(ciSystem)" + (ciJob.map { " #\($0)" } ?? "") + ")" }
        return text
    }

    enum CodingKeys: String, CodingKey {
        case user, machine
        case ciSystem = "ci_system"
        case ciJob = "ci_job"
        case ciURL = "ci_url"
    }

    /// Every key, absent values as null.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(user, forKey: .user)
        try container.encode(machine, forKey: .machine)
        try container.encode(ciSystem, forKey: .ciSystem)
        try container.encode(ciJob, forKey: .ciJob)
        try container.encode(ciURL, forKey: .ciURL)
    }

    private static func localUser(_ environment: [String: String]) -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return environment["USER"] ?? "uid\(geteuid())"
    }

    private static func machineName() -> String {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count)
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
