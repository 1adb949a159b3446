import Foundation
import Testing
import TestSupport

/// One fleet of real sshd hosts shared by every cell of the fault matrix, with the releases
/// the cells deploy and the playbooks they use. Between cells ``reset()`` puts every host
/// back exactly as it was after the setup: on `v1` (the last known good release) with `v0`
/// before it, no lease, no fault, and the lab's ledger knowing only those two deploys.
///
/// Hooks and checks hold at a phase when the test asks: a host whose `/srv/.hold-<phase>`
/// exists touches `/srv/.at-<phase>` there and sleeps for the seconds the file holds, so a
/// fault lands while that host is in that phase. `upload` and `extract` hold in wrappers of
/// `cat` and `tar` that only the faulted host sees (see ``holdInTools(on:)``).
final class FaultLab: Sendable {
    static let hostCount = 20

    let fleet: TestFleet
    let directory: String
    /// The releases: `v0` and `v1` are on every host after setup (`v1` current).
    let v0: Release, v1: Release
    /// The new release (small), a bigger one (uploads long enough to be cut), and one whose
    /// health check fails on the hosts of ``badHosts``.
    let v2: Release, v2big: Release, v2bad: Release
    /// Hosts where `v2bad` is unhealthy: three in the second wave, beyond the budget of two.
    let badHosts = ["h12", "h13", "h14"]
    /// The hosts of each wave of the rolling playbook (batch 10: h1-h10, then h11-h20).
    let waves: [[String]]

    struct Release: Sendable {
        let version: String
        let artifact: String
        /// The release id hosts know it by, learned from the first deploy (`<version>-<sha256 prefix>`).
        let id: String
    }

    private init(fleet: TestFleet, directory: String, v0: Release, v1: Release, v2: Release, v2big: Release, v2bad: Release) {
        self.fleet = fleet
        self.directory = directory
        self.v0 = v0
        self.v1 = v1
        self.v2 = v2
        self.v2big = v2big
        self.v2bad = v2bad
        waves = [(1...10).map { "h\($0)" }, (11...20).map { "h\($0)" }]
    }

    /// Starts the fleet, deploys v0 then v1 everywhere and keeps a copy of every host's deploy root.
    static func start() async throws -> FaultLab {
        await NetworkFault.removeStale()
        let fleet = try await TestFleet.start(hosts: hostCount)
        do {
            let directory = fleet.directory + "/lab"
            try FileManager.default.createDirectory(atPath: directory + "/tools", withIntermediateDirectories: true)
            try writeTools(directory)
            try writePlaybooks(directory, fleet: fleet)
            var releases: [Release] = []
            for (version, blob, failing) in [("0.9.0", 0, [String]()), ("1.0.0", 0, []), ("2.0.0", 0, []),
                                             ("2.0.1", 8 << 20, []), ("2.0.2", 0, ["h12", "h13", "h14"])] {
                let artifact = try await buildArtifact(directory, version: version, blob: blob, failingHosts: failing)
                releases.append(Release(version: version, artifact: artifact, id: try await releaseID(directory, artifact: artifact, fleet: fleet)))
            }
            let lab = FaultLab(fleet: fleet, directory: directory, v0: releases[0], v1: releases[1], v2: releases[2],
                               v2big: releases[3], v2bad: releases[4])
            for release in [lab.v0, lab.v1] {
                let run = try await lab.cutover(["deploy", lab.playbook(.rolling), "--artifact", release.artifact]).finish()
                guard run.exit == 0 else { throw TestSupportError("setup deploy of \(release.version) failed: \(run.stderr)") }
            }
            // The hosts and the lab's ledger (CutoverRun's XDG_STATE_HOME) as they are now.
            try await Shell.runDetached(["sh", "-c", "for h in '\(fleet.directory)'/hosts/*; do rm -rf \"$h/snapshot\"; cp -a \"$h/srv/web\" \"$h/snapshot\"; done; "
                                         + "rm -rf '\(directory)/state.snapshot'; cp -a '\(directory)/state' '\(directory)/state.snapshot'"])
            return lab
        } catch {
            await fleet.stop()
            throw error
        }
    }

    func stop() async {
        await fleet.stop()
    }

    // MARK: Playbooks

    enum PlaybookKind: String {
        /// Rolling, two waves of ten, a failure budget of two, policy scope `all`.
        case rolling
        /// A canary of two hosts baked for a few seconds with one KPI, then the rest.
        case canary
    }

    func playbook(_ kind: PlaybookKind) -> String { "\(directory)/\(kind.rawValue).yml" }

    /// A hook or check that holds when the test asks for it (see the type's comment).
    static func hold(_ phase: String) -> String {
        // The seconds are read before the marker appears: the test may remove the file then.
        "f=/srv/.hold-\(phase); if [ -e $f ]; then s=$(cat $f); touch /srv/.at-\(phase); sleep $s; fi"
    }

