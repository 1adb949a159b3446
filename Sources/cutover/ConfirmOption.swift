import ArgumentParser
import Console
import Foundation
import Rollout

/// `--yes`: the confirmation a deploy, resume or rollback needs when it touches production hosts
/// (the environment is `production`/`prod`, or a label or variable `env`/`environment` says so). At a terminal Cutover asks; when
/// stdin is not a terminal (CI) it never prompts and refuses without `--yes` (exit 64).
struct ConfirmOption: ParsableArguments {
    @Flag(help: "Confirm touching production hosts (environment production, or label or var env=production); required when stdin is not a terminal.")
    var yes = false

    /// Whether `confirm` would ask (no `--yes`, and production hosts selected); an inventory
    /// mistake is `confirm`'s and the verb's to report, so it answers no.
    func wouldAsk(settings: ConnectionSettings) async -> Bool {
        guard !yes, let hosts = try? await ProductionTargets.hosts(settings) else { return false }
        return !hosts.isEmpty
    }

    /// - Parameter change: what the action changes, worked out only when production is touched
    ///   (`web-1.6.0.tar.gz replacing 1.5.0-… per the ledger`).
    func confirm(_ action: String, settings: ConnectionSettings, change: (() async -> String?)? = nil) async throws {
        try await EnvironmentResolution.check(settings)
        if yes { return }
        // An inventory mistake is the verb's to report, with its diagnostics.
        guard let hosts = try? await ProductionTargets.hosts(settings), !hosts.isEmpty else { return }
        let list = hosts.prefix(5).joined(separator: ", ") + (hosts.count > 5 ? ", …" : "")
        let described = await change?().map { " \($0)" } ?? ""
        let what = "\(action)\(described) touches \(hosts.count) production host\(hosts.count == 1 ? "" : "s") (\(list))"
        guard isatty(STDIN_FILENO) == 1 else {
            TerminalOutput().err("cutover: \(what): pass --yes to confirm (stdin is not a terminal, so Cutover does not ask)")
            throw ExitCode(ExitStatus.usage)
        }
        FileHandle.standardError.write(Data("\(what). Type 'yes' to go on: ".utf8))
        let answer = await Self.readLine()
        guard answer?.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else {
            TerminalOutput().err("cutover: not confirmed; nothing was done")
            throw ExitCode(ExitStatus.usage)
        }
    }

    /// One line from stdin, read on a thread of its own (a person may take minutes).
    private static func readLine() async -> String? {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Swift.readLine()) }.start()
        }
    }
}
