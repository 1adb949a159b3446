import Foundation

/// The password in a URL's user info (`https://deployer:PASSWORD@host/…`), which the URL's
/// owner means as a secret: registered with ``SecretRedaction`` as written (percent-encoded)
/// and decoded, so no message, event, report or JUnit file that shows the URL shows it.
public enum URLPassword {
    /// Registers the password of `url`, if it has one; a text that is no URL is left alone.
    public static func register(in url: String) {
        guard url.contains("@"), let components = URLComponents(string: url) else { return }
        if let encoded = components.percentEncodedPassword, !encoded.isEmpty { SecretRedaction.register(encoded) }
        if let decoded = components.password, !decoded.isEmpty { SecretRedaction.register(decoded) }
    }
}
