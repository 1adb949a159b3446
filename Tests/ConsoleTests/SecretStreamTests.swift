@testable import Diagnostics
import Foundation
import Testing
import Transport

/// Redaction in the forms and pieces a secret really comes in: split across chunks, line by
/// line, shell-quoted as Cutover quotes it, JSON-escaped.
@Suite("secret forms and streams")
struct SecretStreamTests {
    func shown(_ chunks: [String]) -> String {
        var stream = SecretStream()
        var bytes: [UInt8] = []
        for chunk in chunks { bytes += stream.append(Array(chunk.utf8)) }
        bytes += stream.finish()
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func aSecretSplitAcrossChunksIsHiddenWhole() {
        let secret = "stream-\(UUID().uuidString)"
        SecretRedaction.register(secret)
        #expect(shown(["before ", String(secret.prefix(10)), String(secret.dropFirst(10)), " after\n"]) == "before [secret] after\n")
        // Byte by byte, too.
        #expect(shown(("<" + secret + ">").map(String.init)) == "<[secret]>")
        // What could begin a secret but does not is shown once the stream says so.
        var stream = SecretStream()
        let start = Array(secret.prefix(12).utf8)
        #expect(stream.append(Array("x".utf8) + start) == Array("x".utf8))
        #expect(stream.append(Array("!".utf8)) == start + Array("!".utf8))
        #expect(stream.append(start) == [])
        #expect(stream.finish() == start)
    }

    @Test func eachLineOfAMultiLineSecretIsHidden() {
        let lines = (1...3).map { _ in UUID().uuidString }
        SecretRedaction.register("-----BEGIN KEY-----\r\n" + lines.joined(separator: "\r\n") + "\r\n-----END KEY-----\r\n")
        #expect(SecretRedaction.redact("tail: \(lines[1]) | \(lines[2])") == "tail: [secret] | [secret]")
        #expect(shown([String(lines[0].prefix(5)), lines[0].dropFirst(5) + "\n"]) == "[secret]\n")
    }

    @Test func derivedFormsAreHiddenAsCutoverWritesThem() throws {
        let secret = "it's \"quoted\" / \\ \(UUID().uuidString)"
        SecretRedaction.register(secret)
        let once = ShellQuote.quote(secret)
        let twice = ShellQuote.quote("test \(once) = x")
        #expect(SecretRedaction.redact(once) == "'[secret]'")
        #expect(!SecretRedaction.redact(twice).contains(secret.suffix(36)), "\(SecretRedaction.redact(twice))")
        for escaping in [true, false] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = escaping ? [] : [.withoutEscapingSlashes]
            let json = String(decoding: try encoder.encode([secret]), as: UTF8.self)
            #expect(SecretRedaction.redact(json) == "[\"[secret]\"]", "\(json)")
        }
    }
}
