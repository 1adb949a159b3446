import Foundation
import Testing
import TestSupport

@Suite("Ctrl-C during exec", .timeLimit(.minutes(2)))
struct InterruptTests {
    @Test func sigintStopsRemoteCommandsAndExits130() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: RepositoryPaths.cutoverExecutable)
            process.arguments = ["exec", "-i", fleet.inventoryPath, "--ssh-config", "none", "--",
                                 "echo $$ > /srv/pid; exec sleep 300"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait until both hosts run the command.
            for _ in 0..<100 {
                if fleet.members.allSatisfy({ FileManager.default.fileExists(atPath: $0.srv + "/pid") }) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let started = ContinuousClock.now
            kill(process.processIdentifier, SIGINT)
            while process.isRunning && ContinuousClock.now - started < .seconds(15) {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(!process.isRunning)
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            #expect(process.terminationStatus == 130)
            for member in fleet.members {
                let pid = try String(contentsOfFile: member.srv + "/pid", encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                // The remote shell (and its sleep) is gone: the pid no longer exists, or is a
                // zombie its parent has not reaped yet (a loaded machine takes a moment).
                var running = true
                for _ in 0..<100 where running {
                    running = Self.isRunning(pid_t(pid) ?? 0)
                    if running { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(!running, "remote command on \(member.name) still running")
            }
        }
    }

    /// Ctrl-C while a `Match exec` command runs (the inventory loads before Cutover's own handler
    /// is installed) reaches the command as well: it runs in Cutover's process group, as under
    /// ssh, and is not left running once Cutover is gone.
    @Test func sigintToTheGroupStopsARunningMatchExecCommand() async throws {
        let directory = NSTemporaryDirectory() + "match-exec-sigint-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let marker = "47.\(UInt32.random(in: 100_000_000...999_999_999))"
        let inventory = directory + "/inventory.yml"
        let config = directory + "/ssh_config"
        try "hosts:\n  web-1: { address: 127.0.0.1 }\n".write(toFile: inventory, atomically: true, encoding: .utf8)
        try "Match exec \"sleep \(marker); true\"\n  User matched\n".write(toFile: config, atomically: true, encoding: .utf8)
        IsolatedState.ensure
        let process = Process()
        // A process group of its own, as a shell makes for a foreground job: the group a
        // terminal's Ctrl-C is sent to. perl is part of every Debian system (perl-base).
        process.executableURL = URL(fileURLWithPath: "/usr/bin/perl")
        process.arguments = ["-e", "setpgrp(0, 0) or die; exec { $ARGV[0] } @ARGV or die", RepositoryPaths.cutoverExecutable,
                             "exec", "-i", inventory, "--ssh-config", config, "--connect-timeout", "120s", "--", "true"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { for pid in Self.processes(containing: "sleep \(marker)") { kill(pid, SIGKILL) } }
        for _ in 0..<600 where Self.processes(containing: "sleep \(marker)").isEmpty {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(!Self.processes(containing: "sleep \(marker)").isEmpty, "the Match exec command never started")
        kill(-process.processIdentifier, SIGINT)
        for _ in 0..<300 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning)
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        // The command got the SIGINT too (a moment to die on a loaded machine).
        for _ in 0..<200 where !Self.processes(containing: "sleep \(marker)").isEmpty {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(Self.processes(containing: "sleep \(marker)").isEmpty, "the Match exec command outlived Cutover")
    }

    /// Live processes (not zombies) whose command line contains `text`.
    static func processes(containing text: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(text) && isRunning(pid)
        }
    }

    /// True while `pid` exists and is not a zombie (`/proc/PID/stat` state `Z`).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first != "Z"
    }
}
