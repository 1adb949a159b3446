import Diagnostics
@testable import Fleet
import Foundation
import Glibc
import Testing
import TestSupport

/// Cutover's ssh_config resolution against the real `ssh -G -F FILE HOST` (OpenSSH, installed by
/// `Scripts/install-deps`), on ``SSHConfigCorpus``: for every case and host, the fields Cutover
/// uses must be what ssh would use, or, where ssh refuses the file, Cutover must refuse it too
/// (and where ssh names a "Bad configuration option" line, Cutover's errors name that line and
/// keyword).
///
/// `ssh -G` prints `IdentityFile` unexpanded (ssh expands it when it loads keys), so the test
/// expands it the way ssh_config(5) says (`~`, `%` tokens, `${VAR}`, relative to the working
/// directory) before comparing. `StrictHostKeyChecking no` is where Cutover differs on purpose:
/// it checks host keys anyway and must say so with a warning.
@Suite struct SSHConfigDifferentialTests {
    @Test func corpusAgreesWithSSHDashG() throws {
        let ssh = "/usr/bin/ssh"
        #expect(FileManager.default.isExecutableFile(atPath: ssh), "OpenSSH client missing: run Scripts/install-deps")
        var compared = 0
        var agreed = 0
        var mismatches: [String] = []
        for testCase in SSHConfigCorpus.cases {
            let outcome = try Self.compare(testCase, ssh: ssh)
            compared += outcome.lookups
            agreed += outcome.lookups - outcome.mismatches.count
            mismatches += outcome.mismatches.map { "\(testCase.name): \($0)" }
        }
        let summary = "ssh -G agreement: \(agreed)/\(compared) host lookups in \(SSHConfigCorpus.cases.count) cases"
        print(summary)
        for mismatch in mismatches { print("  differs: \(mismatch)") }
        #expect(compared > 100)
        #expect(mismatches.isEmpty, "\(summary)\n\(mismatches.joined(separator: "\n"))")
    }

    struct Outcome {
        var lookups = 0
        var mismatches: [String] = []
    }

    /// Runs one case through both; a lookup with any differing field counts once.
    static func compare(_ testCase: SSHConfigCase, ssh: String) throws -> Outcome {
        let directory = TemporaryDirectory()
        let sshHome = ScratchSSHDirectory()
        func substitute(_ text: String) -> String {
            text.replacingOccurrences(of: "$DIR", with: directory.path).replacingOccurrences(of: "$SSHSUB", with: sshHome.relativeName)
        }
        for (name, text) in testCase.files {
            if name.hasPrefix("~/.ssh/$SSHSUB/") {
                sshHome.write(String(name.dropFirst("~/.ssh/$SSHSUB/".count)), substitute(text))
            } else {
                directory.write(name, substitute(text))
            }
        }
        let configPath = directory.write("ssh_config", substitute(testCase.config))
        let inventoryPath = directory.write("inventory.yml", "hosts:\n" + testCase.hosts.map { "  \($0): {}\n" }.joined())

        var outcome = Outcome()
        let loaded: Result<Inventory, DiagnosticError>
        do { loaded = .success(try InventoryLoader.load(path: inventoryPath, sshConfigPath: configPath)) } catch { loaded = .failure(error) }
        for host in testCase.hosts {
            outcome.lookups += 1
            let result = try Shell.run([ssh, "-G", "-F", configPath, host])
            switch (result.status == 0, loaded) {
            case (false, .failure(let error)):
                // Both refuse the file; a keyword ssh does not know must be named where ssh names it.
                for (file, line, keyword) in Self.badOptions(result.stderr) where !error.diagnostics.contains(where: {
                    $0.severity == .error && ($0.location?.file as NSString?)?.lastPathComponent == file && $0.location?.line == line
                        && $0.message.lowercased().contains("'\(keyword)'")
                }) {
                    outcome.mismatches.append("\(host): ssh refuses \(file) line \(line) for '\(keyword)', Cutover's errors do not name it: "
                        + error.diagnostics.map(\.rendered).joined(separator: " | "))
                }
            case (false, .success):
                outcome.mismatches.append("\(host): ssh refuses the file (\(Self.firstLine(result.stderr))), Cutover accepts it")
                continue
            case (true, .failure(let error)):
                outcome.mismatches.append("\(host): Cutover refuses the file (\(error.diagnostics.first?.message ?? "?")), ssh accepts it")
                continue
            case (true, .success(let inventory)):
                let expected = ResolvedBySSH(output: result.stdout, hostArgument: host)
                let differences = Self.differences(expected, inventory: inventory, host: host)
                if !differences.isEmpty { outcome.mismatches.append("\(host): " + differences.joined(separator: "; ")) }
            }
        }
        return outcome
    }

