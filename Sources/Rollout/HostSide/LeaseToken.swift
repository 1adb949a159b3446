/// A lease's fencing token: the number the host's lease script hands out (`token=N`, one
/// above every earlier token of that deploy root). Made only from text that is a decimal
/// number, so whatever reaches a remote command as a token is one.
struct LeaseToken: Sendable, Hashable, CustomStringConvertible {
    /// The token's value.
    let value: Int

    /// Longest token accepted: 18 digits always fit an `Int` and a shell's arithmetic.
    static let maxDigits = 18

    /// Parses `text`, 1 to ``maxDigits`` ASCII digits and nothing else; nil otherwise (signs,
    /// spaces, other digits, an empty string).
    init?(validating text: some StringProtocol) {
        let bytes = text.utf8
        guard (1...Self.maxDigits).contains(bytes.count), bytes.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let value = Int(String(text)) else { return nil }
        self.value = value
    }

    /// The decimal number, as the lock file holds it.
    var description: String { String(value) }
}
