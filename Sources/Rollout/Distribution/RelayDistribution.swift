import Foundation
import Release
import Synchronization
import Transport

/// `distribution: relay`: the push phase of one deploy, through a tree of hosts.
///
/// Hosts that hold the release are skipped and hosts that can take a delta get it from the
/// runner (a few bytes); the others get the whole artifact through a ``RelayTree``: the runner
/// pushes it to the seeds, and every host holding it (sha256 verified) serves it to others over
/// SSH, hosts to hosts. Every edge (source → receiver) has a key pair of its own (``RelayKey``),
/// made for that transfer alone: it is authorised on the source for a forced `cat` of its relay
/// copy only, the source checks that its sshd holds to that (``RelayScript/authorize(_:as:)``)
/// before the private half travels to the receiver on stdin, and the line is removed as soon as
/// the receiver is done. A source whose sshd lets the key run anything else serves nobody: its
/// receivers are pushed to by the runner. Once the tree is done, every line, copy and key it
/// left is removed (``RelayScript``).
///
/// The lines carry no `from="…"`: the address a receiver's connection comes from, as the source
/// sees it, is not something the runner can establish (NAT, several interfaces and source
/// address selection decide it on the hosts); a wrong guess would only make relays fail.
///
/// Why this design: it needs nothing on the hosts but what a push already needs and an OpenSSH
/// client (no agent, no open port beyond sshd, no shared secret that outlives the deploy); the
/// receiver checks the sha256 as a push does, and host keys stay checked between hosts (the
/// receiver trusts exactly the key the runner verified on its source).
struct RelayDistribution: Sendable {
    let settings: RelaySettings
    let parallel: Int
    let deployID: String
    let layout: HostLayout
    /// Where the warning about a failed clean-up goes.
    var events: DeployEventSink? = nil

    func run(_ workers: [any RelayWorker], push: PushPlan) async {
        let (artifact, playbook) = (push.artifact, push.playbook)
        var needing: [(worker: any RelayWorker, note: String)] = []
        await HostFanOut<any RelayWorker, (any RelayWorker, RelayNeed)>(parallel: parallel).run(workers, work: { worker in
            (worker, await worker.relayNeed(push))
        }, onResult: { worker, need in
            if case .artifact(let note) = need { needing.append((worker, note)) }
        })
        guard !needing.isEmpty else { return }
        // The tree starts in the playbook's host order, not in the order deltas finished.
        let order = Dictionary(uniqueKeysWithValues: workers.enumerated().map { ($1.name, $0) })
        needing.sort { order[$0.worker.name, default: 0] < order[$1.worker.name, default: 0] }

        let script = RelayScript(layout: layout, deployID: deployID, sha256: artifact.sha256, gzip: artifact.format == .tarGzip,
                                 size: artifact.size, seconds: Int(playbook.timeouts.upload.components.seconds))
        let byName = Dictionary(uniqueKeysWithValues: needing.map { ($0.worker.name, $0) })
        let sources = Mutex<[String: RelaySource]>([:])
        let tree = RelayTree<String>(seeds: settings.seeds, fanout: settings.fanout, parallel: parallel)
        _ = await tree.run(needing.map(\.worker.name)) { receiver, source in
            guard let (worker, firstNote) = byName[receiver] else { return .init(serves: false) }
            var from = source.flatMap { name in sources.withLock { $0[name] } }
            var note = firstNote
            var key: RelayKey?
            var unsafe = false
            if let serving = from, let sourceWorker = byName[serving.name]?.worker {
                let edge = RelayKey(comment: "cutover-relay-" + deployID)
                if let why = await sourceWorker.relayAuthorize(script, key: edge, as: serving) {
                    // The source serves nobody from now on (the tree drops a failed source).
                    sources.withLock { $0[serving.name] = nil }
                    note += "pushed by the runner (\(serving.name) is not used as a source: \(why)), "
                    from = nil
                    unsafe = true
                } else {
                    key = edge
                }
            } else if let source {
                note += "pushed by the runner (\(source) is not used as a source any more), "
                unsafe = true
            }
            let receipt = await worker.relayReceive(from: from, script: script, key: key, note: note, push: push)
            if let key, let serving = from, let sourceWorker = byName[serving.name]?.worker {
                // The edge's key is done with; the deploy's clean-up removes it should this fail,
                // and a source whose lines stay serves nobody else (each would add one more).
                if !(await sourceWorker.relayRevoke(script, key: key)) {
                    sources.withLock { $0[serving.name] = nil }
                }
            }
            if let serves = receipt.serves { sources.withLock { $0[receiver] = serves } }
            return .init(serves: receipt.serves != nil, sourceFailed: receipt.sourceFailed || unsafe)
        }
        // Every host that took part, whatever it came to (a line may have been written even
        // when its answer was lost). A new task: a cancelled deploy still cleans up.
        let touched = needing.map(\.worker)
        let expiry = Date().addingTimeInterval(Double(script.seconds + RelayScript.expiryMarginSeconds))
        let unclean = await Task {
            var unclean: [String] = []
            await HostFanOut<any RelayWorker, (String, Bool)>(parallel: max(1, touched.count)).run(touched, work: { worker in
                if await worker.relayCleanup(script) { return (worker.name, true) }
                return (worker.name, await worker.relayCleanup(script))
            }, onResult: { name, clean in
                if !clean { unclean.append(name) }
            })
            return unclean
        }.value
        if !unclean.isEmpty, let events {
            events(.warning(message: Self.uncleanWarning(unclean, expiry: expiry), hosts: unclean))
        }
    }

    /// The warning for hosts whose relay clean-up failed (twice).
    static func uncleanWarning(_ hosts: [String], expiry: Date) -> String {
        let time = expiry.formatted(.iso8601)
        return "the relay's clean-up failed on \(hosts.sorted().joined(separator: ", ")): their ~/.ssh/authorized_keys may keep a relay line "
            + "(a forced `cat` of this deploy's artifact) until it expires at about \(time), and its copy in .cutover/incoming "
            + "until `cutover unlock` or the next deploy's prune"
    }
}
