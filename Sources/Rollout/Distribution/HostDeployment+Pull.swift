import Release
import Transport

extension HostDeployment {
    /// `distribution: pull`: the host downloads the artifact from the store into `incoming`
    /// itself; the runner's link carries the command only. Never fails the host: a failure is
    /// the reason its artifact is pushed instead.
    func pullArtifact(_ source: PullSource, artifact: Artifact, incoming: String, timeout: Duration) async -> PullOutcome {
        guard let connection else { return .failed("not connected") }
        let seconds = Int(timeout.components.seconds)
        let script = PullScript(incoming: incoming, sha256: artifact.sha256, size: artifact.size, seconds: seconds)
        do {
            // curl's --max-time ends the download first; the margin covers hashing and the rename.
            let result = try await connection.run(script.command, timeout: timeout + .seconds(30 + artifact.size >> 25),
                                                  captureLimit: 64 * 1024, input: PullScript.input(source))
            return PullOutcome.parse(result.stdoutText, expectedSHA256: artifact.sha256)
        } catch {
            return .failed(source.url.scrub(error.reason(about: name)))
        }
    }
}