    static func differences(_ ssh: ResolvedBySSH, inventory: Inventory, host name: String) -> [String] {
        guard let host = inventory.host(named: name) else { return ["host missing from the inventory"] }
        var found: [String] = []
        func check<T: Equatable>(_ field: String, _ sshValue: T, _ cutover: T) {
            if sshValue != cutover { found.append("\(field) ssh=\(sshValue) cutover=\(cutover)") }
        }
        check("hostname", ssh.hostName, host.address.lowercased())
        check("port", ssh.port, host.port)
        check("user", ssh.user, host.user ?? ResolvedBySSH.localUser)
        check("identityfile", ssh.identityFiles, host.identityFiles.isEmpty ? ResolvedBySSH.defaultIdentityFiles : host.identityFiles)
        check("proxyjump", ssh.proxyJump, inventory.jumpChain(for: host).map(\.name))
        check("proxycommand", ssh.proxyCommand, host.proxyCommand)
        check("userknownhostsfile", ssh.knownHostsFiles, host.knownHostsFiles.isEmpty ? ResolvedBySSH.defaultKnownHosts : host.knownHostsFiles)
        let policy = host.hostKeyPolicy == .acceptNew ? "accept-new" : "strict"
        switch ssh.strictHostKeyChecking {
        case "accept-new": check("stricthostkeychecking", "accept-new", policy)
        case "false":
            check("stricthostkeychecking", "strict (Cutover never disables it)", policy == "strict" ? "strict (Cutover never disables it)" : policy)
            if !inventory.warnings.contains(where: { $0.message.contains("StrictHostKeyChecking") }) {
                found.append("stricthostkeychecking no: Cutover gave no warning")
            }
        default: check("stricthostkeychecking", "strict", policy)
        }
        return found
    }

    /// `(file name, line, keyword)` of each "FILE: line N: Bad configuration option: KEYWORD" ssh printed.
    static func badOptions(_ stderr: String) -> [(String, Int, String)] {
        stderr.split(whereSeparator: \.isNewline).compactMap { line in  // ssh ends its lines with CRLF
            guard let range = line.range(of: ": Bad configuration option: "),
                  let lineRange = line[..<range.lowerBound].range(of: ": line ", options: .backwards),
                  let number = Int(line[lineRange.upperBound..<range.lowerBound]) else { return nil }
            let file = (String(line[..<lineRange.lowerBound]) as NSString).lastPathComponent
            return (file, number, String(line[range.upperBound...]))
        }
    }

    /// Every keyword Cutover takes for one OpenSSH knows is one the real ssh accepts (its value
    /// may still be refused, but not the keyword).
    @Test func everyKeywordCutoverKnowsIsOneSSHKnows() throws {
        let directory = TemporaryDirectory()
        let names = SSHConfigKeywords.known.values.map(\.name).filter { !["Host", "Match", "Include"].contains($0) }.sorted()
        #expect(names.count == 119)
        // One file each: a value ssh rejects may end its reading early (some are fatal at once).
        for name in names {
            let result = try Shell.run(["/usr/bin/ssh", "-G", "-F", directory.write("keyword", "\(name) x\n"), "h"])
            #expect(!result.stderr.contains("Bad configuration option"), "\(name): \(result.stderr)")
        }
        let unknown = try Shell.run(["/usr/bin/ssh", "-G", "-F", directory.write("unknown", "NoSuchKeyword x\n"), "h"])
        #expect(unknown.status != 0 && unknown.stderr.contains("Bad configuration option: nosuchkeyword"), "\(unknown.stderr)")
    }

