import Analysis
import Diagnostics
import Foundation
public import Rollout
import Synchronization

/// `--junit FILE`: the checks of a deploy as JUnit test cases, for CI systems to display and
/// track over time. Names are stable from one deploy to the next (`h1.switch`, `h1.health`,
/// `canary.error_rate`), release ids and outputs go to the failure message or `system-out`;
/// one suite per wave (`wave 1`), `push` before the first wave, `rollback` for a rollback run.
/// Written when the run finishes.
public final class JUnitReport: Sendable {
    private struct Case {
        var suite: String
        var name: String
        var detail: String?
        var failure: String?
        var skipped: Bool
        var seconds: Double
    }

    private let path: String
    private let cases = Mutex([Case]())
    private let started = Mutex([String: ContinuousClock.Instant]())
    /// The suite steps are filed under now: `push` until the first wave starts.
    private let suite = Mutex("push")

    public init(path: String) {
        self.path = path
    }

    public func record(_ event: DeployEvent) {
        switch event {
        case .waveStarted(let index, _, _):
            suite.withLock { $0 = "wave \(index)" }
        case .rollbackStarted where suite.withLock({ $0 }) == "push":
            // A `cutover rollback` run (no waves): its steps form one suite.
            suite.withLock { $0 = "rollback" }
        case .step(let host, let step, let state, let detail):
            let key = "\(host)/\(step.rawValue)"
            if state == .started {
                started.withLock { $0[key] = .now }
                return
            }
            guard [.upload, .migrate, .switch, .activate, .health, .stable, .smoke, .afterSwitch, .beforeSwitch, .rollback, .checks].contains(step) else { return }
            let begin = started.withLock { $0.removeValue(forKey: key) }
            let elapsed = begin.map { $0.duration(to: .now) } ?? .zero
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let item = Case(suite: suite.withLock { $0 }, name: "\(host).\(step.rawValue)", detail: detail,
                            failure: state == .failed ? (detail ?? "failed") : nil, skipped: state == .skipped, seconds: seconds)
            cases.withLock { $0.append(item) }
        case .analysis(let report):
            for kpi in report.kpis {
                let failed = kpi.classification != .pass
                cases.withLock {
                    $0.append(Case(suite: "wave \(report.wave)", name: "canary.\(kpi.name)", detail: kpi.reason,
                                   failure: failed ? kpi.reason : nil, skipped: false, seconds: 0))
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
                xml += "    <testcase classname=\"cutover.\(Self.escape(name.replacingOccurrences(of: " ", with: "")))\" name=\"\(Self.escape(item.name))\" time=\"\(String(format: "%.3f", item.seconds))\""
                if let failure = item.failure {
                    xml += ">\n      <failure message=\"\(Self.escape(failure))\"/>\n    </testcase>\n"
                } else if item.skipped {
                    xml += ">\n      <skipped message=\"\(Self.escape(item.detail ?? "skipped"))\"/>\n    </testcase>\n"
                } else if let detail = item.detail, !detail.isEmpty {
                    xml += ">\n      <system-out>\(Self.escape(detail))</system-out>\n    </testcase>\n"
                } else {
                    xml += "/>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        do {
            try SecretRedaction.redact(xml).write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            TerminalOutput().err("cutover: cannot write the JUnit file to \(path): \(error.localizedDescription)")
        }
    }

    /// XML accepts what the HTML report's escaping writes (`&#39;`, U+FFFD for control characters).
    static func escape(_ text: String) -> String {
        HTMLText.escape(text)
    }
}
