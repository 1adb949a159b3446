/// A host name and port in the forms known_hosts uses.
struct HostAddress: Sendable, Hashable {
    /// The lower-cased host name or address.
    var host: String
    /// The TCP port.
    var port: Int

    /// Normalises the host name to lower case, as OpenSSH does before lookups.
    init(host: String, port: Int) {
        self.host = host.lowercased()
        self.port = port
    }

    /// The name OpenSSH matches and hashes: `host` for port 22, `[host]:port` otherwise.
    var lookupName: String {
        port == 22 ? host : "[\(host)]:\(port)"
    }

    /// Whether the name can be written into a known_hosts hosts field without corrupting the line.
    var isWritable: Bool {
        !host.isEmpty && (1...65535).contains(port) && host.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value < 0x7F && !",#*?!|[]\"".unicodeScalars.contains(scalar)
        }
    }
}
