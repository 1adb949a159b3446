import CLibSSH2

/// Process-wide libssh2 state: `libssh2_init` runs exactly once, before the first session.
enum LibSSH2Runtime {
    /// libssh2_init(3) is not thread-safe; Swift runs a global's initializer once, atomically.
    private static let initialized: Bool = {
        libssh2_init(0) == 0
    }()

    static func ensureInitialized() throws(SSHError) {
        guard initialized else { throw SSHError(.connect, "libssh2_init failed") }
    }

    /// The version of the libssh2 library linked at run time, e.g. "1.10.0".
    static let version: String = {
        guard let cString = libssh2_version(0) else { return "unknown" }
        return String(cString: cString)
    }()

    /// libssh2 signs with rsa-sha2-256/512 from 1.11 on; 1.10 only offers `ssh-rsa` (SHA-1),
    /// which OpenSSH 8.8+ refuses.
    static var supportsRSASHA2: Bool {
        // libssh2_version(3): returns non-NULL when the library is at least the requested version.
        libssh2_version(0x010B00) != nil
    }
}

/// The libssh2 facts a user may need in a bug report.
public enum TransportInfo {
    public static var libssh2Version: String { LibSSH2Runtime.version }
    public static var supportsRSAKeys: Bool { LibSSH2Runtime.supportsRSASHA2 }
}
