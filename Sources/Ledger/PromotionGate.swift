public import Foundation

/// Whether the ledger shows an artifact promoted in the environment a promotion rule names
/// (`production: { from: staging, soak: 30m }`): the decision a deploy to production needs
/// before it touches any host. Pure: records in, decision out.
///
/// The rule, applied to the records of the app in `from` (staging):
/// 1. Take the newest deploy or resume there whose artifact has this sha256 (runs that were
///    refused, found the lock held, or switched no host — `not_switched`, or every host
///    `unchanged` or `unreachable` — touched nothing that serves and do not count).
/// 2. It must have ended `promoted` with every one of its hosts promoted: every host it
///    selected runs the artifact and passed its gates (health, `stable_for`, smoke, KPIs). A
///    deploy that ended partial, rolled back, not converged or interrupted does not count,
///    even if an earlier one of the same artifact did: the newest word wins.
///    (A deploy limited with `--limit` to part of staging vouches only for what it selected.)
/// 3. No `cutover rollback` in `from` may have taken that deploy off since: a converged one
///    that took it off the ledger's stack, or any later rollback, however it ended (not
///    converged, interrupted, partial), that switched at least one host away from it.
/// 4. With `soak`, it must have been promoted at least that long ago.
public enum PromotionGate {
    public struct Decision: Sendable, Hashable {
        public var allowed: Bool
        /// What the ledger shows in the `from` environment, for the message: the evidence, or
        /// why there is none.
        public var reason: String
        /// The deploy in `from` that vouches for the artifact, when there is one.
        public var evidence: LedgerRecord?
        /// When the soak ends, when only the soak is missing.
        public var eligibleAt: Date?
    }

    /// Decides for the artifact `sha256` of `app` against the records of environment `from`.
    public static func decide(records: [LedgerRecord], app: String, sha256: String, from: String, soak: Duration?,
                              now: Date = Date()) -> Decision {
        let there = records.filter { $0.app == app && $0.environment == from }
        let short = String(sha256.prefix(12))
        let ordered = there.sorted { ($0.finishedAt, $0.id ?? 0) < ($1.finishedAt, $1.id ?? 0) }
        let runs = ordered.filter {
            ($0.kind == .deploy || $0.kind == .resume) && $0.artifactSHA256 == sha256 && $0.outcome != .lockHeld && $0.outcome != .refused
                && !$0.switchedNothing
        }
        guard let latest = runs.last else {
            return Decision(allowed: false, reason: "the ledger shows no deploy of this artifact (sha256 \(short)…) in \(from)" + landedText(there, environment: from))
        }
        let when = "\(latest.deployID), \(LedgerText.time(latest.finishedAt)) UTC"
        let notPromoted = latest.hosts.filter { $0.state != "promoted" }
        guard latest.outcome == .promoted, notPromoted.isEmpty else {
            let hosts = notPromoted.prefix(5).map { "\($0.host) \($0.state)" }.joined(separator: ", ") + (notPromoted.count > 5 ? ", …" : "")
            return Decision(allowed: false, reason: "the latest deploy of \(latest.release ?? short) in \(from) (\(when)) ended \(latest.outcome.rawValue)"
                + (hosts.isEmpty ? "" : " (\(hosts))") + ", not promoted on every host", evidence: latest)
        }
        let landed = LandedReleases(there)
        let switchedAway = rollbackAway(from: latest, in: ordered)
        if switchedAway != nil || landed.undone.contains(where: { $0.deployID == latest.deployID && $0.id == latest.id }) {
            let undo = switchedAway
                ?? ordered.first { $0.kind == .rollback && $0.finishedAt >= latest.finishedAt && ($0.outcome == .promoted || $0.outcome == .partial) }
            let by = undo.map { " by \($0.deployID) (\(LedgerText.time($0.finishedAt)) UTC, \($0.outcome.rawValue))" } ?? ""
            return Decision(allowed: false, reason: "\(latest.release ?? short) was promoted in \(from) (\(when)) but rolled back there since\(by)", evidence: latest)
        }
        let hosts = latest.hosts.map(\.host)
        let list = hosts.prefix(5).joined(separator: ", ") + (hosts.count > 5 ? ", …" : "")
        let age = now.timeIntervalSince(latest.finishedAt)
        let evidence = "\(latest.release ?? short) was promoted in \(from) on \(hosts.count) host\(hosts.count == 1 ? "" : "s") (\(list)) by \(when), \(LedgerText.duration(max(0, age))) ago"
        if let soak {
            let seconds = Double(soak.components.seconds) + Double(soak.components.attoseconds) / 1e18
            if age < seconds {
                let eligible = latest.finishedAt.addingTimeInterval(seconds)
                return Decision(allowed: false, reason: evidence + "; the policy asks it to soak \(LedgerText.duration(seconds)) there: eligible from \(LedgerText.time(eligible)) UTC",
                                evidence: latest, eligibleAt: eligible)
            }
            return Decision(allowed: true, reason: evidence + " (soak \(LedgerText.duration(seconds)))", evidence: latest)
        }
        return Decision(allowed: true, reason: evidence, evidence: latest)
    }

    /// The first rollback after `deploy` that switched a host away from its release, whatever the
    /// rollback's outcome: each host is followed through the later records (a deploy that
    /// promoted it moves it to that release, a rollback that `rolled_back` it to the release it
    /// went to), so a rollback of a later release back to this one does not count.
    static func rollbackAway(from deploy: LedgerRecord, in ordered: [LedgerRecord]) -> LedgerRecord? {
        guard let release = deploy.release, let start = ordered.firstIndex(where: { $0.id == deploy.id && $0.deployID == deploy.deployID }) else {
            return nil
        }
        var runs = Dictionary(deploy.hosts.map { ($0.host, release) }, uniquingKeysWith: { first, _ in first })
        for record in ordered[(start + 1)...] {
            switch record.kind {
            case .deploy, .resume:
                for host in record.hosts where host.state == "promoted" { runs[host.host] = host.release ?? record.release }
            case .rollback:
                let away = record.hosts.filter { $0.state == "rolled_back" && runs[$0.host] == release && ($0.release ?? record.release) != release }
                if !away.isEmpty { return record }
                for host in record.hosts where host.state == "rolled_back" { runs[host.host] = host.release ?? record.release }
            case .promote, .abort:
                break
            }
        }
        return nil
    }

    /// `; staging runs 1.9.0-… (d-…, …)`, or that the ledger has no record there at all.
    private static func landedText(_ records: [LedgerRecord], environment: String) -> String {
        guard !records.isEmpty else { return "; the ledger has no record of this app in \(environment)" }
        let landed = LandedReleases(records)
        guard let top = landed.stack.last, let release = top.release else { return "; nothing landed there yet" }
        return "; \(environment) last landed \(release) (\(top.deployID), \(LedgerText.time(top.finishedAt)) UTC)"
    }
}
