import Foundation

/// Debian's `chromium`, headless: renders a local HTML file to a PNG screenshot or to the DOM
/// after rendering. Each call is one browser process with its own profile directory; it exits
/// by itself (and `timeout` ends it if it hangs).
public enum HeadlessChromium {
    public static let executable = "/usr/bin/chromium"

    /// Renders `html` at `width`×`height` CSS pixels and writes the viewport to `png`.
    public static func screenshot(_ html: String, to png: String, width: Int = 1280, height: Int = 2000) async throws {
        let result = try await run(["--hide-scrollbars", "--screenshot=\(png)", "--window-size=\(width),\(height)", fileURL(html)], profile: png + ".profile")
        guard result.status == 0, FileManager.default.fileExists(atPath: png) else {
            throw TestSupportError("chromium did not write \(png) (exit \(result.status)): \(result.stderr.suffix(2000))")
        }
    }

    /// The document after loading and rendering `html`, serialised.
    public static func dumpDOM(_ html: String) async throws -> String {
        let result = try await run(["--dump-dom", fileURL(html)], profile: html + ".profile")
        guard result.status == 0 else { throw TestSupportError("chromium --dump-dom failed (exit \(result.status)): \(result.stderr.suffix(2000))") }
        return result.stdout
    }

    private static func run(_ arguments: [String], profile: String) async throws -> Shell.Result {
        defer { try? FileManager.default.removeItem(atPath: profile) }
        return try await Shell.runDetached(["/usr/bin/timeout", "120", executable, "--headless", "--no-sandbox", "--disable-gpu",
                                            "--no-first-run", "--user-data-dir=\(profile)"] + arguments)
    }

    private static func fileURL(_ path: String) -> String {
        URL(fileURLWithPath: path).absoluteString
    }
}
