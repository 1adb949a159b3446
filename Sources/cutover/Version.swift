import ArgumentParser
import Console
import Foundation
import Glibc
import Transport

extension Cutover {
    /// `cutover version`: what a bug report needs (Cutover's, libssh2's and the system's versions).
    ///
    /// Not `--version`: on `deploy` that flag names the release's version.
    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print Cutover's version, the libssh2 it runs with and the operating system (for bug reports)."
        )

        @Option(name: .shortAndLong, help: "text (one line per fact) or json (one object).")
        var output: OutputFormat = .text

        func run() throws {
            let facts = VersionFacts.current
            switch output {
            case .text:
                print("cutover \(facts.cutover)")
                print("libssh2 \(facts.libssh2)\(facts.rsaKeys ? "" : " (no rsa-sha2: RSA keys are skipped)")")
                print("os \(facts.os)")
                print("kernel \(facts.kernel)")
            case .json:
                let object: [String: Any] = ["cutover": facts.cutover, "libssh2": facts.libssh2, "os": facts.os,
                                             "kernel": facts.kernel, "rsa_sha2": facts.rsaKeys]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            }
        }
    }
}

/// The versions `cutover version` reports, read at run time.
struct VersionFacts {
    /// Cutover's own version; raised with each release of the tool.
    static let cutoverVersion = "0.6.0"

    let cutover: String
    let libssh2: String
    let rsaKeys: Bool
    /// `PRETTY_NAME` from `/etc/os-release`, e.g. "Debian GNU/Linux 12 (bookworm)".
    let os: String
    /// `uname`: system, release and machine, e.g. "Linux 6.1.0-18-amd64 x86_64".
    let kernel: String

    static var current: VersionFacts {
        VersionFacts(cutover: cutoverVersion, libssh2: TransportInfo.libssh2Version, rsaKeys: TransportInfo.supportsRSAKeys,
                     os: osRelease() ?? "unknown", kernel: uname())
    }

    static func osRelease() -> String? {
        guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
        return nil
    }

    static func uname() -> String {
        var name = utsname()
        guard Glibc.uname(&name) == 0 else { return "unknown" }
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(text(name.sysname)) \(text(name.release)) \(text(name.machine))"
    }
}
