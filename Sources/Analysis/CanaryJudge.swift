/// Judges a canary from its KPIs, the way Kayenta does: a verdict per KPI, a weighted score, an overall verdict.
///
/// The score is 100 × the weight of the passing KPIs / the weight of the KPIs with a result (KPIs without data under
/// the `inconclusive` policy have none). Negative or non-finite weights count as 0; if every KPI with a result weighs
/// 0, each counts equally. The verdict, in order: any critical KPI failed → fail; no KPI has a result →
/// inconclusive; any KPI lacks data under the `inconclusive` policy → inconclusive; score ≥ `thresholds.pass` →
/// pass; score ≥ `thresholds.marginal` → marginal; else fail. No rules at all → pass with no score.
public enum CanaryJudge {
    /// Judges every KPI against its samples and combines the verdicts.
    public static func judge(
        _ inputs: [(KPIRule, KPISamples)],
        thresholds: JudgeThresholds = .init()
    ) -> CanaryJudgement {
        guard !inputs.isEmpty else {
            return CanaryJudgement(verdict: .pass, score: nil, kpis: [], reason: "no KPIs configured")
        }
        let kpis = inputs.map { KPIJudge.judge($0.0, $0.1) }
        let weights = inputs.map { $0.0.weight.isFinite ? Swift.max(0, $0.0.weight) : 0 }
        let score = Self.score(kpis, weights: weights)
        let scoreText = score.map { "score \(NumberText.trimmed($0, places: 1))" }
        let failed = kpis.filter { $0.passed == false }.map(\.name)
        let failedText = failed.isEmpty ? "" : " (failed: \(failed.joined(separator: ", ")))"

        let criticalFailures = kpis.filter { $0.critical && $0.passed == false }.map(\.name)
        if !criticalFailures.isEmpty {
            let noun = criticalFailures.count == 1 ? "critical KPI" : "critical KPIs"
            let tail = scoreText.map { ", \($0)" } ?? ""
            let reason = "\(noun) \(criticalFailures.joined(separator: ", ")) failed\(tail) → fail\(failedText)"
            return CanaryJudgement(verdict: .fail, score: score, kpis: kpis, reason: reason)
        }
        guard let score, let scoreText else {
            return CanaryJudgement(
                verdict: .inconclusive, score: nil, kpis: kpis, reason: "no KPI had data to judge → inconclusive")
        }
        let unjudged = kpis.filter { $0.passed == nil }.map(\.name)
        if !unjudged.isEmpty {
            let reason = "no data for \(unjudged.joined(separator: ", ")) (no-data policy: inconclusive), "
                + "\(scoreText) → inconclusive\(failedText)"
            return CanaryJudgement(verdict: .inconclusive, score: score, kpis: kpis, reason: reason)
        }
        let pass = NumberText.trimmed(thresholds.pass)
        let marginal = NumberText.trimmed(thresholds.marginal)
        let (verdict, comparison): (Verdict, String) =
            if score >= thresholds.pass {
                (.pass, "≥ \(pass)")
            } else if score >= thresholds.marginal {
                (.marginal, "< \(pass), ≥ \(marginal)")
            } else {
                (.fail, "< \(marginal)")
            }
        let reason = "\(scoreText) \(comparison) → \(verdict.rawValue)\(failedText)"
        return CanaryJudgement(verdict: verdict, score: score, kpis: kpis, reason: reason)
    }

    /// The weighted share of passing KPIs among those with a result, in 0...100; nil when none has a result.
    static func score(_ kpis: [KPIVerdict], weights: [Double]) -> Double? {
        let judged = zip(kpis, weights).filter { $0.0.passed != nil }
        guard !judged.isEmpty else { return nil }
        let total = judged.reduce(0) { $0 + $1.1 }
        if total > 0 {
            let passing = judged.filter { $0.0.passed == true }.reduce(0) { $0 + $1.1 }
            return 100 * passing / total
        }
        let passingCount = judged.filter { $0.0.passed == true }.count
        return 100 * Double(passingCount) / Double(judged.count)
    }
}
