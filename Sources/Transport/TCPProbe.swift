import Foundation
import Glibc

/// Whether a TCP port accepts connections, for `tcp:` health checks. The connect runs on a
/// thread of its own so the cooperative pool never waits on it; cancelling the task ends it.
public enum TCPProbe {
    public static func connect(host: String, port: Int, timeout: Duration) async throws(SSHError) {
        // An idle session thread's wake-up fd and cancel token serve the one-off connect.
        let owner = try SessionThread(name: "tcp probe", start: false)
        let token = CancelToken(thread: owner)
        let result: Result<Void, SSHError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    do {
                        let fd = try TCPSocket.connect(host: host, port: port, options: SSHOptions(),
                                                       deadline: .now + timeout, wakeFD: owner.wakeFD, token: token)
                        close(fd)
                        continuation.resume(returning: .success(()))
                    } catch let error as SSHError {
                        continuation.resume(returning: .failure(error))
                    } catch {
                        continuation.resume(returning: .failure(SSHError(.connect, "\(error)")))
                    }
                }
                thread.start()
            }
        } onCancel: {
            token.cancel()
        }
        try result.get()
    }
}
