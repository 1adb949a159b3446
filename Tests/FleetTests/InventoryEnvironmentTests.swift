import Diagnostics
import Fleet
import Testing

/// `environment:` at a native inventory's top level: read, checked, and absent from Ansible's.
@Suite struct InventoryEnvironmentTests {
    @Test func aNativeInventoryNamesItsEnvironment() throws {
        let inventory = try loadInventory("environment: staging\nhosts:\n  h1: { address: 127.0.0.1 }\n")
        #expect(inventory.environment == "staging")
        #expect(inventory.environmentLocation?.line == 1)
        #expect(inventory.environmentLocation?.column == 14)
        #expect(try loadInventory("hosts:\n  h1: { address: 127.0.0.1 }\n").environment == nil)
    }

    @Test func aBadEnvironmentNameIsAnError() {
        #expect(summaries(loadDiagnostics("environment: \"prod; rm -rf /\"\nhosts:\n  h1: {}\n"))
            == ["1:14: invalid environment name 'prod; rm -rf /' (expected lowercase letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64)"])
        #expect(summaries(loadDiagnostics("environment: [a]\nhosts:\n  h1: {}\n")).count == 1)
    }

    @Test func ansibleInventoriesHaveNone() throws {
        let inventory = try loadInventory("[web]\nh1 ansible_host=127.0.0.1\n", name: "hosts.ini")
        #expect(inventory.environment == nil)
    }
}
