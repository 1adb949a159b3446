import Foundation
import Testing
import TestSupport

/// The reported attack end to end: `cutover check` with an inventory whose address or user holds
/// `$(…)` and an ssh_config whose `ProxyCommand` or `Match exec` puts `%h`/`%r` into a shell
/// command. The command must never run, and the error must name the host and `file:line:col`.
/// Valid values still connect through the same `ProxyCommand`, which gets what ssh would give it.
@Suite(.timeLimit(.minutes(2))) struct InventoryInjectionTests {
    /// A `ProxyCommand` that records its arguments, then relays to `$1:$2` (bash's /dev/tcp).
    static let proxyScript = "#!/bin/bash\necho \"$@\" >> \"$(dirname \"$0\")/proxy.log\"\nexec 3<>/dev/tcp/$1/$2\ncat <&3 &\ncat >&3\nwait\n"

    static let configs = [
        "Host *\n  ProxyCommand $DIR/proxy %h %p %r %n\n",
        "Match exec \"echo %h %r >> $DIR/log\"\n  User matched\n",
    ]

    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var file: String
        var text: String
        /// `file:line:col: error: host 'h1': FIELD '` expected.
        var location: String
        var field: String
        var description: String { name }
    }

    static let cases = [
        Case(name: "native", file: "inv.yml",
             text: "hosts:\n  h1: { address: \"127.77.1.10$(touch${IFS}$DIR/PWNED)\" }\n", location: "inv.yml:2:18", field: "address"),
        Case(name: "native user", file: "inv.yml",
             text: "hosts:\n  h1: { address: 127.77.1.10, user: \"u$(touch${IFS}$DIR/PWNED)\" }\n", location: "inv.yml:2:37", field: "user"),
        Case(name: "ansible INI", file: "hosts.ini",
             text: "[web]\nh1 ansible_host=\"127.77.1.10$(touch${IFS}$DIR/PWNED)\"\n", location: "hosts.ini:2:4", field: "ansible_host"),
        Case(name: "ansible YAML", file: "inv.yml",
             text: "all:\n  hosts:\n    h1:\n      ansible_user: \"u$(touch${IFS}$DIR/PWNED)\"\n", location: "inv.yml:4:21", field: "ansible_user"),
    ]

    @Test(arguments: cases, [0, 1])
    func checkRefusesTheInventoryAndRunsNothing(_ testCase: Case, config: Int) async throws {
        let directory = FileManager.default.temporaryDirectory.path + "/cutover-injection-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func write(_ name: String, _ text: String) throws -> String {
            let path = directory + "/" + name
            try text.replacingOccurrences(of: "$DIR", with: directory).write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        _ = try write("proxy", Self.proxyScript)
        chmod(directory + "/proxy", 0o755)
        let inventory = try write(testCase.file, testCase.text)
        let sshConfig = try write("cfg", Self.configs[config])
        let result = try await CutoverProcess.run(["check", "-i", inventory, "--ssh-config", sshConfig],
                                                  environment: ["XDG_STATE_HOME": directory])
        #expect(!FileManager.default.fileExists(atPath: directory + "/PWNED"), "the inventory ran a command: \(result.stderr)")
        #expect(result.status == 65, "\(result.stderr)")
        let relative = result.stderr.replacingOccurrences(of: directory + "/", with: "")
        #expect(relative.contains("\(testCase.location): error: host 'h1': \(testCase.field) '"), "\(relative)")
        #expect(relative.contains("contains '$'"), "\(relative)")
    }

    /// A valid address and user reach the host through the same `ProxyCommand`, given to it
    /// exactly as ssh gives them: `%h %p %r %n` unquoted.
    @Test func validValuesStillConnectThroughTheProxyCommand() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let member = fleet.member("h1")
            try Self.proxyScript.write(toFile: fleet.directory + "/proxy", atomically: true, encoding: .utf8)
            chmod(fleet.directory + "/proxy", 0o755)
            let config = fleet.directory + "/proxy_config"
            try "Host *\n  ProxyCommand \(fleet.directory)/proxy %h %p %r %n\n".write(toFile: config, atomically: true, encoding: .utf8)
            let result = try await CutoverProcess.run(["check", "-i", fleet.inventoryPath, "--ssh-config", config],
                                                      environment: ["XDG_STATE_HOME": fleet.directory])
            #expect(result.status == 0, "\(result.stderr)")
            let log = try String(contentsOfFile: fleet.directory + "/proxy.log", encoding: .utf8)
            #expect(log.split(separator: "\n").contains("\(member.address) \(member.port) \(fleet.user) h1"), "\(log)")
        }
    }
}
