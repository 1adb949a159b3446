import Release

/// Release artifacts (tar, tar.gz) as `ArtifactInspector` validates them before any host is touched.
enum ArtifactFuzzing {
    /// The default limits, and tight ones so the limit paths are reached by small inputs.
    static let limits = [ArtifactLimits(), ArtifactLimits(maxEntries: 4, maxUnpackedBytes: 4096, maxCompressionRatio: 2)]

    static func run(_ bytes: [UInt8]) {
        let path = ScratchFiles.write(bytes, as: "artifact")
        for limit in limits {
            do {
                let artifact = try ArtifactInspector.inspect(path: path, limits: limit)
                Expectation.check(artifact.size == Int64(bytes.count), "size \(artifact.size) for \(bytes.count) bytes", "(binary)")
                Expectation.check(artifact.entryCount <= limit.maxEntries, "\(artifact.entryCount) entries accepted", "(binary)")
            } catch {
                Expectation.check(!error.message.isEmpty, "a rejection without a message", "(binary)")
            }
        }
    }
}
