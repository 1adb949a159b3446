import Diagnostics
@testable import Fleet
import Foundation
import Testing

/// An inventory's addresses and users reach ssh_config's `Match exec` (when the inventory is
/// loaded) and `ProxyCommand` (when connecting) as `%h` and `%r`, unquoted as OpenSSH puts them
/// (CVE-2023-51385): any shell character in one is refused at its line and column, naming the
/// host and the character, before any ssh_config command runs; valid values run exactly the
/// command `ssh` runs.
@Suite struct HostileConnectionValueTests {
    static let hostileAddresses = [
        "$(id)", "a;b", "a b", "a\tb", "a\nb", "-oProxyCommand=x", "a`id`", "a|b", "a&b", "a>b", "a'b", "a\"b",
        "[::1]", "ü.example", "a*", "a\\b", "a{b}", "a,b", "a%eth0", "fe80::1%", "fe80::1%$(id)",
    ]
    static let hostileUsers = ["$(id)", "a b", "-l", "a;b", "a$b", "$", "a\\b", "ü", "a\u{1b}[2J", "a'b", "a:b", "a%b"]

    @Test(arguments: hostileAddresses)
    func hostileAddressesAreRefused(address: String) {
        #expect(ConnectionValue.addressProblem(address) != nil, "\(address)")
    }

    @Test(arguments: hostileUsers)
    func hostileUsersAreRefused(user: String) {
        #expect(ConnectionValue.userProblem(user) != nil, "\(user)")
    }

    @Test func theMessageNamesTheCharacter() {
        #expect(ConnectionValue.addressProblem("10.0.0.1$(id)") == "contains '$'")
        #expect(ConnectionValue.addressProblem("a b") == "contains a space")
        #expect(ConnectionValue.addressProblem("a\tb") == "contains a control or space character (U+0009)")
        #expect(ConnectionValue.addressProblem("ü") == "contains 'ü' (U+00FC, not ASCII)")
        #expect(ConnectionValue.addressProblem("-x") == "starts with '-'")
        #expect(ConnectionValue.addressProblem("web%eth0") == "contains '%' (only an IPv6 address may carry a '%zone')")
        #expect(ConnectionValue.userProblem("a$b") == "contains '$' (only as its last character)")
        #expect(ConnectionValue.addressMessage("a\nb", owner: "host 'h1'")?.hasPrefix("host 'h1': address 'a\\u{a}b' contains") == true)
    }

    static let validAddresses = [
        "10.0.0.5", "2001:db8::10", "fe80::1%eth0", "fe80::1%enp0s31f6.100", "::ffff:10.0.0.1",
        "db-1.internal.example.com", "db-1.internal.example.com.", "svc_a.example", "WEB-1",
    ]
    static let validUsers = ["deploy", "svc.app-1", "ops_2", "alice@corp.example.com", "machine$", "Admin"]

