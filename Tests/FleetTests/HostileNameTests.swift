import Diagnostics
import Fleet
import Foundation
import Testing

/// Host and group names reach remote commands (`CUTOVER_HOST`, `{{ host }}`, the journal): any
/// shell character in one is refused at load time, at its line and column, in every format.
@Suite struct HostileNameTests {
    static let names = ["web;touch", "$(id)", "`id`", "a'b", "a\"b", "a|b", "a&b", "a>b", "ü", "-oProxyCommand=x", "a\\b", "a*"]

    @Test(arguments: names)
    func nativeHostAndGroupNames(name: String) {
        let quoted = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
        let host = loadDiagnostics("hosts:\n  \(quoted): { address: 10.0.0.1 }\n")
        #expect(summaries(host).contains { $0.hasPrefix("2:3: invalid host name") }, "\(host)")
        let group = loadDiagnostics("hosts:\n  web-1: {}\ngroups:\n  \(quoted): { hosts: [web-1] }\n")
        #expect(summaries(group).contains { $0.hasPrefix("4:3: invalid group name") }, "\(group)")
    }

    @Test(arguments: names.filter { !$0.contains(" ") && !$0.contains("=") })
    func ansibleHostNames(name: String) {
        if name.contains("\\") {
            // An INI host line is split like a shell line: `a\b` is the harmless name `ab`, as in Ansible.
            let inventory = try? loadInventory("[web]\n\(name) ansible_host=10.0.0.1\n", name: "hosts.ini")
            #expect(inventory?.hosts.map(\.name) == [name.replacingOccurrences(of: "\\", with: "")])
        } else {
            let ini = loadDiagnostics("[web]\n\(name) ansible_host=10.0.0.1\n", name: "hosts.ini")
            // Quotes in INI end as "unterminated quote", the rest as an invalid name: refused at 2:1 either way.
            #expect(summaries(ini).contains { $0.hasPrefix("2:1: invalid host name") || $0 == "2:1: unterminated quote" }, "\(ini)")
        }
        let quoted = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
        let yaml = loadDiagnostics("all:\n  hosts:\n    \(quoted): { ansible_host: 10.0.0.1 }\n")
        #expect(summaries(yaml).contains { $0.hasPrefix("3:5: invalid host name") }, "\(yaml)")
    }
}
