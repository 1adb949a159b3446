import Diagnostics
@testable import Fleet
import Foundation
import Testing

/// ssh_config `Match exec` runs real commands through a real shell, only for the hosts a run
/// connects to, each distinct command once per run, and never longer than its time limit.
@Suite("Match exec", .timeLimit(.minutes(1)))
struct MatchExecTests {
    static let inventory = """
        hosts:
          web-1: { jump: bastion }
          web-2: {}
          db-1: {}
          bastion: {}
        """

    /// Every lookup appends the name ssh was given (`%n`) to `log`; `web-2` goes through a
    /// `ProxyJump` hop that is no inventory host.
    static func config(log: String) -> String {
        "Host web-2\n  ProxyJump gw.example\nMatch exec \"echo %n >> \(log)\"\n  User matched\n"
    }

    static func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init).sorted()
    }

    @Test(arguments: [
        ("web-1", ["bastion", "web-1"]),  // its inventory jump host is connected to as well
        ("web-2", ["gw.example", "web-2"]),  // and its ProxyJump hop
        ("db-1,web-2", ["db-1", "gw.example", "web-2"]),
    ])
    func runsOnlyForTheSelectedHostsAndTheirHops(limit: String, expected: [String]) throws {
        let directory = TemporaryDirectory()
        let log = directory.file("log")
        let path = directory.write("inventory.yml", Self.inventory)
        let config = directory.write("ssh_config", Self.config(log: log))
        let runner = MatchExecRunner()
        let inventory = try InventoryLoader.load(path: path, sshConfigPath: config, limit: limit, matchExec: runner)
        #expect(Self.lines(log) == expected)
        for host in inventory.hosts {
            // The block applies to the hosts the run connects to; to the others it does not apply.
            #expect(host.user == (expected.contains(host.name) ? "matched" : nil), "\(host.name)")
        }
        // A second load in the same run (the CLI loads the inventory more than once) runs nothing again.
        _ = try InventoryLoader.load(path: path, sshConfigPath: config, limit: limit, matchExec: runner)
        #expect(Self.lines(log) == expected)
    }

    @Test func withoutALimitItRunsOnceForEveryHost() throws {
        let directory = TemporaryDirectory()
        let log = directory.file("log")
        let path = directory.write("inventory.yml", Self.inventory)
        let config = directory.write("ssh_config", Self.config(log: log))
        let inventory = try InventoryLoader.load(path: path, sshConfigPath: config)
        #expect(Self.lines(log) == ["bastion", "db-1", "gw.example", "web-1", "web-2"])
        #expect(inventory.hosts.allSatisfy { $0.user == "matched" })
    }

    /// The same command (after tokens) for many hosts, and in both passes of `Match final`: once.
    @Test func eachDistinctCommandRunsOnce() throws {
        let directory = TemporaryDirectory()
        let log = directory.file("log")
        let path = directory.write("inventory.yml", Self.inventory)
        let config = directory.write("ssh_config", "Match final exec \"echo ran >> \(log)\"\n  User matched\nMatch exec \"echo %n >> \(log)\"\n  Port 2222\n")
        let inventory = try InventoryLoader.load(path: path, sshConfigPath: config, limit: "db-1,web-2")
        // Without the cache: `ran` twice (db-1, web-2), each `%n` line twice (both passes).
        #expect(Self.lines(log) == ["db-1", "ran", "web-2"])
        #expect(inventory.host(named: "web-2")?.user == "matched")
        #expect(inventory.host(named: "web-2")?.port == 2222)
    }

    /// ssh would wait for ever; Cutover stops the command (the shell and its descendants) when its time
    /// is up, the block does not apply, and a warning names the `Match` line.
    @Test func aCommandStillRunningAtTheTimeoutIsStoppedWithAWarning() throws {
        let directory = TemporaryDirectory()
        let marker = "30.\(UInt32.random(in: 100_000_000...999_999_999))"
        let path = directory.write("inventory.yml", "hosts:\n  web-1: {}\n")
        // `; true`: the shell forks sleep and waits, so stopping only the shell would leave sleep behind.
        let config = directory.write("ssh_config", "Host *\n  Port 2200\n\nMatch exec \"sleep \(marker); true\"\n  User slow\n"
                                     + "Match !exec \"sleep \(marker)1; true\"\n  User negated\n")
        let inventory = try InventoryLoader.load(path: path, sshConfigPath: config, limit: "web-1", matchExecTimeout: .milliseconds(300))
        #expect(inventory.host(named: "web-1")?.user == nil)
        #expect(inventory.host(named: "web-1")?.port == 2200)
        let warnings = inventory.warnings.map(\.rendered)
        #expect(warnings.contains { $0.contains("\(config):4:1: warning: Match exec 'sleep \(marker); true' did not finish within") }, "\(warnings)")
        // An undecided `!exec` does not turn its block on either.
        #expect(warnings.contains { $0.contains("\(config):6:1: warning: Match exec 'sleep \(marker)1; true' did not finish within") }, "\(warnings)")
        #expect(Self.processes(containing: "sleep \(marker)") == 0)
    }

    /// The command runs in the runner's process group, as under ssh (the terminal's Ctrl-C reaches
    /// it, it may read the terminal); at the timeout its grandchildren are killed as well, and the
    /// runner, in the same group, lives on.
    @Test func itRunsInTheRunnersGroupAndItsWholeTreeIsKilledAtTheTimeout() {
        // Field 5 of /proc/PID/stat is the process group (the shell's name, sh, holds no space).
        #expect(MatchExecProcess.run("test \"$(cut -d' ' -f5 /proc/$$/stat)\" = \(getpgrp())", timeout: .seconds(30)) == .exited(0))
        let marker = "31.\(UInt32.random(in: 100_000_000...999_999_999))"
        #expect(MatchExecProcess.run("sh -c 'sleep \(marker); true'; true", timeout: .milliseconds(300)) == .timedOut(.milliseconds(300)))
        #expect(Self.processes(containing: "sleep \(marker)") == 0)
    }

    @Test func outcomesDecideAsSSHDoes() {
        #expect(MatchExecProcess.run("exit 0", timeout: .seconds(30)) == .exited(0))
        #expect(MatchExecProcess.run("exit 3", timeout: .seconds(30)) == .exited(3))
        #expect(MatchExecProcess.run("kill -TERM $$", timeout: .seconds(30)) == .killed(signal: SIGTERM))
        #expect(MatchExecProcess.run("sleep 30", timeout: .milliseconds(200)) == .timedOut(.milliseconds(200)))
        // stdin and stdout are /dev/null; no descriptor of this process reaches the command.
        let directory = TemporaryDirectory()
        let held = open(directory.file("held"), O_CREAT | O_RDWR, 0o600)
        defer { close(held) }
        #expect(MatchExecProcess.run("ls /proc/$$/fd > \(directory.file("fds")) 2>&1; test \"$(readlink /proc/$$/fd/1)\" = /dev/null", timeout: .seconds(30)) == .exited(0))
        let fds = Self.lines(directory.file("fds"))
        #expect(fds.allSatisfy { ["0", "1", "2"].contains($0) || Int($0).map { $0 >= 10 } == true } && !fds.contains("\(held)"), "\(fds)")
    }

    /// Live processes whose command line contains `text`.
    static func processes(containing text: String) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { Int($0) != nil }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(text) && !state.contains(") Z ")
        }.count
    }
}
