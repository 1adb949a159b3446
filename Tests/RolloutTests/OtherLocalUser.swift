import Foundation
import TestSupport

/// A throwaway local user, not the hosts' login user: what another account on a host can do
/// to a deploy root it can write into. Created with `useradd` for one test, removed with
/// `userdel` by ``with(_:)`` whatever happens. Its commands run through `setpriv`.
struct OtherLocalUser: Sendable {
    let name: String

    /// Creates the user, runs `body`, removes the user.
    static func with<T>(_ body: (OtherLocalUser) async throws -> T) async throws -> T {
        let user = OtherLocalUser(name: "cvo\(getpid() % 100_000)\(UUID().uuidString.prefix(6).lowercased())")
        try await user.create()
        do {
            let result = try await body(user)
            await user.remove()
            return result
        } catch {
            await user.remove()
            throw error
        }
    }

    /// Runs a program as this user (its own uid and group, no supplementary groups).
    @discardableResult
    func run(_ arguments: [String]) async throws -> Shell.Result {
        let result = try await Shell.runDetached(["setpriv", "--reuid=\(name)", "--regid=\(name)", "--clear-groups", "--"] + arguments)
        guard result.status == 0 else { throw TestSupportError("as \(name): \(arguments.joined(separator: " ")): \(result.output)") }
        return result
    }

    /// `useradd` takes a lock on /etc/passwd: other test processes may hold it for a moment.
    private func create() async throws {
        var last = ""
        for _ in 0..<20 {
            let result = try await Shell.runDetached(["useradd", "--system", "--user-group", "--no-create-home",
                                                      "--shell", "/usr/sbin/nologin", name])
            if result.status == 0 { return }
            last = result.output
            try await Task.sleep(for: .milliseconds(250))
        }
        throw TestSupportError("useradd \(name): \(last)")
    }

    private func remove() async {
        for _ in 0..<20 {
            if let result = try? await Shell.runDetached(["userdel", name]), result.status == 0 || result.status == 6 { return }
            try? await Task.sleep(for: .milliseconds(250))
        }
    }
}