    private static func writePlaybooks(_ directory: String, fleet: TestFleet) throws {
        try """
        triggers: [health, hook, smoke, kpi]
        scope: all
        inconclusive: rollback
        checks:
          - command: test -x bin/restart
        """.write(toFile: directory + "/policy.yml", atomically: true, encoding: .utf8)
        let common = """
        app: web
        deploy_root: /srv/web
        keep_releases: 5
        shared: [log]
        max_failures: 2
        stable_for: 0s
        timeouts: { upload: 60s, hook: 8s }
        hooks:
          before_switch: "\(hold("switch"))"
          activate: "\(hold("activate")); ./bin/restart"
          on_rollback: "\(hold("rollback")); if [ -e /srv/.fail-rollback ]; then echo rollback refused >&2; exit 1; fi; ./bin/restart"
        health:
          - command: "\(hold("health")); ./bin/health"
            retries: 1
            interval: 100ms
            timeout: 4s
        rollback: policy.yml

        """
        try (common + "strategy: { rolling: { batch: 10 } }\n").write(toFile: directory + "/rolling.yml", atomically: true, encoding: .utf8)
        try (common + """
        strategy: { canary: { steps: [ { hosts: 2, bake: 3s }, { percent: 100 } ] } }
        kpis:
          errors: { command: "\(hold("bake")); echo 0", interval: 500ms, max: 1 }

        """).write(toFile: directory + "/canary.yml", atomically: true, encoding: .utf8)
    }

    /// `cat` and `tar` wrappers that hold the upload (`cat > file` with no argument) and the
    /// extraction, mounted on `/usr/local/bin` (first in sshd's PATH) of one host only.
    private static func writeTools(_ directory: String) throws {
        let tools = directory + "/tools"
        try """
        #!/bin/sh
        if [ $# -eq 0 ] && [ -e /srv/.hold-upload ]; then s=$(/usr/bin/cat /srv/.hold-upload); touch /srv/.at-upload; sleep "$s"; fi
        exec /usr/bin/cat "$@"
        """.write(toFile: tools + "/cat", atomically: true, encoding: .utf8)
        try """
        #!/bin/sh
        if [ -e /srv/.hold-extract ]; then s=$(cat /srv/.hold-extract); touch /srv/.at-extract; sleep "$s"; fi
        exec /usr/bin/tar "$@"
        """.write(toFile: tools + "/tar", atomically: true, encoding: .utf8)
        for tool in ["cat", "tar"] { chmod(tools + "/" + tool, 0o755) }
        // An empty, non-executable file: mounted over /usr/bin/tar, the host has no tar.
        try "".write(toFile: directory + "/no-tar", atomically: true, encoding: .utf8)
        chmod(directory + "/no-tar", 0o644)
    }

    /// A tiny app: `bin/health` passes unless the host is one of `failingHosts`, `bin/restart`
    /// records the running release, `MANIFEST` lists every file (a release is complete when
    /// all of them are there).
    private static func buildArtifact(_ directory: String, version: String, blob: Int, failingHosts: [String]) async throws -> String {
        let app = directory + "/app-\(version)"
        try FileManager.default.createDirectory(atPath: app + "/bin", withIntermediateDirectories: true)
        try "#!/bin/sh\necho \"$CUTOVER_RELEASE\" > \"$CUTOVER_DEPLOY_ROOT/shared/running\"\n"
            .write(toFile: app + "/bin/restart", atomically: true, encoding: .utf8)
        let health = failingHosts.isEmpty ? "#!/bin/sh\nexit 0\n"
            : "#!/bin/sh\ncase $(hostname) in \(failingHosts.joined(separator: "|"))) echo unhealthy >&2; exit 1;; esac\nexit 0\n"
        try health.write(toFile: app + "/bin/health", atomically: true, encoding: .utf8)
        try "\(version)\n".write(toFile: app + "/VERSION", atomically: true, encoding: .utf8)
        let path = directory + "/web-\(version).tar.gz"
        let script = """
        set -e
        cd '\(app)'
        chmod +x bin/*
        \(blob > 0 ? "head -c \(blob) /dev/urandom > blob" : "true")
        find . -type f ! -name MANIFEST | sort > MANIFEST
        tar -czf '\(path)' .
        """
        let result = try await Shell.runDetached(["sh", "-c", script])
        guard result.status == 0 else { throw TestSupportError(result.output) }
        return path
    }