    static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n").first { !$0.contains("Pseudo-terminal") } ?? "")
    }
}

/// The fields Cutover uses, as `ssh -G` printed them, with `IdentityFile` expanded as ssh would.
struct ResolvedBySSH {
    var hostName = ""
    var port = 22
    var user = ""
    var identityFiles: [String] = []
    var proxyJump: [String] = []
    var proxyCommand: String?
    var knownHostsFiles: [String] = []
    var strictHostKeyChecking = ""

    static let home: String = {
        guard let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir else { return "/" }
        return String(cString: dir)
    }()
    static let localUser: String = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
    static let defaultIdentityFiles = ["id_rsa", "id_ecdsa", "id_ecdsa_sk", "id_ed25519", "id_ed25519_sk", "id_xmss", "id_dsa"]
        .map { home + "/.ssh/" + $0 }
    static let defaultKnownHosts = [home + "/.ssh/known_hosts", home + "/.ssh/known_hosts2"]

    init(output: String, hostArgument: String) {
        var rawIdentities: [String] = []
        for line in output.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            let key = line[..<space], value = String(line[line.index(after: space)...])
            switch key {
            case "hostname": hostName = value
            case "port": port = Int(value) ?? -1
            case "user": user = value
            case "identityfile": rawIdentities.append(value)
            case "proxyjump": proxyJump = value.split(separator: ",").map(String.init)
            case "proxycommand": proxyCommand = value
            case "userknownhostsfile": knownHostsFiles = value == "none" ? ["/dev/null"] : value.split(separator: " ").map(String.init)
            case "stricthostkeychecking": strictHostKeyChecking = value
            default: break
            }
        }
        identityFiles = rawIdentities.map { expandIdentity($0, hostArgument: hostArgument) }
    }

    /// ssh_config(5) TOKENS for IdentityFile, independent of Cutover's code.
    private func expandIdentity(_ raw: String, hostArgument: String) -> String {
        var text = raw
        if text.hasPrefix("~/") { text = Self.home + text.dropFirst() }
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, 255)
        let local = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let tokens: [Character: String] = [
            "%": "%", "h": hostName, "p": String(port), "r": user, "u": Self.localUser, "d": Self.home,
            "n": hostArgument, "l": local, "L": String(local.prefix { $0 != "." }), "i": String(getuid()), "k": hostName,
        ]
        var result = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            if character == "%", let token = iterator.next() { result += tokens[token] ?? "%\(token)" } else { result.append(character) }
        }
        for (name, value) in ProcessInfo.processInfo.environment { result = result.replacingOccurrences(of: "${\(name)}", with: value) }
        if !result.hasPrefix("/") { result = FileManager.default.currentDirectoryPath + "/" + result }
        return (result as NSString).standardizingPath
    }
}

/// A directory under `~/.ssh` for one case (relative `Include` resolves there); removed afterwards,
/// with `~/.ssh` itself when the test created it.
final class ScratchSSHDirectory {
    let relativeName = "cutover-test-\(UUID().uuidString)"
    private var created = false
    private var createdSSHDirectory = false

    private var sshDirectory: String { ResolvedBySSH.home + "/.ssh" }
    var path: String { sshDirectory + "/" + relativeName }

    func write(_ name: String, _ text: String) {
        if !created {
            createdSSHDirectory = !FileManager.default.fileExists(atPath: sshDirectory)
            try? FileManager.default.createDirectory(atPath: sshDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            created = true
        }
        try? text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
    }

    deinit {
        guard created else { return }
        try? FileManager.default.removeItem(atPath: path)
        if createdSSHDirectory { _ = rmdir(sshDirectory) }
    }
}
