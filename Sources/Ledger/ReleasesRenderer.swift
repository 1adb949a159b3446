import Foundation

/// `cutover releases`: per environment a fleet line, one line per host, and what the next
/// environment would accept; or one JSON object.
public enum ReleasesRenderer {
    public static func text(_ releases: FleetReleases) -> [String] {
        guard !releases.environments.isEmpty else { return ["no records of \(releases.app)"] }
        var lines: [String] = []
        for environment in releases.environments {
            let summary = environment.summary.map { "\($0.hosts) on \($0.release)" }.joined(separator: ", ")
            lines.append("\(environment.name): " + (summary.isEmpty ? "no host recorded" : summary))
            let rows = environment.hosts.map { ["  " + $0.host, $0.release, "since " + LedgerText.time($0.since) + " UTC", $0.deployID] }
            lines += LedgerText.table(rows)
            for promotion in environment.promotions {
                let soak = promotion.soak.map { " (soak \(LedgerText.duration(seconds($0))))" } ?? ""
                let eligible = promotion.eligible.map { "\($0.release) (promoted \(LedgerText.time($0.promotedAt)) UTC, \($0.deployID))" }
                lines.append("  eligible for \(promotion.environment)\(soak): " + (eligible.isEmpty ? "none" : eligible.joined(separator: "; ")))
                if !promotion.waiting.isEmpty {
                    lines.append("  soaking for \(promotion.environment): " + promotion.waiting.map {
                        "\($0.release) (eligible from \(LedgerText.time($0.eligibleAt ?? $0.promotedAt)) UTC)"
                    }.joined(separator: "; "))
                }
            }
        }
        return lines
    }

    public static func json(_ releases: FleetReleases) -> String {
        let time = ISO8601DateFormatter()
        func candidate(_ item: FleetReleases.Candidate) -> [String: Any] {
            ["release": item.release, "artifact_sha256": item.sha256, "deploy_id": item.deployID,
             "promoted_at": time.string(from: item.promotedAt), "eligible_at": item.eligibleAt.map { time.string(from: $0) } ?? NSNull()]
        }
        let object: [String: Any] = [
            "app": releases.app,
            "environments": releases.environments.map { environment -> [String: Any] in
                [
                    "environment": environment.name,
                    "hosts": environment.hosts.map { ["host": $0.host, "release": $0.release, "since": time.string(from: $0.since), "deploy_id": $0.deployID] },
                    "summary": environment.summary.map { ["release": $0.release, "hosts": $0.hosts] as [String: Any] },
                    "promotes_to": environment.promotions.map { promotion -> [String: Any] in
                        ["environment": promotion.environment, "soak_seconds": promotion.soak.map { seconds($0) as Any } ?? NSNull(),
                         "eligible": promotion.eligible.map(candidate), "waiting": promotion.waiting.map(candidate)]
                    },
                ]
            },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
