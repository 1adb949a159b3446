import Transport

extension HostFailure {
    /// The transport's error in Rollout's words. The mapping is explicit: the codes' names are
    /// the exec JSON's `error_code`, a public schema that must not follow Transport's renames.
    init(_ error: SSHError) {
        self.init(Self.code(of: error.code), about: error.subject, error.reason)
    }

    static func code(of code: SSHError.Code) -> Code {
        // A code Transport adds later reads as a broken connection until it is listed here
        // (HostFailureTests checks every code Transport has).
        codes.first { $0.transport == code }?.code ?? .io
    }

    /// Each transport code and the code it is reported as.
    static let codes: [(transport: SSHError.Code, code: Code)] = [
        (.resolve, .resolve), (.connect, .connect), (.handshake, .handshake), (.algorithms, .algorithms),
        (.hostKey, .hostKey), (.authentication, .authentication), (.channel, .channel), (.io, .io),
        (.timeout, .timeout), (.stalled, .stalled), (.cancelled, .cancelled), (.closed, .closed),
        (.remote, .remote), (.integrity, .integrity), (.localFile, .localFile),
        // Transport names a refused connect finer than the schema does (as a cause).
        (.refused, .connect),
    ]
}
