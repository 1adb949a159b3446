import Diagnostics
import Fleet
import Testing

@Suite struct HostSelectionTests {
    let inventory: Inventory

    init() throws {
        inventory = try loadInventory(sampleInventory)
    }

    func names(_ expression: String?) throws -> [String] {
        try inventory.select(expression).map(\.name)
    }

    @Test func nilSelectsAllInFileOrder() throws {
        #expect(try names(nil) == ["web-1", "web-2", "web-3", "db-1", "bastion"])
        #expect(try names("all") == ["web-1", "web-2", "web-3", "db-1", "bastion"])
    }

    @Test(arguments: [
        ("web", ["web-1", "web-2", "web-3"]),
        ("db-1,web-1", ["web-1", "db-1"]),
        ("web,web-1,canary", ["web-1", "web-2", "web-3"]),
        ("zone=a", ["web-1", "web-3", "db-1"]),
        ("web&zone=a", ["web-1", "web-3"]),
        ("web,!web-3", ["web-1", "web-2"]),
        ("!web", ["db-1", "bastion"]),
        ("web-*", ["web-1", "web-2", "web-3"]),
        ("web-?,db-?", ["web-1", "web-2", "web-3", "db-1"]),
        ("back*", ["db-1"]),
        ("web,db&zone=a,!web-3", ["web-1", "db-1"]),
        (" web , !canary ", ["web-2", "web-3"]),
        ("backend", ["db-1"]),
        ("web,&zone=a", ["web-1", "web-3"]),
        ("web&canary", ["web-1"]),
    ])
    func selects(expression: String, expected: [String]) throws {
        #expect(try names(expression) == expected)
    }

    @Test func unmatchedTermIsAnErrorWithSuggestion() {
        do {
            _ = try inventory.select("wbe")
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.map(\.rendered) == ["cutover: error: no host, group or label matches 'wbe' (did you mean 'web'?)"])
        }
    }

    @Test func everyUnmatchedTermIsReported() {
        do {
            _ = try inventory.select("web,zone=z,!nothing*,")
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.map(\.message) == [
                "no host, group or label matches 'zone=z' (did you mean 'zone=a'?)",
                "no host, group or label matches 'nothing*'",
                "empty term in host selection 'web,zone=z,!nothing*,'",
            ])
        }
    }
}
