import Foundation
@testable import HostKeys

/// known_hosts files (any bytes, as `KnownHostsFile.load` decodes them) looked up for a few hosts and keys.
enum KnownHostsFuzzing {
    /// The ed25519 key the "server" offers (the one in the seed corpus, hashed for example.com).
    static let offered = HostKey(algorithm: "ssh-ed25519", blob: Array(Data(base64Encoded: "AAAAC3NzaC1lZDI1NTE5AAAAID+BAlJVfh4qm5OqD/rkJLcFl7PKF3THHYqMWrZrBSyA")!))
    static let addresses = [
        HostAddress(host: "example.com", port: 22), HostAddress(host: "example.com", port: 2222),
        HostAddress(host: "10.0.0.1", port: 22), HostAddress(host: "::1", port: 2222),
    ]

    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let file = KnownHostsFile(path: ScratchFiles.directory + "/known_hosts", contents: text)
        for skipped in file.skipped {
            Expectation.check(!skipped.reason.isEmpty && skipped.line >= 1, "a skipped line without a reason", text)
        }
        let lookup = KnownHostsLookup(files: [file])
        for address in addresses {
            let verdict = lookup.verdict(for: address, key: offered)
            do {
                _ = try HostKeyRefusal.trust(for: verdict, address: address, key: offered, files: [file.path])
            } catch {
                Expectation.check(!error.description.isEmpty, "a refusal without a reason", text)
            }
        }
        // The first line, taken as a pinned fingerprint.
        let pin = FingerprintPin(String(text.prefix { $0 != "\n" }))
        _ = try? pin.check(offered, for: addresses[0])
    }
}
