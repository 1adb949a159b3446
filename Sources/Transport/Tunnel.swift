import CLibSSH2
import Glibc

/// One `direct-tcpip` channel on a jump host's session, joined to a local socket whose other
/// end carries the SSH connection to the target. Bytes move both ways in ``pump(buffer:)``.
///
/// - Important: confined to the jump host's session thread.
final class Tunnel {
    let channel: LibSSH2Channel
    /// Our end of the socket pair.
    let socket: Int32
    let label: String
    private var toChannel: [UInt8] = []
    private var toSocket: [UInt8] = []
    private var socketEOF = false
    private var channelEOF = false
    private(set) var isClosed = false

    init(channel: LibSSH2Channel, socket: Int32, label: String) {
        self.channel = channel
        self.socket = socket
        self.label = label
    }

    /// Moves what can move without waiting; true if any byte moved or the state changed.
    func pump(buffer: UnsafeMutableRawBufferPointer) -> Bool {
        guard !isClosed else { return false }
        var progressed = false
        // Target → jump host.
        if toChannel.isEmpty && !socketEOF {
            let n = recv(socket, buffer.baseAddress, buffer.count, 0)
            if n > 0 {
                toChannel = Array(buffer[0..<n])
                progressed = true
            } else if n == 0 {
                socketEOF = true
                progressed = true
                _ = channel.session.attempt { Int(libssh2_channel_send_eof(channel.raw)) }
            } else if errno != EAGAIN && errno != EINTR {
                close()
                return true
            }
        }
        if !toChannel.isEmpty {
            let n = toChannel.withUnsafeBytes { channel.write($0) }
            if n > 0 {
                toChannel.removeFirst(n)
                progressed = true
            } else if n != Int(LIBSSH2_ERROR_EAGAIN) {
                close()
                return true
            }
        }
        // Jump host → target.
        if toSocket.isEmpty && !channelEOF {
            let n = channel.read(stream: 0, into: buffer)
            if n > 0 {
                toSocket = Array(buffer[0..<n])
                progressed = true
            } else if n == 0 || channel.isEOF {
                if channel.isEOF {
                    channelEOF = true
                    progressed = true
                    shutdown(socket, Int32(SHUT_WR))
                }
            } else if n != Int(LIBSSH2_ERROR_EAGAIN) {
                close()
                return true
            }
        }
        if !toSocket.isEmpty {
            let n = toSocket.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                toSocket.removeFirst(n)
                progressed = true
            } else if n < 0 && errno != EAGAIN && errno != EINTR {
                close()
                return true
            }
        }
        if socketEOF && channelEOF && toChannel.isEmpty && toSocket.isEmpty {
            close()
            return true
        }
        return progressed
    }

    /// What to wait for on the local socket.
    var pollEvents: Int16 {
        var events: Int16 = 0
        if toChannel.isEmpty && !socketEOF { events |= Int16(POLLIN) }
        if !toSocket.isEmpty { events |= Int16(POLLOUT) }
        return events
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = channel.session.attempt { Int(libssh2_channel_close(channel.raw)) }
        channel.free()
        Glibc.close(socket)
    }
}

/// The tunnels a jump host's session carries, pumped by its thread between jobs.
final class TunnelSet: IdleWork {
    let session: LibSSH2Session
    private(set) var tunnels: [Tunnel] = []
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)

    init(session: LibSSH2Session) {
        self.session = session
    }

    deinit {
        buffer.deallocate()
    }

    func add(_ tunnel: Tunnel) {
        tunnels.append(tunnel)
    }

    func pump() -> Bool {
        var progressed = false
        for tunnel in tunnels {
            // Bounded per round so one busy tunnel does not starve the others.
            for _ in 0..<16 where tunnel.pump(buffer: buffer) { progressed = true }
        }
        tunnels.removeAll { $0.isClosed }
        return progressed
    }

    func waitDescriptors() -> [pollfd] {
        var events = Int16(POLLIN)
        if session.isWaitingToSend { events |= Int16(POLLOUT) }
        var fds = [pollfd(fd: session.socket, events: events, revents: 0)]
        for tunnel in tunnels where tunnel.pollEvents != 0 {
            fds.append(pollfd(fd: tunnel.socket, events: tunnel.pollEvents, revents: 0))
        }
        return fds
    }

    func shutdown() {
        for tunnel in tunnels { tunnel.close() }
        tunnels.removeAll()
    }
}
