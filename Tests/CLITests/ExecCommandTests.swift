import Foundation
import Testing
import TestSupport

@Suite("cutover exec and check, as a user runs them", .timeLimit(.minutes(5)))
struct ExecCommandTests {
    @Test func textOutputPrefixesEachLineWithItsHost() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let result = try await CutoverProcess.run(["exec", "-i", fleet.inventoryPath, "--", "echo", "one;", "echo", "two"])
            #expect(result.status == 0)
            let lines = Set(result.stdout.split(separator: "\n").map(String.init))
            #expect(lines == ["h1 | one", "h1 | two", "h2 | one", "h2 | two", "h3 | one", "h3 | two"])
            #expect(result.stderr.contains("3 hosts: 3 ok, 0 failed, 0 unreachable"))
        }
    }

    @Test func jsonPrintsOneObjectPerHostAndExit2WhenAnyFails() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let result = try await CutoverProcess.run([
                "exec", "-i", fleet.inventoryPath, "--output", "json", "--",
                "if [ $(hostname) = h2 ]; then echo bad >&2; exit 3; fi; hostname",
            ])
            #expect(result.status == 2)
            let objects = try result.stdout.split(separator: "\n").map {
                try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
            #expect(objects.count == 3)
            let byHost = Dictionary(uniqueKeysWithValues: objects.map { ($0["host"] as? String ?? "", $0) })
            #expect(byHost["h1"]?["exit_status"] as? Int == 0)
            #expect(byHost["h1"]?["stdout"] as? String == "h1\n")
            #expect(byHost["h1"]?["error"] is NSNull)
            #expect(byHost["h2"]?["exit_status"] as? Int == 3)
            #expect(byHost["h2"]?["stderr"] as? String == "bad\n")
            #expect(byHost["h2"]?["error"] is String)
            #expect((byHost["h3"]?["duration_ms"] as? Int ?? -1) >= 0)
        }
    }

    /// ssh_config keywords Cutover does not honour but that change how OpenSSH connects or
    /// trusts a host are warned about on stderr, once, however often the inventory loads.
    @Test func unhonouredSSHConfigKeywordsAreWarnedOnce() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let config = fleet.directory + "/warned_ssh_config"
            try "Host *\n  HostKeyAlias elsewhere\n  ServerAliveInterval 30\n".write(toFile: config, atomically: true, encoding: .utf8)
            let result = try await CutoverProcess.run(["exec", "-i", fleet.inventoryPath, "--ssh-config", config, "--", "true"])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.stderr.components(separatedBy: "\(config):2:3: warning: 'HostKeyAlias' is not honoured by Cutover").count == 2,
                    "\(result.stderr)")
            #expect(!result.stderr.contains("ServerAliveInterval"), "\(result.stderr)")
            #expect(!result.stdout.contains("warning"), "\(result.stdout)")
        }
    }

    /// An ssh_config keyword OpenSSH does not know refuses the run before anything is contacted,
    /// as ssh refuses to run: whether the file is `--ssh-config`'s, the default `~/.ssh/config` or
    /// one either includes. `--ssh-config none` still runs without it; `IgnoreUnknown` above the
    /// line makes both ignore the keyword.
    @Test func anUnknownSSHConfigKeywordRefusesTheRun() async throws {
        let directory = NSTemporaryDirectory() + "unknown-keyword-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/home/.ssh", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let inventory = directory + "/inventory.yml"
        let marker = directory + "/ran"
        try "hosts:\n  h1: { address: 127.0.0.1, port: 1 }\n".write(toFile: inventory, atomically: true, encoding: .utf8)
        let explicit = directory + "/ssh_config"
        try "Host *\n  Usr nobody\n".write(toFile: explicit, atomically: true, encoding: .utf8)
        let included = directory + "/included"
        try "Hostnme elsewhere\n".write(toFile: included, atomically: true, encoding: .utf8)
        try "Host other\n  Include \(included)\n".write(toFile: directory + "/home/.ssh/config", atomically: true, encoding: .utf8)
        let home = ["HOME": directory + "/home", "XDG_STATE_HOME": directory + "/state"]

        let refused = try await CutoverProcess.run(["exec", "-i", inventory, "--ssh-config", explicit, "--", "touch", marker], environment: home)
        #expect(refused.status == 65, "\(refused.output)")
        #expect(refused.stderr.contains("\(explicit):2:3: error: unknown keyword 'Usr' (did you mean 'User'?)"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty, "\(refused.stdout)")

        let byDefault = try await CutoverProcess.run(["inventory", "-i", inventory], environment: home)
        #expect(byDefault.status == 65, "\(byDefault.output)")
        #expect(byDefault.stderr.contains("\(included):1:1: error: unknown keyword 'Hostnme' (did you mean 'HostName'?)"), "\(byDefault.stderr)")

        let without = try await CutoverProcess.run(["inventory", "-i", inventory, "--ssh-config", "none"], environment: home)
        #expect(without.status == 0, "\(without.output)")

        try "IgnoreUnknown usr\nHost *\n  Usr nobody\n".write(toFile: explicit, atomically: true, encoding: .utf8)
        let ignored = try await CutoverProcess.run(["inventory", "-i", inventory, "--ssh-config", explicit], environment: home)
        #expect(ignored.status == 0, "\(ignored.output)")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    /// ssh_config `Match exec` runs for the hosts the run connects to, each command once, although
    /// the CLI loads the inventory more than once; never for a host `--limit` leaves out.
    @Test func matchExecRunsOnceAndOnlyForTheSelectedHost() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let log = fleet.directory + "/match-exec-\(UUID().uuidString)"
            let config = fleet.directory + "/match_exec_ssh_config"
            try "Match exec \"echo %n >> \(log)\"\n  ServerAliveInterval 30\n".write(toFile: config, atomically: true, encoding: .utf8)
            let result = try await CutoverProcess.run(["exec", "-i", fleet.inventoryPath, "--ssh-config", config, "--limit", "h1", "--", "hostname"])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.stdout == "h1 | h1\n", "\(result.output)")
            // Looked up by name and by the inventory's address, as the inventory says: h1's only.
            let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(lines.sorted() == [fleet.member("h1").address, "h1"].sorted(), "\(lines)")
        }
    }

    /// A `Match exec` command still running at `--connect-timeout` is stopped: the block does not
    /// apply, a warning names the line, and the run goes on (3 s: the connection, which the same
    /// limit bounds, must still succeed on a loaded machine).
    @Test func aMatchExecOutlastingTheConnectTimeoutIsStoppedWithAWarning() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let config = fleet.directory + "/slow_ssh_config"
            try "Match exec \"sleep 30\"\n  User nobody-here\n".write(toFile: config, atomically: true, encoding: .utf8)
            let result = try await CutoverProcess.run(["exec", "-i", fleet.inventoryPath, "--ssh-config", config, "--connect-timeout", "3s", "--", "hostname"])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.stdout == "h1 | h1\n", "\(result.output)")
            #expect(result.stderr.contains("\(config):1:1: warning: Match exec 'sleep 30' did not finish within 3.0 seconds and was stopped"), "\(result.stderr)")
        }
    }

    /// Started by a parent that ignores SIGCHLD (the setting survives exec), Cutover still waits
    /// for its `Match exec` command: without the reset, waitpid fails with ECHILD and the block
    /// does not apply. perl is part of every Debian system (perl-base).
    @Test func aMatchExecWorksWhenSIGCHLDIsInheritedIgnored() async throws {
        let directory = NSTemporaryDirectory() + "sigchld-ignored-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "hosts:\n  web-1: { address: 127.0.0.1 }\n".write(toFile: directory + "/inventory.yml", atomically: true, encoding: .utf8)
        try "Match exec \"true\"\n  User matched\n".write(toFile: directory + "/ssh_config", atomically: true, encoding: .utf8)
        let result = try await Shell.runDetached(["/usr/bin/perl", "-e", "$SIG{CHLD} = 'IGNORE'; exec { $ARGV[0] } @ARGV or die",
                                                  RepositoryPaths.cutoverExecutable, "inventory", "-i", directory + "/inventory.yml",
                                                  "--ssh-config", directory + "/ssh_config"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("user     matched"), "\(result.output)")
        #expect(!result.stderr.contains("warning"), "\(result.stderr)")
    }

    @Test func anUnreachableHostIsCountedAndGivesExit2() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            try await fleet.stopHost("h2")
            let result = try await CutoverProcess.run(["exec", "-i", fleet.inventoryPath, "--connect-timeout", "3", "--", "true"])
            #expect(result.status == 2)
            #expect(result.stderr.contains("h2: UNREACHABLE"))
            #expect(result.stderr.contains("2 hosts: 1 ok, 0 failed, 1 unreachable"))
        }
    }

    /// A host that answered and then lost the connection (here its sshd session is killed
    /// under the command) failed; it is never called unreachable.
    @Test func aHostThatAnsweredIsNeverCalledUnreachable() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            // Only h2 (its own /srv holds the marker) kills the sshd process serving the command.
            try "".write(toFile: fleet.member("h2").srv + "/kill-me", atomically: true, encoding: .utf8)
            let result = try await CutoverProcess.run(["exec", "-i", fleet.inventoryPath, "--ssh-config", "none", "--",
                                                       "if [ -e /srv/kill-me ]; then kill -9 $PPID; sleep 5; fi; echo alive"])
            #expect(result.status == 2)
            #expect(result.stderr.contains("h2: FAILED: connection lost after the host answered"), "\(result.stderr)")
            #expect(result.stderr.contains("2 hosts: 1 ok, 1 failed, 0 unreachable"), "\(result.stderr)")
        }
    }

    @Test func limitSelectsByLabelAndName() async throws {
        try await TestFleet.with(hosts: 4) { fleet in
            // zones cycle a, b, c: h1 and h4 are in zone a.
            let result = try await CutoverProcess.run(["exec", "-i", fleet.inventoryPath, "--limit", "zone=a,h2&!h4", "--", "hostname"])
            #expect(result.status == 0)
            let hosts = Set(result.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) })
            #expect(hosts == ["h1", "h2"])
        }
    }

    @Test func durationsAreWrittenAsInPlaybooksAndALimitMatchingNothingIsAUsageError() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let timedOut = try await CutoverProcess.run(["exec", "-i", fleet.inventoryPath, "--timeout", "300ms", "--connect-timeout", "5s", "--", "sleep 20"])
            #expect(timedOut.status == 2)
            #expect(timedOut.stderr.contains("h1: FAILED"), "\(timedOut.stderr)")
            let bad = try await CutoverProcess.run(["exec", "-i", fleet.inventoryPath, "--timeout", "3 weeks", "--", "true"])
            #expect(bad.status == 64)
            let nothing = try await CutoverProcess.run(["exec", "-i", fleet.inventoryPath, "--limit", "h9", "--", "true"])
            #expect(nothing.status == 64)
            #expect(nothing.stderr.contains("no host, group or label matches 'h9' (did you mean 'h1'?)"))
        }
    }

    @Test func checkReportsHowEachHostKeyWasTrusted() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let result = try await CutoverProcess.run(["check", "-i", fleet.inventoryPath])
            #expect(result.status == 0)
            #expect(result.stderr.contains("h1: ok, host key known (\(fleet.knownHostsPath):1)"))
            #expect(result.stderr.contains("h2: ok, host key known (\(fleet.knownHostsPath):2)"))
        }
    }

    @Test func configurationMistakesAreDiagnosticsWithExit65() async throws {
        let path = FileManager.default.temporaryDirectory.path + "/cutover-bad-\(UUID().uuidString).yml"
        try "hosts:\n  web-1: { adress: 10.0.0.1 }\n  web-2: { address: 10.0.0.2, port: 0 }\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try await CutoverProcess.run(["check", "-i", path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(path):2:12: error: unknown key 'adress'"))
        #expect(result.stderr.contains("(did you mean 'address'?)"))
        #expect(result.stderr.contains("\(path):3:37: error: invalid port 0"))
    }

    /// 50 MB without a newline: the output is cut into lines of at most 64 KiB, each marked,
    /// and `cutover` itself stays small (its peak RSS, measured around it by Python's getrusage).
    @Test func anUnterminatedFloodIsCutIntoMarkedLinesWithBoundedMemory() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let measure = """
            import resource, subprocess, sys
            p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            lines = cut = longest = 0
            for line in p.stdout:
                lines += 1
                longest = max(longest, len(line))
                cut += line.rstrip(b"\\n").endswith(b"[line cut at 64 KiB]")
            err = p.stderr.read().decode(errors="replace")
            p.wait()
            print(p.returncode, lines, cut, longest, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            sys.stderr.write(err[-2000:])
            """
            let result = try await Shell.runDetached(["python3", "-c", measure, RepositoryPaths.cutoverExecutable,
                                                      "exec", "-i", fleet.inventoryPath, "--", "head -c 50000000 /dev/zero"])
            let numbers = result.stdout.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
            try #require(numbers.count == 5, "\(result.stdout) \(result.stderr)")
            let (status, lines, cut, longest, maxRSSKiB) = (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4])
            #expect(status == 0, "\(result.stderr)")
            // 762 pieces of 65 536 bytes, cut, then the last 61 568 bytes at the end of output.
            #expect(lines == 763)
            #expect(cut == 762)
            // A NUL shows as `^@`: 2 × 64 KiB, the host's prefix and the mark.
            #expect(longest < 2 * 65536 + 64)
            #expect(maxRSSKiB < 150 * 1024, "cutover peaked at \(maxRSSKiB) KiB")
        }
    }

    /// A host that runs but says nothing is failed after the no-progress limit, with a
    /// message that says so, and its command is stopped.
    @Test func aSilentHostIsFailedAfterTheNoProgressLimit() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let started = ContinuousClock.now
            let result = try await CutoverProcess.run(["exec", "-i", fleet.inventoryPath, "--no-progress-timeout", "2s", "--", "sleep 1013"])
            #expect(ContinuousClock.now - started < .seconds(60))  // far below the 1013 s sleep
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.contains("h1: FAILED: no output for 2 s; the command was stopped"), "\(result.stderr)")
            let left = try Shell.run(["sh", "-c", "pgrep -f 'sleep 101[3]' || true"])
            #expect(left.stdout.isEmpty)
        }
    }

    @Test func aMissingCommandIsAUsageError() async throws {
        let result = try await CutoverProcess.run(["exec", "-i", "whatever.yml"])
        #expect(result.status == 64)
    }
}
