import Release
import Transport

/// What a host needs before the relay tree runs (`distribution: relay`).
enum RelayNeed: Sendable, Hashable {
    /// Nothing: it holds the release, took a delta, or failed.
    case nothing
    /// The whole artifact; `note` says why a delta did not do (empty when none was tried).
    case artifact(note: String)
}

/// What a host's part in the relay tree came to.
struct RelayReceipt: Sendable {
    /// Where others fetch from it, nil when it does not serve.
    var serves: RelaySource?
    /// Its source failed it (and the runner pushed instead).
    var sourceFailed = false
}

/// A host that can take part in a relay tree: ``HostDeployment`` (over SSH).
protocol RelayWorker: HostWorker {
    func relayNeed(_ push: PushPlan) async -> RelayNeed
    func relayReceive(from source: RelaySource?, script: RelayScript, key: RelayKey?, note: String, push: PushPlan) async -> RelayReceipt
    func relayCleanup(_ script: RelayScript) async -> Bool
    /// On a source, for one receiver: authorises `key` and checks sshd confines it (nil), or why
    /// the host must not serve (its line is removed).
    func relayAuthorize(_ script: RelayScript, key: RelayKey, as source: RelaySource) async -> String?
    /// On a source: removes one receiver's key line; true when the host says so.
    func relayRevoke(_ script: RelayScript, key: RelayKey) async -> Bool
}

extension HostDeployment: RelayWorker {
    /// Before the tree: skips a host that holds the release, sends a delta where one does
    /// (``pushDelta(_:release:playbook:)``, the runner's bytes are few), and says which hosts
    /// need the whole artifact.
    func relayNeed(_ push: PushPlan) async -> RelayNeed {
        let (artifact, release, playbook, delta, allowDelta) = (push.artifact, push.release, push.playbook, push.delta, push.allowDelta)
        guard healthy, connection != nil, leaseToken != nil else { return .nothing }
        if state?.holds(release, sha256: artifact.sha256) == true {
            emit(.upload, .skipped, "release already on the host")
            return .nothing
        }
        let replaced = state?.releases.contains(release) == true
            ? "releases/\(release) on the host was not extracted from this artifact: it is replaced" : nil
        emit(.upload, .started, replaced)
        guard let delta, allowDelta else { return .artifact(note: "") }
        switch await pushDelta(delta, release: push.release, playbook: playbook) {
        case .done: return .nothing
        case .full(let reason): return .artifact(note: reason.map { "whole artifact: \($0), " } ?? "")
        }
    }

