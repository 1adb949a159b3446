import Testing
@testable import Rollout

/// The HTTP/1.x answer reader on bytes, fed whole and one byte at a time: every framing, the
/// caps on head and body, and malformed answers as errors rather than guesses.
@Suite("HTTP answer reader")
struct HTTPResponseReaderTests {
    private func read(_ text: String, bodyLimit: Int = 1 << 20, byteByByte: Bool = false, closeAtEnd: Bool = false) throws(HTTPGetError) -> HTTPGet.Response? {
        var reader = HTTPResponseReader(bodyLimit: bodyLimit, headLimit: 1024)
        var complete = false
        if byteByByte {
            for byte in Array(text.utf8) where !complete { complete = try reader.consume([byte]) }
        } else {
            complete = try reader.consume(Array(text.utf8))
        }
        if !complete && closeAtEnd { try reader.finishAtClose() }
        return reader.response
    }

    @Test(arguments: [false, true])
    func readsEachFraming(byteByByte: Bool) throws {
        let length = try #require(try read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA", byteByByte: byteByByte))
        #expect(length.status == 200)
        #expect(length.body == Array("hello".utf8))
        let chunked = try #require(try read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n", byteByByte: byteByByte))
        #expect(chunked.body == Array("hello world".utf8))
        let untilClose = try #require(try read("HTTP/1.0 503 Busy\nServer: x\n\nbye", byteByByte: byteByByte, closeAtEnd: true))
        #expect(untilClose.status == 503)
        #expect(untilClose.body == Array("bye".utf8))
        let interim = try #require(try read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 302 Found\r\nLocation: http://x/\r\nContent-Length: 0\r\n\r\n", byteByByte: byteByByte))
        #expect(interim.status == 302)
        #expect(interim.location == "http://x/")
        let encoded = try #require(try read("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n\u{1f}x", byteByByte: byteByByte))
        #expect(encoded.contentEncoding == "gzip")
    }

    @Test func capsHeadAndBody() {
        #expect(throws: HTTPGetError.self) { _ = try read("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world", bodyLimit: 10) }
        #expect(throws: HTTPGetError.self) { _ = try read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nb\r\nhello world\r\n0\r\n\r\n", bodyLimit: 10) }
        #expect(throws: HTTPGetError.self) { _ = try read("HTTP/1.1 200 OK\r\n\r\nhello world", bodyLimit: 10, closeAtEnd: true) }
        #expect(throws: HTTPGetError.self) { _ = try read("HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 2000)) }
        do {
            _ = try read("HTTP/1.1 200 OK\r\nContent-Length: 2000000\r\n\r\n")
            Issue.record("no error")
        } catch {
            #expect(error.code == .bodyTooLarge)
            #expect(error.message == "body over 1 MiB (Content-Length 2000000)")
        }
    }

    @Test func malformedAnswersAreErrors() {
        for text in ["SSH-2.0-OpenSSH\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
                     "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"] {
            #expect(throws: HTTPGetError.self, "\(text)") { _ = try read(text) }
        }
        #expect(throws: HTTPGetError.self) { _ = try read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel", closeAtEnd: true) }
    }
}
