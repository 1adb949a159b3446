import Foundation
import TestSupport

/// Runs the built `cutover` executable.
enum CutoverProcess {
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Shell.Result {
        // A fixed width and no color so help output is the same everywhere.
        var env = ["COLUMNS": "100", "NO_COLOR": "1"]
        env.merge(environment) { $1 }
        return try await Shell.runDetached([RepositoryPaths.cutoverExecutable] + arguments, environment: env)
    }
}
