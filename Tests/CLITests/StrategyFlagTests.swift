import Testing
import TestSupport

/// `--canary`, `--rolling`, `--all-at-once`, `--blue-green` are one choice: two of them are a
/// usage error that names both, before any file is read.
@Suite("Strategy flags")
struct StrategyFlagTests {
    @Test(arguments: [
        (["--canary", "--rolling"], "'--rolling'", "'--canary'"),
        (["--all-at-once", "--blue-green"], "'--blue-green'", "'--all-at-once'"),
        (["--blue-green", "--canary"], "'--canary'", "'--blue-green'"),
    ])
    func twoStrategiesAreAUsageErrorNamingBoth(flags: [String], second: String, first: String) async throws {
        for verb in ["deploy", "plan", "resume"] {
            let result = try await CutoverProcess.run([verb, "no-such-playbook.yml"] + flags)
            #expect(result.status == 64, "\(verb): \(result.output)")
            #expect(result.stderr.contains("Value to be set with flag \(second) had already been set with flag \(first)"), "\(verb): \(result.stderr)")
        }
    }

    /// The same flag twice is still one choice.
    @Test func theSameFlagTwiceIsOneChoice() async throws {
        let result = try await CutoverProcess.run(["plan", "no-such-playbook.yml", "--canary", "--canary"])
        #expect(!result.stderr.contains("had already been set"), "\(result.output)")
        // Parsed: it went on to look for the playbook.
        #expect(result.stderr.contains("no-such-playbook"), "\(result.stderr)")
    }
}
