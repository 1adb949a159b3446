import Analysis
@testable import Console
import Foundation
import Release
@testable import Rollout
import Testing
import TestSupport

/// The published schema names exactly what the code emits: its enums are the Swift enums, its
/// event kinds the renderer's, and a line of every kind validates (so it cannot drift silently).
@Suite("Schemas/events.schema.json matches the code")
struct EventSchemaDriftTests {
    let schema: [String: Any]
    let defs: [String: Any]

    init() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: RepositoryPaths.root + "/Schemas/events.schema.json"))
        schema = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        defs = try #require(schema["$defs"] as? [String: Any])
    }

    func values(_ name: String) -> [String] {
        (defs[name] as? [String: Any])?["enum"] as? [String] ?? []
    }

    func property(_ kind: String, _ name: String) -> [String: Any] {
        ((defs[kind] as? [String: Any])?["properties"] as? [String: Any])?[name] as? [String: Any] ?? [:]
    }

    @Test func enumsAreTheSwiftEnums() {
        #expect(values("step") == DeployStep.allCases.map(\.rawValue))
        #expect(values("stepState") == StepState.allCases.map(\.rawValue))
        #expect(values("operation") == DeployStart.Operation.allCases.map(\.rawValue))
        #expect(values("sampleGroup") == KPISample.Group.allCases.map(\.rawValue))
        #expect(values("canaryVerdict") == Verdict.allCases.map(\.rawValue))
        #expect(values("classification") == KPIClassification.allCases.map(\.rawValue))
        #expect(values("aggregate") == KPIRule.Aggregate.allCases.map(\.rawValue))
        #expect(values("pauseAction") == PauseAction.allCases.map(\.rawValue))
        #expect(values("outcome") == DeployOutcome.allCases.map(\.rawValue))
        #expect(values("promotionDecision") == PromotionCheck.Decision.allCases.map(\.rawValue))
        #expect(values("hostState") == DeployReport.HostFinalState.allCases.map(\.rawValue))
        #expect(property("host_step_finished", "state")["enum"] as? [String] == StepState.allCases.filter { $0 != .started }.map(\.rawValue))
        #expect(Set(property("check_result", "step")["enum"] as? [String] ?? []).isSubset(of: DeployStep.allCases.map(\.rawValue)))
        #expect((defs["schemaVersion"] as? [String: Any])?["const"] as? Int == DeployJSONRenderer.schemaVersion)
    }

    @Test func eventKindsAreTheRenderersAndEachHasADefinition() throws {
        let kinds = try #require((schema["properties"] as? [String: Any]).flatMap { ($0["event"] as? [String: Any])?["enum"] as? [String] })
        #expect(kinds == DeployEventKind.allCases.map(\.rawValue))
        let alternatives = (schema["oneOf"] as? [[String: String]] ?? []).compactMap { $0["$ref"] }
        #expect(alternatives == kinds.map { "#/$defs/\($0)" })
        for kind in kinds {
            #expect(property(kind, "event")["const"] as? String == kind, "\(kind) has no definition")
        }
    }

    @Test func aLineOfEveryKindValidatesWithTheFieldsTheSchemaRequires() async throws {
        let lines = Self.everyKind().compactMap { DeployJSONRenderer.line($0) }
        #expect(Set(lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }.compactMap { $0["event"] as? String })
            == Set(DeployEventKind.allCases.map(\.rawValue)))
        // Each line has exactly the fields its definition lists (additionalProperties is false, all are required).
        for line in lines {
            let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let kind = try #require(object["event"] as? String)
            let required = (defs[kind] as? [String: Any])?["required"] as? [String] ?? []
            #expect(Set(object.keys) == Set(required), "\(kind)")
        }
        let report = try await EventSchemaValidator.validate(lines.joined(separator: "\n") + "\n")
        #expect(report.valid, "\(report.output)")
    }

    /// One event of every kind, with the awkward values (nil, NaN, no data) where they can occur.
    static func everyKind() -> [StampedEvent] {
        let stamper = EventStamper()
        let plan = DeployPlan(app: "web", deployID: "d-20261125T194500-3fa2", release: "1.4.2-3fa2c09be1d4",
                              artifactSHA256: String(repeating: "ab", count: 32), strategy: "canary (1 host → 100%)",
                              waves: [["h1"], ["h2", "h3"]], maxFailures: 0, rollbackPolicy: "standard")
        let kpi = CanaryVerdictReport.KPIResult(name: "error_rate", classification: .high, reason: "canary higher",
                                                canaryAggregate: 40, baselineAggregate: .nan, aggregate: "mean", max: 5, min: nil,
                                                maxIncrease: 0.2, critical: true)
        let events: [DeployEvent] = [
            .started(DeployStart(operation: .deploy, deployID: plan.deployID, app: "web")),
            .planned(plan),
            .promotion(PromotionCheck(environment: "production", from: "staging", decision: .overridden,
                                      reason: "the ledger shows no deploy of this artifact in staging", overrideReason: "hotfix INC-42")),
            .waveStarted(index: 1, count: 2, hosts: ["h1"]),
            .step(host: "h1", step: .switch, state: .started, detail: nil),
            .step(host: "h1", step: .switch, state: .ok, detail: "current -> 1.4.2-3fa2c09be1d4"),
            .check(CheckResult(host: "h1", step: .health, check: "command ./bin/health", passed: false, detail: "exit 1")),
            .uploadProgress(host: "h1", bytes: 1024, total: 4096),  // not a JSON event
            .bakeStarted(canary: ["h1"], baseline: ["h2"], duration: .seconds(3)),
            .kpiSample(KPISample(wave: 1, kpi: "error_rate", host: "h1", group: .canary, value: 40)),
            .kpiSample(KPISample(wave: 1, kpi: "error_rate", host: "h2", group: .baseline, value: nil)),
            .analysis(CanaryVerdictReport(wave: 1, canary: ["h1"], baseline: ["h2"], verdict: .fail, score: nil, reason: "critical KPI failed",
                                          kpis: [kpi])),
            .paused(wave: 1, timeout: .seconds(60), onTimeout: .abort),
            .pauseAnswered(action: .abort, by: "Ctrl-C"),
            .rollbackStarted(reason: "wave 1: h1 failed kpi", hosts: ["h1"]),
            .rollbackFinished(hosts: ["h1"], failed: []),
            .hostStatus(HostStatusReport(host: "h1", reachable: true, current: "1.4.1-000000000000", previous: nil, releases: ["1.4.1-000000000000"],
                                         lock: ["deploy": "d-1", "owner": "ci@runner"], lastStep: nil, error: nil)),
            .warning(message: "the relay's clean-up failed on h1: its authorized_keys may keep a relay line until 2026-12-07T12:00:00Z", hosts: ["h1"]),
            .finished(DeployReport(outcome: .rolledBack, deployID: plan.deployID, release: plan.release, reason: "wave 1 failed",
                                   hosts: [.init(host: "h1", release: nil, state: .rolledBack, detail: nil)], duration: .milliseconds(1500))),
        ]
        return events.map { stamper.stamp($0) }
    }
}
