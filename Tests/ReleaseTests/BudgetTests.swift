import Release
import Testing

@Suite struct BudgetTests {
    @Test func batchSizes() {
        #expect(BatchSize.percent(25).hosts(of: 10) == 3)
        #expect(BatchSize.percent(1).hosts(of: 10) == 1)
        #expect(BatchSize.percent(100).hosts(of: 7) == 7)
        #expect(BatchSize.count(5).hosts(of: 3) == 3)
        #expect(BatchSize.count(2).hosts(of: 0) == 2)
        #expect(BatchSize.percent(50).hosts(of: 0) == 1)
    }

    @Test func failureBudgets() {
        #expect(FailureBudget.count(0).allows(failed: 0, of: 10))
        #expect(!FailureBudget.count(0).allows(failed: 1, of: 10))
        #expect(FailureBudget.percent(10).allows(failed: 1, of: 10))
        #expect(!FailureBudget.percent(10).allows(failed: 2, of: 10))
        #expect(FailureBudget.percent(100).allows(failed: 5, of: 5))
    }

    @Test func versionNames() {
        #expect(VersionName.derive(fromArtifact: "build/web-1.4.2.tar.gz") == "1.4.2")
        #expect(VersionName.derive(fromArtifact: "build-2024.11.3+git.abc.tgz") == "2024.11.3+git.abc")
        #expect(VersionName.derive(fromArtifact: "my-app-2.0.tar") == "2.0")
        #expect(VersionName.derive(fromArtifact: "1.0.tar") == "1.0")
        #expect(VersionName.derive(fromArtifact: "app.tar") == nil)
        #expect(VersionName.isValid("1.4.2+build.7"))
        #expect(!VersionName.isValid("-1"))
        #expect(!VersionName.isValid(""))
        #expect(!VersionName.isValid(String(repeating: "1", count: 65)))
    }
}