    @Test func validValuesAreAccepted() {
        for address in Self.validAddresses { #expect(ConnectionValue.addressProblem(address) == nil, "\(address)") }
        for user in Self.validUsers { #expect(ConnectionValue.userProblem(user) == nil, "\(user)") }
    }

    // MARK: The reported attack, through the loader and a real shell

    static let payload = "127.77.1.10$(touch${IFS}$DIR/PWNED)"

    /// ssh_config `Match exec "echo %h %r >> log"`: runs while the inventory is loaded.
    static let matchExec = "Match exec \"echo %h %r >> $DIR/log\"\n  User matched\n"

    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var file: String
        var text: String
        /// `line:column: OWNER: FIELD '…' contains '$'` expected.
        var line: Int
        var column: Int
        var field: String
        var owner = "host 'h1'"
        var description: String { name }
    }

    static let cases = [
        Case(name: "native address", file: "inventory.yml",
             text: "hosts:\n  h1: { address: \"\(payload)\" }\n", line: 2, column: 18, field: "address"),
        Case(name: "native user", file: "inventory.yml",
             text: "hosts:\n  h1: { address: 127.77.1.10, user: \"x$(touch${IFS}$DIR/PWNED)\" }\n", line: 2, column: 37, field: "user"),
        Case(name: "native defaults user", file: "inventory.yml",
             text: "defaults:\n  user: \"x$(touch${IFS}$DIR/PWNED)\"\nhosts:\n  h1: {}\n", line: 2, column: 9, field: "user", owner: "defaults"),
        Case(name: "ansible INI ansible_host", file: "hosts.ini",
             text: "[web]\nh1 ansible_host=\"\(payload)\"\n", line: 2, column: 4, field: "ansible_host"),
        Case(name: "ansible INI group ansible_user", file: "hosts.ini",
             text: "[web]\nh1\n[web:vars]\nansible_user=x$(touch${IFS}$DIR/PWNED)\n", line: 4, column: 14, field: "ansible_user"),
        Case(name: "ansible YAML ansible_host", file: "inventory.yml",
             text: "all:\n  hosts:\n    h1:\n      ansible_host: \"\(payload)\"\n", line: 4, column: 21, field: "ansible_host"),
        Case(name: "ansible ssh args HostName", file: "hosts.ini",
             text: "[web]\nh1 ansible_ssh_common_args='-o HostName=\(payload)'\n", line: 2, column: 4, field: "'ansible_ssh_common_args': HostName"),
    ]

    @Test(arguments: cases)
    func aShellCommandInAnAddressOrUserNeverRuns(_ testCase: Case) throws {
        let directory = TemporaryDirectory()
        let text = testCase.text.replacingOccurrences(of: "$DIR", with: directory.path)
        let config = Self.matchExec.replacingOccurrences(of: "$DIR", with: directory.path)
        let diagnostics = loadDiagnostics(text, name: testCase.file, sshConfig: config, in: directory)
        #expect(!FileManager.default.fileExists(atPath: directory.file("PWNED")), "the address ran a command")
        let expected = "\(testCase.line):\(testCase.column): \(testCase.owner): \(testCase.field) '"
        #expect(summaries(diagnostics).contains { $0.hasPrefix(expected) && $0.contains("' contains '$'") }, "\(summaries(diagnostics))")
        #expect(diagnostics.allSatisfy { $0.location?.file.hasSuffix("/" + testCase.file) ?? false || $0.severity != .error })
        // The host's own name was still looked up (Match exec ran for it), never the refused value.
        let log = (try? String(contentsOfFile: directory.file("log"), encoding: .utf8)) ?? ""
        #expect(!log.contains("PWNED") && !log.contains("touch"), "\(log)")
    }

    /// Valid addresses go into `Match exec` exactly as `ssh -G` puts them: the lines both write agree.
    @Test func validAddressesRunTheCommandSSHRuns() async throws {
        let ssh = "/usr/bin/ssh"
        #expect(FileManager.default.isExecutableFile(atPath: ssh), "OpenSSH client missing: run Scripts/install-deps")
        let directory = TemporaryDirectory()
        let addresses = ["10.0.0.5", "2001:db8::10", "fe80::1%eth0", "db-1.internal.example.com.", "svc_a.example"]
        let inventory = "hosts:\n" + addresses.enumerated().map { "  h\($0.offset): { address: \"\($0.element)\" }\n" }.joined()
        let cutoverConfig = directory.write("cutover_config", "Match exec \"echo %h %n >> \(directory.path)/cutover.log\"\n  User matched\n")
        let sshConfig = directory.write("ssh_config", "Match exec \"echo %h %n >> \(directory.path)/ssh.log\"\n  User matched\n")
        let inventoryPath = directory.write("inventory.yml", inventory)
        let loaded = try InventoryLoader.load(path: inventoryPath, sshConfigPath: cutoverConfig)
        #expect(loaded.hosts.map(\.address) == addresses)
        for host in addresses.indices.map({ "h\($0)" }) + addresses {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ssh)
            process.arguments = ["-G", "-F", sshConfig, host]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
        }
        let ours = try String(contentsOfFile: directory.file("cutover.log"), encoding: .utf8).split(separator: "\n").sorted()
        let theirs = try String(contentsOfFile: directory.file("ssh.log"), encoding: .utf8).split(separator: "\n").sorted()
        #expect(ours.count == addresses.count * 2)
        #expect(ours == theirs)
    }

    /// Defence in depth: should a hostile host reach `Match exec` anyway, it is one quoted word.
    @Test func matchExecQuotesAValueAShellWouldRead() throws {
        let directory = TemporaryDirectory()
        guard case .success(let match) = SSHConfigMatch.parse(["exec", "echo %h %r %n > \(directory.path)/out"]) else {
            Issue.record("Match exec did not parse")
            return
        }
        let hostile = "x$(touch${IFS}\(directory.path)/PWNED);touch \(directory.path)/PWNED2 'q'"
        let local = SSHConfigLocal.current(home: directory.path, user: "me")
        let subject = SSHConfigMatch.Subject(host: hostile, originalHost: "a b", remoteUser: "machine$", port: 22,
                                             finalPass: false, mayExecute: true, local: local)
        #expect(match.evaluate(subject))
        #expect(!FileManager.default.fileExists(atPath: directory.file("PWNED")))
        #expect(!FileManager.default.fileExists(atPath: directory.file("PWNED2")))
        #expect(try String(contentsOfFile: directory.file("out"), encoding: .utf8) == "\(hostile) machine$ a b\n")
        #expect(SSHConfigTokens.shellWord("fe80::1%eth0") == "fe80::1%eth0")
        #expect(SSHConfigTokens.shellWord("alice@corp.example.com") == "alice@corp.example.com")
    }
}
