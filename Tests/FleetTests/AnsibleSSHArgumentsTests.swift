import Diagnostics
import Fleet
import Foundation
import Testing
import TestSupport

/// `ansible_ssh_common_args` / `ansible_ssh_extra_args` / `ansible_ssh_args` against the real ssh:
/// each case's host is resolved by Cutover and by `ssh -G -F none` given the command line Ansible
/// builds (ssh_args, then `-o Port=`/`-o User=` from ansible_port/ansible_user, then the common and
/// extra arguments, then the host), and the fields Cutover uses must agree.
@Suite struct AnsibleSSHArgumentsTests {
    struct Case {
        var vars: [String: String]
    }

    static let cases: [Case] = [
        Case(vars: ["ansible_ssh_common_args": "-o ProxyJump=bastion.example.com"]),
        Case(vars: ["ansible_ssh_common_args": "-J ops@jump1:2222,jump2"]),
        Case(vars: ["ansible_ssh_common_args": "-o ProxyCommand=\"ssh -W %h:%p -q bastion\""]),
        Case(vars: ["ansible_ssh_common_args": "-o 'ProxyCommand nc %h %p'"]),
        Case(vars: ["ansible_ssh_common_args": "-oPort=2200 -l alice"]),
        Case(vars: ["ansible_port": "2201", "ansible_ssh_common_args": "-p 9999 -o User=bob"]),
        Case(vars: ["ansible_user": "deploy", "ansible_ssh_extra_args": "-l other -o Port=2022"]),
        Case(vars: ["ansible_ssh_args": "-o Port=3000", "ansible_port": "2201"]),
        Case(vars: ["ansible_ssh_common_args": "-o UserKnownHostsFile=/etc/ssh/fleet_known_hosts -o StrictHostKeyChecking=accept-new"]),
        Case(vars: ["ansible_ssh_common_args": "-C -o ControlMaster=auto -o ControlPersist=60s -o ServerAliveInterval=30"]),
        Case(vars: ["ansible_ssh_common_args": "-o ProxyJump=first", "ansible_ssh_extra_args": "-o ProxyJump=second -p 2300"]),
        Case(vars: ["ansible_host": "10.1.1.1", "ansible_ssh_common_args": "-o HostName=10.2.2.2"]),
        Case(vars: ["ansible_ssh_common_args": "-i /etc/hostname -o IdentityFile=/keys/two"]),
        Case(vars: ["ansible_ssh_common_args": "-o ProxyCommand=none -J ignored"]),
        Case(vars: ["ansible_ssh_common_args": "-o ProxyJump=first", "ansible_ssh_extra_args": "-J second"]),
        Case(vars: ["ansible_ssh_common_args": "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"]),
        Case(vars: ["ansible_ssh_common_args": "-o Usr=bob"]),
        Case(vars: ["ansible_ssh_common_args": "-o IgnoreUnknown=UseKeychain -o UseKeychain=yes", "ansible_ssh_extra_args": "-o UseKeychain=no -o User=bob"]),
        Case(vars: ["ansible_ssh_common_args": "-o UseKeychain=yes -o IgnoreUnknown=UseKeychain"]),
        Case(vars: ["ansible_ssh_common_args": "-o IgnoreUnknown=foo -o IgnoreUnknown=usekeychain -o UseKeychain=yes"]),
        Case(vars: ["ansible_ssh_common_args": "-o IdentityFile2=/keys/second -o RSAAuthentication=no -o Protocol=2"]),
        Case(vars: ["ansible_ssh_common_args": "-o Compression"]),
    ]

    @Test(arguments: cases.indices) func agreesWithSSHOnAnsiblesCommandLine(_ index: Int) throws {
        let vars = Self.cases[index].vars
        let directory = TemporaryDirectory()
        let yaml = "all:\n  hosts:\n    node1:\n" + vars.keys.sorted().map { key in
            "      \(key): '\(vars[key]!.replacingOccurrences(of: "'", with: "''"))'\n"
        }.joined()
        let path = directory.write("hosts.yml", yaml)
        let loaded = Result { () throws(DiagnosticError) -> Inventory in try InventoryLoader.load(path: path, sshConfigPath: "none") }

        var argv = ["/usr/bin/ssh", "-G", "-F", "none"]
        func words(_ name: String) -> [String] {
            guard let text = vars[name] else { return [] }
            let result = try? Shell.run(["/usr/bin/python3", "-c", "import shlex,sys; print('\\0'.join(shlex.split(sys.argv[1])), end='')", text])
            return (result?.stdout ?? "").split(separator: "\0").map(String.init)
        }
        argv += words("ansible_ssh_args")
        if let port = vars["ansible_port"] { argv += ["-o", "Port=\(port)"] }
        if let user = vars["ansible_user"] { argv += ["-o", "User=\(user)"] }
        argv += words("ansible_ssh_common_args") + words("ansible_ssh_extra_args")
        argv.append(vars["ansible_host"] ?? "node1")
        let result = try Shell.run(argv)
        guard result.status == 0 else {
            // ssh refuses this command line: so must Cutover.
            if case .success = loaded { Issue.record("ssh refuses \(argv) (\(result.stderr)), Cutover accepts it") }
            return
        }
        let inventory = try loaded.get()
        let host = try #require(inventory.host(named: "node1"))
        let ssh = ResolvedBySSH(output: result.stdout, hostArgument: vars["ansible_host"] ?? "node1")
        #expect(SSHConfigDifferentialTests.differences(ssh, inventory: inventory, host: "node1") == [], "\(vars)")
        #expect(host.name == "node1")
    }

    @Test func whatCutoverCannotHonourIsNamedWithItsLine() throws {
        let directory = TemporaryDirectory()
        let path = directory.write("hosts", """
            [web]
            w1 ansible_ssh_common_args='-F /etc/other_config'
            w2 ansible_connection=local
            w3 ansible_ssh_extra_args='-A -o ForwardAgent=yes -o StrictHostKeyChecking=no'
            w4 ansible_ssh_common_args='-o Match=all'
            w5 ansible_ssh_common_args='-o Usr=bob -o IgnoreUnknown=Use* -o UseKeychain=yes'
            """)
        do {
            _ = try InventoryLoader.load(path: path, sshConfigPath: "none")
            Issue.record("loaded an inventory Cutover cannot honour")
        } catch {
            let rendered = error.diagnostics.map { "\($0.severity) \($0.location?.line ?? 0): \($0.message)" }
            #expect(rendered.contains { $0.hasPrefix("error 2:") && $0.contains("-F /etc/other_config") }, "\(rendered)")
            #expect(rendered.contains { $0.hasPrefix("error 3:") && $0.contains("ansible_connection=local") }, "\(rendered)")
            #expect(rendered.contains { $0.hasPrefix("warning 4:") && $0.contains("'-A'") }, "\(rendered)")
            #expect(rendered.contains { $0.hasPrefix("warning 4:") && $0.contains("ForwardAgent") }, "\(rendered)")
            #expect(rendered.contains { $0.hasPrefix("warning 4:") && $0.contains("StrictHostKeyChecking no") }, "\(rendered)")
            #expect(rendered.contains { $0.hasPrefix("error 5:") && $0.contains("-o Match") }, "\(rendered)")
            #expect(rendered.filter { $0.hasPrefix("error 6:") } == [
                "error 6: 'ansible_ssh_common_args': '-o Usr': unknown keyword (did you mean 'User'?): ssh refuses the command line"
                    + " (\"Bad configuration option\") unless an -o IgnoreUnknown before it names it",
            ], "\(rendered)")
        }
    }
}
