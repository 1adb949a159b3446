import Foundation
import Release

/// Writes `bytes` as an artifact in `scratch` and inspects it: the refusal, or `nil` when it passes.
func refusal(of bytes: [UInt8], in scratch: Scratch, limits: ArtifactLimits = .init(), allowSpecialModes: Bool = false) -> ArtifactError? {
    let path = scratch.path + "/artifact-\(UUID().uuidString).tar"
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    do {
        _ = try ArtifactInspector.inspect(path: path, limits: limits, allowSpecialModes: allowSpecialModes)
        return nil
    } catch {
        return error
    }
}
