import Transport

/// Watches for `cutover abort` while a deploy runs. Every second it reads the abort request on
/// one of the deploy's hosts, over a connection of its own (a long hook on the host's deploy
/// connection never delays it), and turns a request naming this deploy into an abort of the
/// deploy's ``StopRequest``. A host that stops answering is replaced by the next one.
final class AbortWatcher: AbortWatching {
    private let task: Task<Void, Never>

    /// `hosts`: the deploy's hosts holding its lease, in the order to watch them.
    init(hosts: [HostDeployment], connector: HostConnector, deployID: String, stop: StopRequest) {
        task = Task {
            guard !hosts.isEmpty else { return }
            var connection: SSHConnection?
            var index = 0
            while !Task.isCancelled && !stop.isAborted {
                if connection == nil {
                    let host = hosts[index % hosts.count]
                    index += 1
                    connection = try? await connector.connect(host.host)
                }
                if let watched = connection {
                    do {
                        let result = try await watched.run(hosts[(index - 1) % hosts.count].scripts.readAbort, timeout: .seconds(10))
                        let request = AbortRequest(result.stdoutText)
                        if let request, request.deploy == deployID { stop.abort(by: request.by) }
                    } catch {
                        await watched.close()
                        connection = nil
                    }
                }
                try? await Task.sleep(for: .seconds(1))
            }
            await connection?.close()
        }
    }

    /// Stops watching and closes the watcher's connection.
    func stop() async {
        task.cancel()
        await task.value
    }
}

/// What `cutover abort` leaves on a host: `deploy=<id>` and `by=<who>` lines.
struct AbortRequest: Sendable, Hashable {
    var deploy: String
    var by: String

    init?(_ text: String) {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        guard let deploy = fields["deploy"], !deploy.isEmpty else { return nil }
        self.deploy = deploy
        by = fields["by"] ?? "someone"
    }
}
