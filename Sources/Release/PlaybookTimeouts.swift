/// Time limits for the slow steps of a deployment.
public struct PlaybookTimeouts: Sendable, Hashable {
    /// Limit for uploading the artifact to one host (default 10 minutes).
    public var upload: Duration
    /// Limit for one hook run (default 5 minutes).
    public var hook: Duration

    /// Creates timeouts with the defaults.
    public init(upload: Duration = .seconds(600), hook: Duration = .seconds(300)) {
        self.upload = upload
        self.hook = hook
    }
}
