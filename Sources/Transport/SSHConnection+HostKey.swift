import CLibSSH2
public import HostKeys

extension SSHConnection {
    /// The host key this connection's server presented (and that was verified when it was
    /// opened): what another host must see from it to trust it the same way.
    public func hostKey() async throws(SSHError) -> HostKey {
        try await thread.run { context, _ throws(SSHError) in
            let session = try context.connectedSession()
            var length = 0
            var type: Int32 = 0
            // libssh2_session_hostkey(3): the raw key blob, valid while the session lives.
            guard let pointer = libssh2_session_hostkey(session.raw, &length, &type), length > 0 else {
                throw SSHError(.hostKey, about: self.endpoint.name, "the server offered no host key")
            }
            let blob = pointer.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
            return HostKey(algorithm: HostKeyCheck.algorithmName(type), blob: blob)
        }
    }
}
