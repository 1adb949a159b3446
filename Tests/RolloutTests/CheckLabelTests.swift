@testable import Release
@testable import Rollout
import Testing

/// What the report's checks table and the JSON `check` field show: the check as it ran on that
/// host, not the playbook's template.
@Suite("check labels")
struct CheckLabelTests {
    @Test func labelsAreRenderedForTheHost() throws {
        let values = TemplateValues(host: "web-1", address: "10.0.0.11", vars: ["path": "/health z"])
        let http = HealthProbe(check: HealthCheck(kind: .http(url: try Template(parsing: "http://{{ address }}:8080/health"), status: nil)), values: values)
        #expect(http.label == "http http://10.0.0.11:8080/health")
        let command = HealthProbe(check: HealthCheck(kind: .command(try Template(parsing: "curl -fsS {{ address }}{{ vars.path }}"))), values: values)
        #expect(command.label == "command curl -fsS 10.0.0.11'/health z'")
        let tcp = HealthProbe(check: HealthCheck(kind: .tcp(try Template(parsing: "{{ address }}:5432"))), values: values)
        #expect(tcp.label == "tcp 10.0.0.11:5432")
    }

    @Test func aSmokeLineIsOneLineWithoutEmptyOutput() {
        #expect(HostDeployment.withOutput("exit 0", "") == "exit 0")
        #expect(HostDeployment.withOutput("exit 1", "refused") == "exit 1: refused")
        #expect(HostDeployment.headline("./bin/smoke --all\n./bin/other") == "./bin/smoke --all …")
        #expect(HostDeployment.headline(String(repeating: "x", count: 80)).count == 60)
    }
}