    /// The release id `cutover plan` gives an artifact.
    private static func releaseID(_ directory: String, artifact: String, fleet: TestFleet) async throws -> String {
        let result = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "plan", directory + "/rolling.yml", "-i", fleet.inventoryPath,
                                                  "--ssh-config", "none", "--artifact", artifact, "--output", "json"])
        for line in result.stdout.split(separator: "\n") {
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
               object["event"] as? String == "plan", let release = object["release"] as? String {
                return release
            }
        }
        throw TestSupportError("no plan for \(artifact): \(result.output)")
    }

    // MARK: Running cutover

    /// Starts `cutover ARGS -i INVENTORY --ssh-config none --output json` (JSON events on stdout).
    func cutover(_ arguments: [String], inventory: String? = nil) throws -> CutoverRun {
        try CutoverRun(arguments + ["-i", inventory ?? fleet.inventoryPath, "--ssh-config", "none", "--output", "json"], directory: directory)
    }

    /// An inventory (and known_hosts) where each proxied host is reached through its proxy.
    func inventory(proxying proxies: [DelayProxy]) throws -> String {
        var inventory = try String(contentsOfFile: fleet.inventoryPath, encoding: .utf8)
        var knownHosts = try String(contentsOfFile: fleet.knownHostsPath, encoding: .utf8)
        for proxy in proxies {
            guard let member = fleet.members.first(where: { $0.address == proxy.target.address }) else { continue }
            inventory = inventory.replacingOccurrences(of: "  \(member.name): { address: \(member.address),",
                                                       with: "  \(member.name): { address: \(proxy.address), port: \(proxy.port),")
            let key = try String(contentsOfFile: "\(fleet.directory)/hosts/\(member.name)/ssh_host_ed25519_key.pub", encoding: .utf8)
                .split(separator: " ").prefix(2).joined(separator: " ")
            knownHosts += "[\(proxy.address)]:\(proxy.port) \(key)\n"
        }
        let path = directory + "/inventory-proxied.yml"
        try inventory.replacingOccurrences(of: "known_hosts: known_hosts", with: "known_hosts: known_hosts-proxied")
            .replacingOccurrences(of: "identity_file: id_ed25519", with: "identity_file: \(fleet.identityPath)")
            .write(toFile: path, atomically: true, encoding: .utf8)
        try knownHosts.write(toFile: directory + "/known_hosts-proxied", atomically: true, encoding: .utf8)
        return path
    }

    // MARK: Holding a host at a phase

    /// Makes `host` hold `seconds` when it reaches `phase`.
    func hold(_ host: String, at phase: Phase, seconds: Int) throws {
        try "\(seconds)\n".write(toFile: fleet.member(host).srv + "/.hold-\(phase.rawValue)", atomically: true, encoding: .utf8)
    }

    /// Waits (bounded) until `host` reached `phase`; false when it never did.
    func waitUntil(_ host: String, reaches phase: Phase, within limit: Duration = .seconds(60)) async -> Bool {
        let marker = fleet.member(host).srv + "/.at-\(phase.rawValue)"
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if FileManager.default.fileExists(atPath: marker) { return true }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return false
    }

    /// Mounts the holding `cat` and `tar` on the host's `/usr/local/bin`; ``reset()`` unmounts it.
    func holdInTools(on host: String) async throws {
        let result = try await fleet.inNamespace(of: host, ["mount", "--bind", directory + "/tools", "/usr/local/bin"])
        guard result.status == 0 else { throw TestSupportError("mount tools on \(host): \(result.output)") }
    }

    /// Host `host` has no `tar` any more (until ``reset()``).
    func removeTar(on host: String) async throws {
        let result = try await fleet.inNamespace(of: host, ["mount", "--bind", directory + "/no-tar", "/usr/bin/tar"])
        guard result.status == 0 else { throw TestSupportError("hide tar on \(host): \(result.output)") }
    }

    /// The host's deploy root becomes read-only (until ``reset()``).
    func makeReadOnly(_ host: String) async throws {
        let result = try await fleet.inNamespace(of: host, ["mount", "-o", "remount,bind,ro", "/srv"])
        guard result.status == 0 else { throw TestSupportError("read-only /srv on \(host): \(result.output)") }
    }

    // MARK: Reset

    /// Every host back to the state after setup: sessions and commands left running killed,
    /// downed hosts started, per-host mounts undone, deploy roots restored from the copy.
    func reset() async throws {
        try await fleet.reap()
        for member in fleet.members {
            if !fleet.isUp(member.name) {
                try await fleet.startHost(member.name)
            } else {
                _ = try? await fleet.inNamespace(of: member.name, ["sh", "-c",
                    "umount /usr/local/bin 2>/dev/null; umount /usr/bin/tar 2>/dev/null; mount -o remount,bind,rw /srv 2>/dev/null; true"])
            }
        }
        let script = """
        for h in '\(fleet.directory)'/hosts/*; do
          rm -rf "$h/srv/web" "$h"/srv/.hold-* "$h"/srv/.at-* "$h"/srv/.fail-*
          cp -a "$h/snapshot" "$h/srv/web"
        done
        rm -rf '\(directory)/state' && cp -a '\(directory)/state.snapshot' '\(directory)/state'
        """
        let result = try await Shell.runDetached(["sh", "-c", script])
        guard result.status == 0 else { throw TestSupportError("reset: \(result.output)") }
    }

    // MARK: Reading the hosts

    /// What a host's own `/srv` says.
    func facts(_ host: String) -> HostFacts {
        HostFacts(root: fleet.member(host).srv + "/web")
    }

    var hostNames: [String] { fleet.members.map(\.name) }
}

/// The phases of a deploy where the matrix injects faults.
enum Phase: String, CaseIterable, Sendable {
    case upload, extract, `switch`, activate, health, bake, rollback
}