    /// The host's place in the tree: the artifact from `source` over SSH (the host's own ssh
    /// client, the deploy's key on stdin), or from the runner when there is no source or it
    /// fails (the upload event says why); then the host serves it to others when it can, and
    /// the release is extracted as after a push.
    func relayReceive(from source: RelaySource?, script: RelayScript, key: RelayKey?, note: String, push: PushPlan) async -> RelayReceipt {
        let (artifact, playbook, delta) = (push.artifact, push.playbook, push.delta)
        guard healthy, let connection, let token = leaseToken else { return RelayReceipt() }
        var receipt = RelayReceipt()
        let refusal = RelaySource.refusal(connection.endpoint)
        var note = note
        var relayed: Int64?
        var whyNotServing: String? = refusal
        if let source, let key {
            do {
                let result = try await connection.run(script.fetch(from: source, thenServe: refusal == nil),
                                                      timeout: playbook.timeouts.upload + .seconds(30 + artifact.size >> 25),
                                                      captureLimit: 64 * 1024, input: RelayScript.input(key: key, source: source))
                switch RelayOutcome.parse(result.stdoutText) {
                case .relayed(let bytes, let serves, let whyNot):
                    relayed = bytes
                    if refusal == nil { whyNotServing = serves ? nil : whyNot }
                case .failed(let why, let fault):
                    receipt.sourceFailed = fault
                    note += "pushed by the runner (could not get it from \(source.name): \(why)), "
                    emit(.upload, .started, "could not get it from \(source.name) (\(why)): the runner pushes it")
                }
            } catch {
                if error.isUnreachable {
                    fail(.upload, error.reason(about: name), unreachable: true)
                    return receipt
                }
                receipt.sourceFailed = true
                note += "pushed by the runner (could not get it from \(source.name): \(error.reason(about: name))), "
                emit(.upload, .started, "could not get it from \(source.name): the runner pushes it")
            }
        }
        let gzip = artifact.format == .tarGzip
        let listing = await delta?.listing()
        do {
            if relayed == nil {
                let result = try await connection.upload(
                    localPath: artifact.path, to: script.incoming, expectedSHA256: artifact.sha256, timeout: playbook.timeouts.upload,
                    progress: UploadProgress(host: name, total: artifact.size, events: events).report)
                bytesSent += result.bytes
                if refusal == nil {
                    let served = try await connection.run(script.serve, timeout: .seconds(60), captureLimit: 64 * 1024)
                    whyNotServing = ServeOutcome.parse(served.stdoutText)
                }
            }
            bytesSent += Int64(listing?.count ?? 0)
        } catch {
            fail(.upload, error.reason(about: name), unreachable: error.isUnreachable)
            return receipt
        }
        let serving = whyNotServing.map { "; does not serve others: \($0)" } ?? "; serves others"
        if let relayed, let source {
            emit(.upload, .ok, "relayed from \(source.name) over SSH, \(relayed) bytes, sha256 verified\(serving); \(bytesSent) bytes sent by the runner")
        } else {
            emit(.upload, .ok, (source == nil && note.isEmpty ? "relay seed: " : note) + "\(bytesSent) bytes sent, sha256 verified\(serving)")
        }
        if whyNotServing == nil {
            do {
                receipt.serves = RelaySource(name: name, address: connection.endpoint.host, port: connection.endpoint.port,
                                             user: connection.endpoint.user, hostKey: try await connection.hostKey())
            } catch {
                receipt.serves = nil
            }
        }
        let extract = scripts.fenced(token: token, ttlSeconds: LeaseLife.seconds,
                                     scripts.extract(release: push.release, archive: script.incoming, sha256: artifact.sha256, gzip: gzip,
                                                     shared: playbook.shared, preserveModes: playbook.preserveArtifactModes,
                                                     listing: listing.map { _ in script.incoming + ".files" }, listingOnStdin: true))
        emit(.extract, .started)
        do {
            let result = try await connection.run(extract, timeout: playbook.timeouts.upload, input: listing ?? [])
            if result.exitStatus == 0 { emit(.extract, .ok) } else { fail(.extract, Self.output(result)) }
        } catch {
            fail(.extract, error.reason(about: name), unreachable: error.isUnreachable)
        }
        return receipt
    }

    func relayAuthorize(_ script: RelayScript, key: RelayKey, as source: RelaySource) async -> String? {
        guard let connection else { return "its connection is gone" }
        do {
            let result = try await connection.run(script.authorize(key, as: source), timeout: .seconds(90), captureLimit: 64 * 1024,
                                                  input: RelayScript.input(key: key, source: source))
            return ServeOutcome.parse(result.stdoutText)
        } catch {
            return error.reason(about: name)
        }
    }

    func relayRevoke(_ script: RelayScript, key: RelayKey) async -> Bool {
        guard let connection else { return false }
        guard let result = try? await connection.run(script.revoke(key), timeout: .seconds(60), captureLimit: 64 * 1024) else { return false }
        return RelayOutcome.words(result.stdoutText, prefix: "revoke=")["revoke"] == "ok"
    }

    /// Removes what the relay left on this host (its authorized_keys lines, the relay copy, a
    /// private key a killed fetch left); true when the host says it is clean.
    func relayCleanup(_ script: RelayScript) async -> Bool {
        guard let connection else { return false }
        guard let result = try? await connection.run(script.cleanup, timeout: .seconds(60), captureLimit: 64 * 1024) else { return false }
        return RelayOutcome.words(result.stdoutText, prefix: "cleanup=")["cleanup"] == "ok"
    }
}
