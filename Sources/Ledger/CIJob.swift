import Foundation

/// The CI job a process runs in, from the variables each CI system sets. Only these named
/// variables are read, so nothing else from the environment (secrets) reaches the ledger.
struct CIJob: Sendable, Hashable {
    var system: String
    var id: String
    var url: String?

    /// The first CI system whose variables are set.
    static func detect(_ env: [String: String]) -> CIJob? {
        func value(_ name: String) -> String? {
            guard let text = env[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
            return text
        }
        if let run = value("GITHUB_RUN_ID") {
            var url: String?
            if let repository = value("GITHUB_REPOSITORY") {
                url = (value("GITHUB_SERVER_URL") ?? "https://github.com") + "/\(repository)/actions/runs/\(run)"
            }
            let id = value("GITHUB_RUN_NUMBER").map { "\($0) (run \(run))" } ?? run
            return CIJob(system: "github", id: id, url: url.map(withoutCredentials))
        }
        if let job = value("CI_JOB_ID") {
            return CIJob(system: "gitlab", id: job, url: value("CI_JOB_URL").map(withoutCredentials))
        }
        if let build = value("BUILD_NUMBER"), value("JENKINS_URL") != nil || value("BUILD_URL") != nil {
            let id = value("JOB_NAME").map { "\($0) \(build)" } ?? build
            return CIJob(system: "jenkins", id: id, url: value("BUILD_URL").map(withoutCredentials))
        }
        if let build = value("CIRCLE_BUILD_NUM") {
            return CIJob(system: "circleci", id: build, url: value("CIRCLE_BUILD_URL").map(withoutCredentials))
        }
        if let build = value("BUILDKITE_BUILD_NUMBER") {
            return CIJob(system: "buildkite", id: build, url: value("BUILDKITE_BUILD_URL").map(withoutCredentials))
        }
        if let build = value("BUILD_BUILDID"), value("TF_BUILD") != nil {
            return CIJob(system: "azure", id: build, url: nil)
        }
        if let build = value("DRONE_BUILD_NUMBER") {
            return CIJob(system: "drone", id: build, url: value("DRONE_BUILD_LINK").map(withoutCredentials))
        }
        if let job = value("TRAVIS_JOB_ID") {
            return CIJob(system: "travis", id: job, url: value("TRAVIS_JOB_WEB_URL").map(withoutCredentials))
        }
        if let build = value("BUILD_NUMBER") {
            return CIJob(system: "ci", id: build, url: value("BUILD_URL").map(withoutCredentials))
        }
        return nil
    }

    /// A URL with any `user:password@` part removed, and no query (tokens travel there too).
    static func withoutCredentials(_ text: String) -> String {
        guard var parts = URLComponents(string: text) else { return "" }
        parts.user = nil
        parts.password = nil
        parts.query = nil
        parts.fragment = nil
        return parts.string ?? ""
    }
}
