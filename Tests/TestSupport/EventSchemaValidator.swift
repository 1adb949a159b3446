import Foundation

/// `Scripts/validate-events`: JSON Lines checked against `Schemas/events.schema.json` by
/// python3-jsonschema (draft 2020-12).
public enum EventSchemaValidator {
    public struct Report: Sendable {
        /// Exit status 0: every line is valid.
        public let valid: Bool
        /// One line per invalid event, and the count on stderr.
        public let output: String
    }

    public static func validate(_ lines: String) async throws -> Report {
        let result = try await Shell.runDetached([RepositoryPaths.root + "/Scripts/validate-events"], input: lines)
        return Report(valid: result.status == 0, output: result.output)
    }
}
