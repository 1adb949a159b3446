import Diagnostics
import Foundation
public import Rollout
import Synchronization

/// `--junit FILE`: the checks of a deploy as JUnit test cases, for CI systems to display: one
/// suite per host with a case per finished gate step (health, smoke, activate, switch,
/// rollback, checks) and a suite with the canary verdicts. Written when the run finishes.
public final class JUnitReport: Sendable {
    private struct Case {
        var suite: String
        var name: String
        var failure: String?
        var skipped: Bool
        var seconds: Double
    }

    private let path: String
    private let cases = Mutex([Case]())
    private let started = Mutex([String: ContinuousClock.Instant]())

    public init(path: String) {
        self.path = path
    }

    public func record(_ event: DeployEvent) {
        switch event {
        case .step(let host, let step, let state, let detail):
            let key = "\(host)/\(step.rawValue)"
            if state == .started {
                started.withLock { $0[key] = .now }
                return
            }
            guard [.upload, .switch, .activate, .health, .smoke, .afterSwitch, .beforeSwitch, .rollback, .checks].contains(step) else { return }
            let begin = started.withLock { $0.removeValue(forKey: key) }
            let elapsed = begin.map { $0.duration(to: .now) } ?? .zero
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let item = Case(suite: host, name: step.rawValue + (detail.map { ": \($0)" } ?? ""),
                            failure: state == .failed ? (detail ?? "failed") : nil, skipped: state == .skipped, seconds: seconds)
            cases.withLock { $0.append(item) }
        case .analysis(let report):
            for kpi in report.kpis {
                let failed = kpi.classification != "pass"
                cases.withLock {
                    $0.append(Case(suite: "canary", name: "wave \(report.wave) \(kpi.name)", failure: failed ? kpi.reason : nil,
                                   skipped: false, seconds: 0))
                }
            }
        case .finished:
            write()
        default:
            break
        }
    }

    private func write() {
        let all = cases.withLock { $0 }
        var suites: [String: [Case]] = [:]
        var order: [String] = []
        for item in all {
            if suites[item.suite] == nil { order.append(item.suite) }
            suites[item.suite, default: []].append(item)
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"cutover\" tests=\"\(all.count)\" failures=\"\(all.filter { $0.failure != nil }.count)\">\n"
        for name in order {
            let items = suites[name] ?? []
            xml += "  <testsuite name=\"\(Self.escape(name))\" tests=\"\(items.count)\" failures=\"\(items.filter { $0.failure != nil }.count)\" skipped=\"\(items.filter(\.skipped).count)\">\n"
            for item in items {
                xml += "    <testcase classname=\"\(Self.escape(name))\" name=\"\(Self.escape(item.name))\" time=\"\(String(format: "%.3f", item.seconds))\""
                if let failure = item.failure {
                    xml += ">\n      <failure message=\"\(Self.escape(failure))\"/>\n    </testcase>\n"
                } else if item.skipped {
                    xml += ">\n      <skipped/>\n    </testcase>\n"
                } else {
                    xml += "/>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        try? SecretRedaction.redact(xml).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// XML accepts what the HTML report's escaping writes (`&#39;`, U+FFFD for control characters).
    static func escape(_ text: String) -> String {
        HTMLText.escape(text)
    }
}
