/// How one check of one host came out, after its retries: a health check (step `health`), a
/// rollback policy check (`checks`) or a smoke test (`smoke`).
public struct CheckResult: Sendable, Hashable {
    public var host: String
    public var step: DeployStep
    /// The check as the playbook names it (`command ./bin/health`, `http …`, `host: ./smoke.sh`).
    public var check: String
    public var passed: Bool
    /// Why it failed, or what it printed; nil when there is nothing to say.
    public var detail: String?

    public init(host: String, step: DeployStep, check: String, passed: Bool, detail: String?) {
        self.host = host
        self.step = step
        self.check = check
        self.passed = passed
        self.detail = detail
    }
}
