@testable import Release
import Testing

@Suite struct DurationTextTests {
    @Test func acceptsUnitsAndCombinations() {
        #expect(DurationText.parse("1s") == .seconds(1))
        #expect(DurationText.parse("500ms") == .milliseconds(500))
        #expect(DurationText.parse("2m") == .seconds(120))
        #expect(DurationText.parse("1h") == .seconds(3600))
        #expect(DurationText.parse("1m30s") == .seconds(90))
        #expect(DurationText.parse("1h1m1s1ms") == .milliseconds(3_661_001))
    }

    /// Decimals as Go, Prometheus and Kubernetes users write them.
    @Test func acceptsDecimals() {
        #expect(DurationText.parse("0.5s") == .milliseconds(500))
        #expect(DurationText.parse("1.5m") == .seconds(90))
        #expect(DurationText.parse(".5s") == .milliseconds(500))
        #expect(DurationText.parse("1.25h") == .seconds(4500))
        #expect(DurationText.parse("1.5m30s") == .seconds(120))
        #expect(DurationText.parse("2.0s") == .seconds(2))
    }

    @Test(arguments: ["", "1", "1x", "-1s", "s", "1 s", "1.5", ".s", "1..5s", "1.5.5s", "1S", "99999999999999999h", "1s-"])
    func rejects(_ text: String) {
        #expect(DurationText.parse(text) == nil)
    }
}
