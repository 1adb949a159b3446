import Diagnostics
import Foundation
import Release
import Transport

/// Runs one health check for one host, with its retries: a command on the host, an HTTP GET
/// or a TCP connect from the orchestrator.
struct HealthProbe: Sendable {
    let check: HealthCheck
    let values: TemplateValues
    /// The `CUTOVER_*` values a command check gets (its step's hooks' own).
    var environment: [String: String] = [:]

    /// Nil when healthy, else why not (the last attempt's failure). `firstAttempt`: why the
    /// first attempt failed when it already ran (``InlineChecks``): only the retries run here.
    func run(on connection: SSHConnection, scripts: RemoteScripts, firstAttempt: String? = nil) async -> String? {
        var failure = firstAttempt
        for attempt in 0...max(0, check.retries) where attempt > 0 || firstAttempt == nil {
            if Task.isCancelled { return "cancelled" }
            if attempt > 0 { try? await Task.sleep(for: check.interval) }
            failure = await attemptOnce(on: connection, scripts: scripts)
            if failure == nil { return nil }
        }
        let tries = check.retries + 1
        return "\(failure ?? "failed")\(tries > 1 ? " (after \(tries) attempts)" : "")"
    }

    /// What was checked, rendered for this host (`http http://10.0.0.11:8080/health`, not the
    /// playbook's `{{ address }}`); the template's text when it cannot be rendered.
    var label: String {
        switch check.kind {
        case .command(let template): return "command \((try? template.render(values, escaping: ShellQuote.quote)) ?? template.text)"
        case .http(let url, _):
            let rendered = (try? url.render(values)) ?? url.text
            URLPassword.register(in: rendered)
            return "http \(rendered)"
        case .tcp(let target): return "tcp \((try? target.render(values)) ?? target.text)"
        }
    }

    private func attemptOnce(on connection: SSHConnection, scripts: RemoteScripts) async -> String? {
        do {
            switch check.kind {
            case .command(let template):
                let command = try template.render(values, escaping: ShellQuote.quote)
                // In blue/green the check is about one slot: it runs in that slot's release.
                let script = values.slot.flatMap(Slot.init(rawValue:)).map { scripts.check(command, inSlot: $0, environment: environment) }
                    ?? scripts.check(command, environment: environment)
                let result = try await connection.run(script, timeout: check.timeout, captureLimit: 64 * 1024)
                if result.exitStatus == 0 { return nil }
                let output = (result.stderrText + result.stdoutText).split(separator: "\n").last.map(String.init) ?? ""
                return "`\(command)` ended with \(result.summary)\(output.isEmpty ? "" : ": \(output)")"
            case .http(let template, let expected):
                return await http(try template.render(values), expected: expected)
            case .tcp(let template):
                let target = try template.render(values)
                guard let colon = target.lastIndex(of: ":"), let port = Int(target[target.index(after: colon)...]) else {
                    return "tcp target \(target) is not host:port"
                }
                try await TCPProbe.connect(host: String(target[..<colon]), port: port, timeout: check.timeout)
                return nil
            }
        } catch let error as SSHError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    /// Nil when the answer passes; 2xx, or exactly `expected`. A 3xx is an answer like any
    /// other: it is never followed, and fails (naming its Location) unless it is `expected`.
    func http(_ url: String, expected: Int?) async -> String? {
        // Before any message names the URL: its password is a secret (redacted wherever shown).
        URLPassword.register(in: url)
        guard let target = URL(string: url) else { return "invalid URL \(url)" }
        switch await HTTPGet.fetch(target, timeout: check.timeout, bodyLimit: HTTPGet.checkBodyLimit) {
        case .failure(let error):
            return "GET \(url) failed: \(error.message)"
        case .success(let response):
            let redirect = (300..<400).contains(response.status)
                ? " (Location \(response.location.map { String($0.prefix(512)) } ?? "none"); redirects are not followed)" : ""
            if let expected { return response.status == expected ? nil : "GET \(url) returned \(response.status)\(redirect), expected \(expected)" }
            return (200..<300).contains(response.status) ? nil : "GET \(url) returned \(response.status)\(redirect)"
        }
    }
}
