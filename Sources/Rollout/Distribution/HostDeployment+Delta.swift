import Release
import Transport

/// What a delta push attempt came to.
enum DeltaAttempt: Sendable, Equatable {
    /// The release was built and verified from the delta (or the host failed: its step says why).
    case done
    /// Push the whole artifact instead; the reason when a delta was tried and did not work.
    case full(String?)
}

extension HostDeployment {
    /// Sends only what changed since the host's newest older release that Cutover extracted and
    /// listed, builds the release there from it and verifies it (``RemoteScripts/deltaUnpack(from:release:directArguments:)``).
    /// The host's listing is untrusted: malformed, it means a full push; lying, the
    /// verification catches it and the host gets a full push.
    func pushDelta(_ delta: DeltaSource, release id: ReleaseID, playbook: Playbook) async -> DeltaAttempt {
        guard let connection, let token = leaseToken, let state else { return .full(nil) }
        let older = HostState.arrivalOrder(state.releases, journal: state.journal)
            .filter { $0 != id && state.manifests[$0] != nil }
        guard let old = older.last else { return .full(nil) }
        let listing: String
        if let read = leaseListing, read.release == old {
            listing = read.text  // read with the lease: no round trip of its own
        } else {
            guard let limit = await delta.listingLimit() else { return .full(nil) }
            let result: CommandResult
            do {
                result = try await connection.run(scripts.readListing(of: old), timeout: .seconds(60), captureLimit: limit)
            } catch {
                return .full("the file listing of \(old) could not be read: \(error.reason(about: name))")
            }
            guard result.exitStatus == 0, !result.stdoutTruncated, !result.stdout.isEmpty else {
                return .full(result.stdout.isEmpty ? nil : "the file listing of \(old) could not be read")
            }
            listing = result.stdoutText
        }
        guard let bundle = await delta.bundle(forListing: listing) else {
            return .full("no delta from \(old) (its listing is unusable, nothing is unchanged, or the artifact cannot travel as a delta)")
        }
        let incoming = scripts.layout.incoming + "/" + bundle.written.sha256 + ".delta.tar"
        do {
            let result = try await connection.upload(
                localPath: bundle.written.path, to: incoming, expectedSHA256: bundle.written.sha256, timeout: playbook.timeouts.upload,
                progress: UploadProgress(host: name, total: bundle.written.size, events: events).report)
            bytesSent += result.bytes
        } catch {
            return .full("the delta upload failed: \(error.reason(about: name))")
        }
        emit(.upload, .ok, "\(bytesSent) bytes sent, sha256 verified; delta from \(old): \(bundle.sentFiles) changed files sent, \(bundle.copiedFiles) (\(bundle.copiedBytes) bytes) copied on the host")
        emit(.extract, .started)
        let script = scripts.fenced(token: token, ttlSeconds: LeaseLife.seconds, scripts.extract(
            release: id, archive: incoming, sha256: delta.artifact.sha256, gzip: false, shared: playbook.shared,
            preserveModes: playbook.preserveArtifactModes, archiveSHA256: bundle.written.sha256,
            unpack: scripts.deltaUnpack(from: old, release: id,
                                        directArguments: bundle.longestArgumentList <= RemoteScripts.directArgumentBytes),
            leftovers: RemoteScripts.deltaLeftovers))
        do {
            let result = try await connection.run(script, timeout: playbook.timeouts.upload)
            if result.exitStatus == 0 {
                emit(.extract, .ok, "built from \(old) and the delta, verified against the artifact's manifest")
                return .done
            }
            if RemoteExit(result.exitStatus) == .deltaMismatch {
                let reason = Self.output(result)
                emit(.extract, .skipped, reason + "; pushing the whole artifact")
                emit(.upload, .started, "whole artifact after the delta did not verify")
                return .full(reason)
            }
            fail(.extract, Self.output(result))
        } catch {
            fail(.extract, error.reason(about: name), unreachable: error.isUnreachable)
        }
        return .done
    }
}
